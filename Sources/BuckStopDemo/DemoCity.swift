import BuckStopDomain

/// The demo city: Đà Nẵng after the 1 July 2025 two-tier reform (NQ 1659/NQ-UBTVQH15; see
/// `data/vietnam/org_hanoi_2025.md`), reduced to a size one can read: UBND thành phố, its Văn phòng,
/// Thanh tra, the Trung tâm Phục vụ hành chính công, ten sở (four with two phòng each) and eight
/// phường/xã, about 110 officials in all.
public enum DemoCity {
    /// The organisation for a seed: the structure is fixed, the people's names depend on the seed.
    ///
    /// Mandates: complaints and denunciations → Thanh tra and UBND; petitions → Văn phòng UBND;
    /// tasks → every sở. Dossier mandates need procedure codes, so they are added only when a
    /// `rulebook` is given: each xã-level procedure → every phường/xã, each tỉnh-level procedure → the
    /// sở matched by its name (hộ tịch, chứng thực, lý lịch tư pháp → Tư pháp; doanh nghiệp → Tài chính;
    /// xây dựng → Xây dựng; đất đai, môi trường → Nông nghiệp và Môi trường; …). Procedures of the police
    /// (cư trú, căn cước, hộ chiếu, giấy phép lái xe) belong to Công an, which is not part of the UBND
    /// system, and get no mandate. `DemoHistory.organization` is always built with the rulebook.
    public static func organization(seed: UInt64, rulebook: Rulebook? = nil) -> Organization {
        City.build(seed: seed, rulebook: rulebook).org
    }
}

/// What a member of staff does in the demo flows (beyond their position title).
enum StaffTag: Sendable, Hashable {
    case head, deputy
    /// Công chức một cửa: receives dossiers.
    case oneStop
    /// Receives complaints, denunciations or petitions.
    case reception
    /// Ward specialist for civil status and attestation.
    case justice
    /// Ward specialist for land, construction and business.
    case economy
    case specialist
}

struct UnitPlan {
    var id: String
    var name: String
    var nameEn: String
    var kind: UnitKind
    var parent: String?
    var code: String
    var headTitle: String
    var deputyTitle: String?
    var staff: [(String, StaffTag)]
    var rural = false
}

/// Where a procedure's dossiers are received and decided.
enum Route: Sendable, Hashable {
    /// xã level: received and decided by any phường/xã; the tag says which ward specialist handles it.
    case ward(StaffTag)
    /// tỉnh level: received at the Trung tâm, decided by `agency`; `division` is the phòng that processes it.
    case department(agency: UnitID, division: UnitID?)
}

/// The organisation plus the roster the generator needs (who receives, who processes, who signs).
struct City: Sendable {
    let org: Organization
    let tagOf: [OfficialID: StaffTag]
    let membersByUnit: [UnitID: [OfficialID]]
    let unitOrder: [UnitID]
    let wards: [UnitID]
    let departments: [UnitID]
    let bigDepartments: [UnitID]
    let routes: [String: Route]
    let rural: Set<UnitID>

    static let root: UnitID = "ubnd"
    static let office: UnitID = "van-phong"
    static let inspectorate: UnitID = "thanh-tra"
    static let serviceCentre: UnitID = "ttpvhcc"

