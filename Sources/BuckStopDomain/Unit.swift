/// What kind of body a unit is; drives its level in the two-tier local government (from 1 July 2025).
public enum UnitKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// UBND tỉnh / thành phố.
    case provincialCommittee = "provincial_committee"
    /// Sở or an equivalent specialised agency (Văn phòng UBND, Thanh tra).
    case department
    /// Trung tâm Phục vụ hành chính công: receives dossiers but does not decide them.
    case serviceCentre = "service_centre"
    /// Thanh tra thành phố.
    case inspectorate
    /// UBND phường.
    case ward
    /// UBND xã (and đặc khu).
    case commune
    /// Phòng, ban, bộ phận inside another unit.
    case division
}

/// Đơn vị, cơ quan: a node of the organisation tree.
public struct Unit: Sendable, Codable, Hashable, Identifiable {
    public var id: UnitID
    public var name: String
    public var nameEn: String?
    public var kind: UnitKind
    public var parent: UnitID?
    /// Agency code used as the prefix of case codes (mã đơn vị).
    public var code: String
    public var head: OfficialID?
    public var deputies: [OfficialID]

    public init(
        id: UnitID, name: String, nameEn: String? = nil, kind: UnitKind, parent: UnitID? = nil,
        code: String, head: OfficialID? = nil, deputies: [OfficialID] = []
    ) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.kind = kind
        self.parent = parent
        self.code = code
        self.head = head
        self.deputies = deputies
    }
}

/// What an official may do beyond holding cases.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    case official
    case head
    case inspector
    case admin
}

/// Cán bộ, công chức, viên chức.
public struct Official: Sendable, Codable, Hashable, Identifiable {
    public var id: OfficialID
    public var name: String
    public var unit: UnitID
    /// Chức vụ as written on the decision of appointment, e.g. "Chuyên viên", "Trưởng phòng".
    public var position: String
    public var roles: Set<Role>
    public var active: Bool

    public init(id: OfficialID, name: String, unit: UnitID, position: String, roles: Set<Role> = [.official], active: Bool = true) {
        self.id = id
        self.name = name
        self.unit = unit
        self.position = position
        self.roles = roles
        self.active = active
    }
}

/// Chức năng, nhiệm vụ, thẩm quyền: the unit is competent for this kind of case (and procedure, when given).
public struct Mandate: Sendable, Codable, Hashable {
    public var unit: UnitID
    public var caseKind: CaseKind
    /// Procedure code from the rulebook; nil means every procedure of the kind.
    public var procedure: String?

    public init(unit: UnitID, caseKind: CaseKind, procedure: String? = nil) {
        self.unit = unit
        self.caseKind = caseKind
        self.procedure = procedure
    }
}

// Optional fields may be left out of a hand-written YAML file.
extension Unit {
    private enum CodingKeys: String, CodingKey { case id, name, nameEn, kind, parent, code, head, deputies }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(UnitID.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
            nameEn: try c.decodeIfPresent(String.self, forKey: .nameEn), kind: try c.decode(UnitKind.self, forKey: .kind),
            parent: try c.decodeIfPresent(UnitID.self, forKey: .parent), code: try c.decode(String.self, forKey: .code),
            head: try c.decodeIfPresent(OfficialID.self, forKey: .head),
            deputies: try c.decodeIfPresent([OfficialID].self, forKey: .deputies) ?? [])
    }
}

extension Official {
    private enum CodingKeys: String, CodingKey { case id, name, unit, position, roles, active }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(OfficialID.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
            unit: try c.decode(UnitID.self, forKey: .unit), position: try c.decode(String.self, forKey: .position),
            roles: try c.decodeIfPresent(Set<Role>.self, forKey: .roles) ?? [.official],
            active: try c.decodeIfPresent(Bool.self, forKey: .active) ?? true)
    }

    /// Roles in a fixed order, so the same organisation always prints the same YAML.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(position, forKey: .position)
        try c.encode(Role.allCases.filter(roles.contains), forKey: .roles)
        try c.encode(active, forKey: .active)
    }
}
