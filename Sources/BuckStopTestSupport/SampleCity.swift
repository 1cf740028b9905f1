import BuckStopCalendar
import BuckStopDomain

/// A small hand-made organisation for tests: a city committee, one department with a division,
/// a ward, and an inspectorate — enough to exercise escalation, delegation and jurisdiction.
///
///     ubnd (chu-tich ★, pct ☆)
///     ├── stp: Sở Tư pháp (gd-stp ★, pgd-stp ☆)
///     │   └── stp-hcbt: Phòng Hành chính tư pháp (tp-hcbt ★, cv-an, cv-binh)
///     ├── p-hai-chau: UBND phường Hải Châu (ct-hc ★, mc-hc)
///     └── thanh-tra: Thanh tra thành phố (ctt ★, ttv)
public enum SampleCity {
    public static let organization: Organization = {
        let units = [
            Unit(id: "ubnd", name: "UBND thành phố", kind: .provincialCommittee, code: "UBND", head: "chu-tich", deputies: ["pct"]),
            Unit(id: "stp", name: "Sở Tư pháp", kind: .department, parent: "ubnd", code: "STP", head: "gd-stp", deputies: ["pgd-stp"]),
            Unit(id: "stp-hcbt", name: "Phòng Hành chính tư pháp", kind: .division, parent: "stp", code: "STPHC", head: "tp-hcbt"),
            Unit(id: "p-hai-chau", name: "UBND phường Hải Châu", kind: .ward, parent: "ubnd", code: "PHC", head: "ct-hc"),
            Unit(id: "thanh-tra", name: "Thanh tra thành phố", kind: .inspectorate, parent: "ubnd", code: "TTTP", head: "ctt"),
        ]
        let officials = [
            Official(id: "chu-tich", name: "Nguyễn Văn Thành", unit: "ubnd", position: "Chủ tịch", roles: [.official, .head]),
            Official(id: "pct", name: "Trần Thị Hoa", unit: "ubnd", position: "Phó Chủ tịch", roles: [.official]),
            Official(id: "gd-stp", name: "Lê Minh Đức", unit: "stp", position: "Giám đốc", roles: [.official, .head]),
            Official(id: "pgd-stp", name: "Phạm Thu Hà", unit: "stp", position: "Phó Giám đốc"),
            Official(id: "tp-hcbt", name: "Hoàng Văn Nam", unit: "stp-hcbt", position: "Trưởng phòng", roles: [.official, .head]),
            Official(id: "cv-an", name: "Võ Thị An", unit: "stp-hcbt", position: "Chuyên viên"),
            Official(id: "cv-binh", name: "Đặng Quốc Bình", unit: "stp-hcbt", position: "Chuyên viên"),
            Official(id: "ct-hc", name: "Bùi Ngọc Lan", unit: "p-hai-chau", position: "Chủ tịch UBND phường", roles: [.official, .head]),
            Official(id: "mc-hc", name: "Đỗ Thị Mai", unit: "p-hai-chau", position: "Công chức một cửa"),
            Official(id: "ctt", name: "Ngô Văn Sơn", unit: "thanh-tra", position: "Chánh Thanh tra", roles: [.official, .head, .inspector]),
            Official(id: "ttv", name: "Dương Thị Yến", unit: "thanh-tra", position: "Thanh tra viên", roles: [.official, .inspector]),
            Official(id: "retired", name: "Lý Văn Cũ", unit: "stp-hcbt", position: "Chuyên viên", active: false),
        ]
        let mandates = [
            Mandate(unit: "stp", caseKind: .dossier, procedure: "LLTP-CAPPHIEU"),
            Mandate(unit: "p-hai-chau", caseKind: .dossier, procedure: "HT-KHAISINH"),
            Mandate(unit: "thanh-tra", caseKind: .denunciation),
            Mandate(unit: "thanh-tra", caseKind: .complaint),
        ]
        return try! Organization(units: units, officials: officials, mandates: mandates)
    }()

    /// 2025-11-20 09:00 in Vietnam (02:00 UTC), a Thursday.
    public static let t0: Int64 = 1_763_604_000_000
    public static let hour: Int64 = 3_600_000
    public static let day: Int64 = 86_400_000

    public static func openDossier(
        _ code: CaseID = "STP-251120-0001", owner: OfficialID = "cv-an", at: Int64 = t0, due: CivilDate? = CivilDate(year: 2025, month: 12, day: 4)
    ) -> Action {
        Action(
            caseID: code, actor: .official("cv-an"), at: at,
            body: .open(
                OpenCase(
                    kind: .dossier, procedure: "LLTP-CAPPHIEU", title: "Cấp Phiếu lý lịch tư pháp số 1", leadUnit: "stp", owner: owner, dueDate: due,
                    ruleID: "test")),
            via: .generated("test"))
    }

    public static func act(_ code: CaseID = "STP-251120-0001", by actor: OfficialID, at: Int64, _ body: ActionBody) -> Action {
        Action(caseID: code, actor: .official(actor), at: at, body: body, via: .generated("test"))
    }
}