    static let plans: [UnitPlan] = {
        var p: [UnitPlan] = []
        p.append(
            UnitPlan(
                id: "ubnd", name: "Ủy ban nhân dân thành phố Đà Nẵng", nameEn: "Đà Nẵng City People's Committee",
                kind: .provincialCommittee, parent: nil, code: "UBND", headTitle: "Chủ tịch UBND thành phố",
                deputyTitle: "Phó Chủ tịch UBND thành phố", staff: [("Phó Chủ tịch UBND thành phố", .deputy)]))
        p.append(
            UnitPlan(
                id: "van-phong", name: "Văn phòng Ủy ban nhân dân thành phố", nameEn: "Office of the City People's Committee",
                kind: .department, parent: "ubnd", code: "VPUB", headTitle: "Chánh Văn phòng", deputyTitle: "Phó Chánh Văn phòng",
                staff: [("Chuyên viên tiếp nhận phản ánh, kiến nghị", .reception), ("Chuyên viên", .specialist), ("Chuyên viên", .specialist)]))
        p.append(
            UnitPlan(
                id: "thanh-tra", name: "Thanh tra thành phố", nameEn: "City Inspectorate", kind: .inspectorate, parent: "ubnd",
                code: "TTRA", headTitle: "Chánh Thanh tra", deputyTitle: "Phó Chánh Thanh tra",
                staff: [("Chuyên viên tiếp công dân", .reception), ("Thanh tra viên chính", .specialist), ("Thanh tra viên", .specialist)]))
        p.append(
            UnitPlan(
                id: "ttpvhcc", name: "Trung tâm Phục vụ hành chính công thành phố", nameEn: "City Public Administrative Service Centre",
                kind: .serviceCentre, parent: "ubnd", code: "TTHCC", headTitle: "Giám đốc Trung tâm", deputyTitle: "Phó Giám đốc Trung tâm",
                staff: [("Công chức một cửa", .oneStop), ("Công chức một cửa", .oneStop), ("Công chức một cửa", .oneStop)]))
        // Sở: the four that handle most tỉnh-level dossiers have two phòng each.
        let big: [(String, String, String, String, [(String, String, String, String)])] = [
            (
                "so-tu-phap", "Sở Tư pháp", "Department of Justice", "STP",
                [
                    ("stp-hctp", "Phòng Hành chính tư pháp", "Administrative Justice Division", "HCTP"),
                    ("stp-bttp", "Phòng Bổ trợ tư pháp", "Judicial Support Division", "BTTP"),
                ]
            ),
            (
                "so-tai-chinh", "Sở Tài chính", "Department of Finance", "STC",
                [
                    ("stc-dkkd", "Phòng Đăng ký kinh doanh", "Business Registration Division", "DKKD"),
                    ("stc-ns", "Phòng Quản lý ngân sách", "Budget Division", "QLNS"),
                ]
            ),
            (
                "so-xay-dung", "Sở Xây dựng", "Department of Construction", "SXD",
                [
                    ("sxd-qlxd", "Phòng Quản lý hoạt động xây dựng", "Construction Management Division", "QLXD"),
                    ("sxd-vt", "Phòng Quản lý vận tải, phương tiện và người lái", "Transport Division", "QLVT"),
                ]
            ),
            (
                "so-nn-mt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "SNNMT",
                [
                    ("snnmt-vpdk", "Văn phòng Đăng ký đất đai", "Land Registration Office", "VPDKDD"),
                    ("snnmt-mt", "Phòng Môi trường", "Environment Division", "PMT"),
                ]
            ),
        ]
        for (id, name, en, code, divisions) in big {
            p.append(
                UnitPlan(
                    id: id, name: name, nameEn: en, kind: .department, parent: "ubnd", code: code, headTitle: "Giám đốc Sở",
                    deputyTitle: "Phó Giám đốc Sở", staff: []))
            for (did, dname, den, dcode) in divisions {
                let head = did == "snnmt-vpdk" ? "Giám đốc Văn phòng Đăng ký đất đai" : "Trưởng phòng"
                p.append(
                    UnitPlan(
                        id: did, name: dname, nameEn: den, kind: .division, parent: id, code: dcode, headTitle: head, deputyTitle: nil,
                        staff: [("Chuyên viên", .specialist), ("Chuyên viên", .specialist)]))
            }
        }
        let small: [(String, String, String, String, Int)] = [
            ("so-noi-vu", "Sở Nội vụ", "Department of Home Affairs", "SNV", 2),
            ("so-y-te", "Sở Y tế", "Department of Health", "SYT", 2),
            ("so-cong-thuong", "Sở Công Thương", "Department of Industry and Trade", "SCT", 2),
            ("so-khcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN", 2),
            ("so-gd-dt", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "SGDDT", 1),
            ("so-vh-tt", "Sở Văn hóa và Thể thao", "Department of Culture and Sports", "SVHTT", 1),
        ]
        for (id, name, en, code, n) in small {
            p.append(
                UnitPlan(
                    id: id, name: name, nameEn: en, kind: .department, parent: "ubnd", code: code, headTitle: "Giám đốc Sở",
                    deputyTitle: "Phó Giám đốc Sở", staff: Array(repeating: ("Chuyên viên", StaffTag.specialist), count: n)))
        }
        // Phường and xã of the new Đà Nẵng ([V] and [S] names in org_hanoi_2025.md §5).
        let wards: [(String, String, String, String, Bool)] = [
            ("p-hai-chau", "Phường Hải Châu", "Hải Châu Ward", "HCHAU", false),
            ("p-hoa-cuong", "Phường Hòa Cường", "Hòa Cường Ward", "HCUONG", false),
            ("p-thanh-khe", "Phường Thanh Khê", "Thanh Khê Ward", "TKHE", false),
            ("p-son-tra", "Phường Sơn Trà", "Sơn Trà Ward", "STRA", false),
            ("p-ngu-hanh-son", "Phường Ngũ Hành Sơn", "Ngũ Hành Sơn Ward", "NHSON", false),
            ("p-cam-le", "Phường Cẩm Lệ", "Cẩm Lệ Ward", "CLE", false),
            ("x-hoa-vang", "Xã Hòa Vang", "Hòa Vang Commune", "HVANG", true),
            ("x-ba-na", "Xã Bà Nà", "Bà Nà Commune", "BANA", true),
        ]
        for (id, name, en, code, rural) in wards {
            let level = rural ? "xã" : "phường"
            p.append(
                UnitPlan(
                    id: id, name: name, nameEn: en, kind: rural ? .commune : .ward, parent: "ubnd", code: code,
                    headTitle: "Chủ tịch UBND \(level)", deputyTitle: "Phó Chủ tịch UBND \(level)",
                    staff: [
                        ("Công chức một cửa", .oneStop), ("Chuyên viên Tư pháp - Hộ tịch", .justice),
                        ("Chuyên viên Kinh tế, Hạ tầng và Đô thị", .economy),
                    ],
                    rural: rural))
        }
        return p
    }()

