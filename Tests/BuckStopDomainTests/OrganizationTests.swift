import BuckStopDomain
import BuckStopTestSupport
import Testing

@Suite struct OrganizationTests {
    @Test func headsAnswerForTheirSubtree() {
        let org = SampleCity.organization
        #expect(org.accountableHead(of: "stp-hcbt") == "tp-hcbt")
        #expect(org.isWithin("stp-hcbt", subtreeOf: "ubnd"))
        #expect(!org.isWithin("stp", subtreeOf: "p-hai-chau"))
        #expect(org.authorityLevel(of: "chu-tich") < org.authorityLevel(of: "gd-stp"))
        #expect(org.authorityLevel(of: "gd-stp") < org.authorityLevel(of: "pgd-stp"))
        #expect(org.authorityLevel(of: "tp-hcbt") < org.authorityLevel(of: "cv-an"))
        #expect(org.isCompetent("thanh-tra", for: .denunciation, procedure: nil))
        #expect(!org.isCompetent("stp", for: .dossier, procedure: "HT-KHAISINH"))
    }

    @Test func cyclesAndDanglingReferencesAreRefused() {
        #expect(throws: DomainError.self) {
            try Organization(
                units: [
                    Unit(id: "a", name: "A", kind: .department, parent: "b", code: "A"),
                    Unit(id: "b", name: "B", kind: .department, parent: "a", code: "B"),
                ],
                officials: [], mandates: [])
        }
        #expect(throws: DomainError.self) {
            try Organization(units: [Unit(id: "a", name: "A", kind: .department, code: "A", head: "ghost")], officials: [], mandates: [])
        }
        #expect(throws: DomainError.self, "a head must belong to the unit they head") {
            try Organization(
                units: [Unit(id: "a", name: "A", kind: .department, code: "A", head: "x"), Unit(id: "b", name: "B", kind: .department, code: "B")],
                officials: [Official(id: "x", name: "X", unit: "b", position: "Giám đốc")], mandates: [])
        }
    }

    @Test func loadsFromYAMLAndNamesTheBadField() throws {
        let yaml = """
            units:
              - id: ubnd
                name: UBND thành phố Đà Nẵng
                kind: provincial_committee
                code: UBND
                head: ct
              - id: stp
                name: Sở Tư pháp
                kind: department
                parent: ubnd
                code: STP
            officials:
              - id: ct
                name: Nguyễn Văn A
                unit: ubnd
                position: Chủ tịch
                roles: [official, head]
              - id: cv
                name: Trần Thị B
                unit: stp
                position: Chuyên viên
            mandates:
              - unit: stp
                caseKind: dossier
                procedure: LLTP
            """
        let org = try YAMLLoading.organization(from: yaml)
        #expect(org.units.count == 2)
        #expect(org.official("ct")?.roles.contains(.head) == true)
        #expect(org.official("cv")?.roles == [.official], "roles default to official")
        #expect(org.unit("ubnd")?.name == "UBND thành phố Đà Nẵng")

        let bad = yaml.replacingOccurrences(of: "kind: department", with: "kind: ministry")
        #expect {
            try YAMLLoading.organization(from: bad)
        } throws: { error in
            guard case .invalidYAML(let path, _) = error as? DomainError else { return false }
            return path == "units[1].kind"
        }
        let missing = yaml.replacingOccurrences(of: "    position: Chuyên viên\n", with: "\n")
        #expect {
            try YAMLLoading.organization(from: missing)
        } throws: { error in
            guard case .invalidYAML(let path, let reason) = error as? DomainError else { return false }
            return path == "officials[1].position" && reason.contains("missing")
        }
        // Round trip through the YAML the CLI prints.
        #expect(try YAMLLoading.organization(from: YAMLLoading.encode(org)) == org)
        let printed = try YAMLLoading.encode(SampleCity.organization)
        #expect(printed.contains("name: Nguyễn Văn Thành"), "diacritics printed as they are")
        #expect(printed.contains("roles:\n  - official\n  - head\n  - inspector\n"), "roles in a fixed order")
    }
}
