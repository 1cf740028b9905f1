/// The organisation: unit tree, officials and mandates, validated as a whole so that
/// every reference resolves and the tree has no cycles.
public struct Organization: Sendable, Codable, Hashable {
    public private(set) var units: [UnitID: Unit]
    public private(set) var officials: [OfficialID: Official]
    public private(set) var mandates: [Mandate]

    public init(units: [Unit], officials: [Official], mandates: [Mandate]) throws(DomainError) {
        var unitMap: [UnitID: Unit] = [:]
        for unit in units {
            guard unitMap.updateValue(unit, forKey: unit.id) == nil else {
                throw .invalidOrganization("đơn vị \(unit.id) khai báo hai lần / unit \(unit.id) is declared twice")
            }
        }
        var officialMap: [OfficialID: Official] = [:]
        for official in officials {
            guard officialMap.updateValue(official, forKey: official.id) == nil else {
                throw .invalidOrganization("cán bộ \(official.id) khai báo hai lần / official \(official.id) is declared twice")
            }
            guard unitMap[official.unit] != nil else {
                throw .invalidOrganization("official \(official.id): unit \(official.unit) does not exist")
            }
        }
        for unit in units {
            if let parent = unit.parent, unitMap[parent] == nil {
                throw .invalidOrganization("unit \(unit.id): parent \(parent) does not exist")
            }
            for person in [unit.head].compactMap({ $0 }) + unit.deputies {
                guard let official = officialMap[person] else {
                    throw .invalidOrganization("unit \(unit.id): head or deputy \(person) is not a known official")
                }
                guard official.unit == unit.id else {
                    throw .invalidOrganization(
                        "unit \(unit.id): head or deputy \(person) belongs to unit \(official.unit), expected \(unit.id)")
                }
            }
            // Walk up: a cycle would make every "is this above that" question loop forever.
            var seen: Set<UnitID> = [unit.id]
            var cursor = unit.parent
            while let current = cursor {
                guard seen.insert(current).inserted else {
                    throw .invalidOrganization("unit \(unit.id): the parent chain loops through \(current)")
                }
                cursor = unitMap[current]?.parent
            }
        }
        for mandate in mandates where unitMap[mandate.unit] == nil {
            throw .invalidOrganization("mandate for \(mandate.caseKind.rawValue): unit \(mandate.unit) does not exist")
        }
        self.units = unitMap
        self.officials = officialMap
        self.mandates = mandates
    }

    public func unit(_ id: UnitID) -> Unit? { units[id] }
    public func official(_ id: OfficialID) -> Official? { officials[id] }

    /// Units from the given one up to the root, the unit itself first.
    public func chain(from id: UnitID) -> [UnitID] {
        var result: [UnitID] = []
        var cursor: UnitID? = id
        while let current = cursor, let unit = units[current] {
            result.append(current)
            cursor = unit.parent
        }
        return result
    }

    public func depth(of id: UnitID) -> Int { max(0, chain(from: id).count - 1) }

    /// True when `ancestor` is `unit` or above it in the tree.
    public func isWithin(_ unit: UnitID, subtreeOf ancestor: UnitID) -> Bool { chain(from: unit).contains(ancestor) }

    public func children(of id: UnitID) -> [Unit] {
        units.values.filter { $0.parent == id }.sorted { $0.id < $1.id }
    }

    /// The head who answers for this unit: its own head, or the nearest head above it.
    public func accountableHead(of id: UnitID) -> OfficialID? {
        for unit in chain(from: id) { if let head = units[unit]?.head { return head } }
        return nil
    }

    /// Smaller is more senior: depth in the tree, then head before deputy before staff.
    /// Escalation must go to a smaller value, delegation to a larger one.
    public func authorityLevel(of id: OfficialID) -> Int {
        guard let official = officials[id], let unit = units[official.unit] else { return Int.max }
        let standing = unit.head == id ? 0 : (unit.deputies.contains(id) ? 1 : 2)
        return depth(of: unit.id) * 3 + standing
    }

    /// Units competent for a case of this kind and procedure, by mandate.
    public func competentUnits(for kind: CaseKind, procedure: String?) -> [UnitID] {
        mandates.filter { $0.caseKind == kind && ($0.procedure == nil || $0.procedure == procedure) }
            .map(\.unit)
    }

    public func isCompetent(_ unit: UnitID, for kind: CaseKind, procedure: String?) -> Bool {
        competentUnits(for: kind, procedure: procedure).contains(unit)
    }

    public func officials(in unit: UnitID) -> [Official] {
        officials.values.filter { $0.unit == unit }.sorted { $0.id < $1.id }
    }
}