    static func build(seed: UInt64, rulebook: Rulebook?) -> City {
        var rng = DemoRandom(seed: SplitMix64.derive(seed, 0xC17))
        var officials: [Official] = []
        var units: [Unit] = []
        var tagOf: [OfficialID: StaffTag] = [:]
        var members: [UnitID: [OfficialID]] = [:]
        var usedIDs = Set<String>()
        var usedNames = Set<String>()

        func newOfficial(unit: String, position: String, tag: StaffTag, roles: Set<Role>) -> OfficialID {
            var person = VietnameseNames.person(&rng)
            while usedNames.contains(person.fullName) { person = VietnameseNames.person(&rng) }
            usedNames.insert(person.fullName)
            let base = VietnameseNames.loginID(person)
            var login = base
            var n = 2
            while usedIDs.contains(login) {
                login = "\(base)\(n)"
                n += 1
            }
            usedIDs.insert(login)
            let id = OfficialID(login)
            officials.append(Official(id: id, name: person.fullName, unit: UnitID(unit), position: position, roles: roles))
            tagOf[id] = tag
            members[UnitID(unit), default: []].append(id)
            return id
        }

        for plan in plans {
            let isInspectorate = plan.kind == .inspectorate
            let extra: Set<Role> = isInspectorate ? [.inspector] : []
            let head = newOfficial(unit: plan.id, position: plan.headTitle, tag: .head, roles: Set<Role>([.official, .head]).union(extra))
            var deputies: [OfficialID] = []
            if let title = plan.deputyTitle {
                deputies.append(newOfficial(unit: plan.id, position: title, tag: .deputy, roles: Set<Role>([.official]).union(extra)))
            }
            for (position, tag) in plan.staff {
                var roles: Set<Role> = [.official]
                roles.formUnion(extra)
                // One Văn phòng official administers the system.
                if plan.id == "van-phong", tag == .reception { roles.insert(.admin) }
                let id = newOfficial(unit: plan.id, position: position, tag: tag, roles: roles)
                if tag == .deputy { deputies.append(id) }
            }
            units.append(
                Unit(
                    id: UnitID(plan.id), name: plan.name, nameEn: plan.nameEn, kind: plan.kind, parent: plan.parent.map(UnitID.init),
                    code: plan.code, head: head, deputies: deputies))
        }

        let wards = plans.filter { $0.kind == .ward || $0.kind == .commune }.map { UnitID($0.id) }
        let departments = plans.filter { $0.kind == .department && $0.id != "van-phong" }.map { UnitID($0.id) }
        let bigDepartments = departments.filter { d in plans.contains { $0.parent == d.rawValue } }

        var mandates: [Mandate] = []
        for unit in [inspectorate, root] {
            mandates.append(Mandate(unit: unit, caseKind: .complaint))
            mandates.append(Mandate(unit: unit, caseKind: .denunciation))
        }
        mandates.append(Mandate(unit: office, caseKind: .petition))
        for d in departments { mandates.append(Mandate(unit: d, caseKind: .task)) }
        var routes: [String: Route] = [:]
        for procedure in rulebook?.procedures ?? [] where procedure.caseKind == .dossier {
            guard let route = route(for: procedure) else { continue }
            routes[procedure.code] = route
            switch route {
            case .ward:
                for w in wards { mandates.append(Mandate(unit: w, caseKind: .dossier, procedure: procedure.code)) }
            case .department(let agency, _):
                mandates.append(Mandate(unit: agency, caseKind: .dossier, procedure: procedure.code))
            }
        }

        let org: Organization
        do {
            org = try Organization(units: units, officials: officials, mandates: mandates)
        } catch {
            preconditionFailure("demo city is not a valid organisation: \(error)")
        }
        return City(
            org: org, tagOf: tagOf, membersByUnit: members, unitOrder: plans.map { UnitID($0.id) }, wards: wards,
            departments: departments, bigDepartments: bigDepartments, routes: routes,
            rural: Set(plans.filter(\.rural).map { UnitID($0.id) }))
    }

    // MARK: - Routing procedures by name

    private static let police = ["hộ chiếu", "lái xe", "căn cước", "cư trú", "thường trú", "tạm trú", "xuất cảnh", "nhập cảnh"]
    private static let wardJustice = ["hộ tịch", "khai sinh", "kết hôn", "khai tử", "cha, mẹ", "cải chính", "chứng thực", "giám hộ"]

    /// Keyword groups, checked in order; the first match wins.
    private static let departmentKeywords: [([String], String, String?)] = [
        (["rượu", "thuốc lá", "xăng dầu", "công thương", "khuyến mại", "hóa chất", "điện lực"], "so-cong-thuong", nil),
        (["lý lịch tư pháp", "hộ tịch", "khai sinh", "kết hôn", "khai tử", "cha, mẹ", "chứng thực", "quốc tịch"], "so-tu-phap", "stp-hctp"),
        (["công chứng", "luật sư", "đấu giá", "giám định", "trợ giúp pháp lý", "hòa giải"], "so-tu-phap", "stp-bttp"),
        (["lao động", "việc làm", "tôn giáo", "thi đua", "khen thưởng", "người có công", "bảo trợ xã hội"], "so-noi-vu", nil),
        (["doanh nghiệp", "hộ kinh doanh", "hợp tác xã", "đầu tư"], "so-tai-chinh", "stc-dkkd"),
        (["ngân sách", "tài sản công", "giá"], "so-tai-chinh", "stc-ns"),
        (["xây dựng", "quy hoạch", "nhà ở", "kiến trúc"], "so-xay-dung", "sxd-qlxd"),
        (["vận tải", "phương tiện", "đường bộ", "giao thông"], "so-xay-dung", "sxd-vt"),
        (["đất", "nhà đất"], "so-nn-mt", "snnmt-vpdk"),
        (["môi trường", "tài nguyên", "khoáng sản", "thủy lợi", "nông nghiệp", "thú y", "thực vật", "lâm"], "so-nn-mt", "snnmt-mt"),
        (["an toàn thực phẩm", "dược", "khám bệnh", "y tế", "mỹ phẩm"], "so-y-te", nil),
        (["khoa học", "công nghệ", "thông tin", "báo chí", "xuất bản", "viễn thông", "bưu chính", "sở hữu trí tuệ"], "so-khcn", nil),
        (["giáo dục", "trường", "văn bằng", "đào tạo"], "so-gd-dt", nil),
        (["văn hóa", "thể thao", "du lịch", "quảng cáo", "biểu diễn", "di tích", "lễ hội"], "so-vh-tt", nil),
    ]

    /// The route of a dossier procedure, or nil when the competent body is outside the UBND system.
    static func route(for procedure: Procedure) -> Route? {
        let name = procedure.nameVi.lowercased()
        if police.contains(where: { name.contains($0) }) { return nil }
        let level = VietnameseNames.ascii(procedure.competentLevel).lowercased()
        if level.hasPrefix("xa") {
            return .ward(wardJustice.contains(where: { name.contains($0) }) ? .justice : .economy)
        }
        for (keywords, agency, division) in departmentKeywords where keywords.contains(where: { name.contains($0) }) {
            return .department(agency: UnitID(agency), division: division.map(UnitID.init))
        }
        // Nothing matched: Sở Nội vụ, the general home-affairs department, receives it.
        return .department(agency: "so-noi-vu", division: nil)
    }

    // MARK: - Roster queries

    func members(_ unit: UnitID) -> [OfficialID] { membersByUnit[unit] ?? [] }
    func head(_ unit: UnitID) -> OfficialID { org.unit(unit)!.head! }
    func deputies(_ unit: UnitID) -> [OfficialID] { org.unit(unit)!.deputies }
    func staff(_ unit: UnitID, _ tag: StaffTag) -> [OfficialID] { members(unit).filter { tagOf[$0] == tag } }
    /// Everyone in the unit who is neither its head nor a deputy.
    func rankAndFile(_ unit: UnitID) -> [OfficialID] {
        members(unit).filter { tagOf[$0] != .head && tagOf[$0] != .deputy }
    }
    func divisions(of unit: UnitID) -> [UnitID] { unitOrder.filter { org.unit($0)?.parent == unit } }
    func unitOf(_ official: OfficialID) -> UnitID { org.official(official)!.unit }
    func name(_ unit: UnitID) -> String { org.unit(unit)!.name }
    /// Nearest unit at or above that is not a phòng: the agency that answers for the unit.
    func agency(of unit: UnitID) -> UnitID { org.body(of: unit) }
}
