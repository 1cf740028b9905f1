import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopTestSupport
import Testing

@Suite struct LedgerEntryCodecTests {
    static let bodies: [ActionBody] = [
        .open(
            OpenCase(
                kind: .denunciation, procedure: nil, title: "Tố cáo cán bộ", leadUnit: "thanh-tra", collaborators: ["stp"], owner: "ttv",
                dueDate: CivilDate(year: 2026, month: 1, day: 5), ruleID: "tc.resolve", subject: SubjectRef(ref: "r1", hash: "ab"))),
        .open(
            OpenCase(
                kind: .task, title: "Xây dựng Đề án số hóa", leadUnit: "stp", collaborators: ["ubnd"], owner: "gd-stp",
                dueDate: CivilDate(year: 2026, month: 9, day: 30), parent: "UBND-CT-2026-01", product: "Đề án trình UBND thành phố",
                document: IssuingDocument(number: "125/KH-UBND", date: CivilDate(year: 2026, month: 1, day: 15)!, signer: "Chủ tịch UBND thành phố"))),
        .open(
            OpenCase(
                kind: .programme, procedure: PlanLevel.reportRequest.rawValue, title: "Báo cáo chuyên đề", leadUnit: "ubnd", owner: "chu-tich",
                dueDate: CivilDate(year: 2026, month: 10, day: 30),
                template: ReportTemplate(
                    sections: ["I. Tình hình", "II. Vụ việc cụ thể"],
                    figures: [ReportFigure(code: "tre_han", label: "Số hồ sơ trễ hạn"), ReportFigure(code: "B-2", label: "Số vụ việc")]))),
        .open(
            OpenCase(
                kind: .programme, procedure: PlanLevel.reportRequest.rawValue, title: "Báo cáo không số liệu", leadUnit: "ubnd", owner: "chu-tich",
                template: ReportTemplate(sections: ["I. Tình hình"], figures: []))),
        .open(
            OpenCase(
                kind: .programme, procedure: PlanLevel.inspection.rawValue, title: "Thanh tra cấp phép xây dựng", leadUnit: "thanh-tra",
                owner: "ttv",
                document: IssuingDocument(number: "12/QĐ-TTTP", date: CivilDate(year: 2026, month: 3, day: 2)!, signer: "Chánh Thanh tra"),
                inspection: InspectionScope(
                    subjects: ["stp", "p-hai-chau"], from: CivilDate(year: 2025, month: 7, day: 1)!, to: CivilDate(year: 2025, month: 12, day: 31)!,
                    fields: ["xay-dung", "thu-tuc-hanh-chinh"]))),
        .recordViolation(InspectionViolation(unit: "stp", field: "xay-dung", text: "Cấp phép trái quy hoạch", cases: ["STP-250801-0001"])),
        .recordViolation(InspectionViolation(unit: "p-hai-chau", field: "thu-tuc-hanh-chinh", text: "Hồ sơ quá hạn không xin lỗi")),
        .concludeInspection(
            InspectionConclusion(
                document: IssuingDocument(number: "KL-05/TTTP", date: CivilDate(year: 2026, month: 4, day: 20)!, signer: "Chánh Thanh tra"),
                summary: "Có vi phạm; kiến nghị khắc phục")),
        .assign(to: "cv-an", note: "Giao xử lý"), .accept(note: ""), .accept(note: "Thụ lý", dueDate: CivilDate(year: 2026, month: 8, day: 3)),
        .transfer(to: "cv-binh", reason: "Đúng chuyên môn"),
        .escalate(to: "tp-hcbt", proposal: "Đề xuất"), .delegate(to: "cv-an", instruction: "Làm ngay"),
        .consult(units: ["stp", "thanh-tra"], question: "Ý kiến?", dueDate: CivilDate(year: 2025, month: 12, day: 1)!),
        .opinion(unit: "stp", text: "Đồng ý"), .requestSupplement(missing: ["CCCD", "Tờ khai"]),
        .supplementReceived(note: "", newDueDate: nil), .supplementReceived(note: "đủ", newDueDate: CivilDate(year: 2025, month: 12, day: 2)),
        .reschedule(newDueDate: CivilDate(year: 2025, month: 12, day: 3)!, apology: "Xin lỗi"),
        .extend(newDueDate: CivilDate(year: 2026, month: 2, day: 3)!, legalBasis: "Luật Tố cáo Đ.30"),
        .decline(legalBasis: "NĐ 61/2018", competentUnit: "p-hai-chau", reason: "Không thuộc thẩm quyền"),
        .decline(legalBasis: "NĐ 61/2018", competentUnit: "p-hai-chau", reason: "Không thuộc thẩm quyền", receiver: "ct-hc"),
        .decide(decision: "Cấp", rationale: "Đủ điều kiện"), .resolve(result: "Xong"), .close(outcome: "Trả kết quả"),
        .reopen(to: "cv-an", reason: "Sai"), .comment(text: "Ghi chú \"trích dẫn\"\n"), .rate(score: 4, comment: ""),
        .raiseFinding(
            FindingNotice(
                id: "F0011223344556677", detector: "ping_pong", official: "cv-binh", unit: "stp-hcbt", severity: .major, evidence: [11, 12],
                value: "1", limit: "0", explanation: "Hồ sơ quay lại 1 lần", explanationEn: "Went back once")),
        .raiseFinding(
            FindingNotice(
                id: "F2", detector: "overlap", official: nil, unit: nil, severity: .minor, evidence: [], value: "2", limit: "1.5",
                explanation: "Chồng chéo", explanationEn: "Overlap")),
        .explainFinding(id: "F2", text: "Đã báo cáo"), .reviewFinding(id: "F2", uphold: false, note: ""),
        .reviewFinding(id: "F2", uphold: true, note: "Đúng", cause: "so-trach-nhiem"),
        .decideConsequence(
            ConsequenceDecision(
                finding: "F2", measure: "khac-phuc", kind: .remediation, legalBasis: "Luật Thanh tra 2022", text: "Rà soát phân công",
                remediationOwner: "cv-an", remediationDue: CivilDate(year: 2026, month: 12, day: 20))),
        .decideConsequence(
            ConsequenceDecision(
                finding: "F2", measure: "canh-cao", kind: .discipline, legalBasis: "Luật Cán bộ, công chức Đ.79", text: "Cảnh cáo",
                decisionNumber: "12/QĐ-STP")),
        .completeRemediation(finding: "F2", text: "Đã ban hành phân công mới"),
        .open(
            OpenCase(
                kind: .proposal, title: "Trả kết quả qua bưu điện", leadUnit: "stp-hcbt", owner: "tp-hcbt",
                proposal: BoldProposal(
                    problem: "Đi lại hai lần", action: "Gửi bưu điện", basis: "QĐ 45/2016", benefit: "Bớt đi lại", risks: "Thất lạc"))),
        .decideProposal(approve: true, note: ""), .decideProposal(approve: false, note: "Chưa đủ căn cứ"),
        .actUnderProposal(proposal: "STP-251120-0009", note: "Theo đề xuất"),
        .actUnderProposal(proposal: "STP-251120-0009", note: "Theo đề xuất", approval: 41),
        .proposalApplied(case: "STP-251120-0001"),
        .reviewFinding(id: "F2", uphold: true, note: "Đúng", cause: "qua-tai", protection: ProtectionReview(proposal: "STP-251120-0009", unmet: [])),
        .reviewFinding(
            id: "F2", uphold: true, note: "Đúng", cause: "qua-tai",
            protection: ProtectionReview(proposal: "STP-251120-0009", unmet: ["khong-vu-loi", "bao-cao-rui-ro"])),
        .revealIdentity(reason: "Liên hệ xác minh"), .suspend(legalBasis: "Luật Tố cáo Đ.34", reason: "Chờ kết luận giám định"),
        .resume(note: "", newDueDate: nil), .resume(note: "Có kết quả", newDueDate: CivilDate(year: 2026, month: 3, day: 13)),
        .receptionHeld(
            ReceptionSession(
                day: CivilDate(year: 2026, month: 7, day: 8)!, receivedBy: "ct-hc", periodic: true, citizens: 4,
                matters: ["Phản ánh lấn chiếm vỉa hè", "Hỏi thủ tục"], cases: ["PHC-260708-0001"])),
        .receptionHeld(
            ReceptionSession(day: CivilDate(year: 2026, month: 7, day: 9)!, receivedBy: "mc-hc", periodic: false, citizens: 1, matters: ["Hỏi"])),
        .refuseIntake(ground: "complaint.refuse.unsigned.2012", reason: "Đơn không có chữ ký"),
        .guide(body: "Tòa án nhân dân thành phố", legalBasis: "Luật Khiếu nại 2011 Đ.11(9)", note: ""),
        .markDuplicate(of: "TTTP-251120-0001", note: "Cùng nội dung"), .duplicateLinked(duplicate: "TTTP-251120-0009"),
        .withdraw(Withdrawal(letter: "Đơn xin rút khiếu nại")), .withdraw(Withdrawal(letter: "Đơn rút", part: "Phần bồi thường")),
        .withdraw(Withdrawal(letter: "Đơn rút tố cáo", continuing: "Có dấu hiệu vi phạm")),
        .dialogue(Dialogue(participants: "Các bên", outcome: "Thống nhất", minutes: "BB số 3", complainantAttended: false)),
        .progress(TaskProgress(percent: 40, text: "Đã hoàn thành dự thảo lần 1", attachment: "Tờ trình 12/TTr-STC")),
        .progress(TaskProgress(percent: 0, text: "Chưa triển khai")), .submitDraft(to: "gd-stp", draft: "Dự thảo Đề án số hóa hồ sơ"),
        .approveDraft(note: "Đồng ý ban hành"), .returnDraft(reason: "Bổ sung số liệu quý III"), .cancel(reason: "Nhiệm vụ trùng với Kế hoạch 45"),
        .submitReport(to: "chu-tich", report: ReportSubmission(document: "12/BC-STP", figures: ["tre_han": 4, "B-2": 0])),
        .submitReport(to: "chu-tich", report: ReportSubmission(document: "13/BC-STP")),
    ]

    @Test(arguments: bodies) func roundTripsEveryActionType(body: ActionBody) throws {
        let action = Action(caseID: "TTTP-251120-0007", actor: .official("cv-an"), at: SampleCity.t0, body: body, via: .generated("test"))
        let bytes = LedgerEntryCodec.encode(action, index: 42)
        let decoded = try LedgerEntryCodec.decode(bytes)
        #expect(decoded.index == 42)
        #expect(decoded.action == action)
        #expect(LedgerEntryCodec.encode(decoded.action, index: 42) == bytes, "encoding is canonical")
    }

    @Test(arguments: bodies) func preparedEntryEqualsTheFullEncoding(body: ActionBody) {
        let action = Action(caseID: "TTTP-251120-0007", actor: .official("cv-an"), at: SampleCity.t0, body: body, via: .generated("test"))
        let prepared = LedgerEntryCodec.prepare(action)
        for index: Int64 in [0, 7, 10, 99, 12_345, 9_007_199_254_740_993] {
            #expect(prepared.bytes(index: index) == LedgerEntryCodec.encode(action, index: index))
        }
    }

    @Test func everyActionTypeIsCovered() {
        #expect(Set(Self.bodies.map(\.type)) == Set(ActionType.allCases))
    }

    @Test func entryIsCanonicalSortedJSON() {
        let action = Action(caseID: "X-1", actor: .citizen, at: 5, body: .rate(score: 5, comment: "Tốt"), via: .generated("test"))
        let text = String(decoding: LedgerEntryCodec.encode(action, index: 3), as: UTF8.self)
        #expect(text == #"{"actor":"@citizen","at":5,"case":"X-1","comment":"Tốt","index":3,"score":5,"type":"rate","v":2,"via":"generated:test"}"#)
    }

    /// A review written before causes existed has no "cause" key and re-encodes to its own bytes, so its hash holds.
    @Test func aReviewWithoutACauseKeepsItsBytes() throws {
        let old = Array(
            #"{"actor":"tp-hcbt","at":5,"case":"X-1","finding":"F1","index":3,"note":"Đúng","type":"finding_reviewed","uphold":true,"v":2,"via":"server"}"#
                .utf8)
        let decoded = try LedgerEntryCodec.decode(old)
        #expect(decoded.action.body == .reviewFinding(id: "F1", uphold: true, note: "Đúng", cause: nil))
        #expect(LedgerEntryCodec.encode(decoded.action, index: 3) == old)
    }

    /// Entries written before credentials were recorded (version 1) are still read, without one; version 2 must name it.
    @Test func versionOneHasNoCredentialAndVersionTwoRequiresOne() throws {
        let v1 = Array(#"{"actor":"@citizen","at":5,"case":"X-1","comment":"Tốt","index":3,"score":5,"type":"rate","v":1}"#.utf8)
        let decoded = try LedgerEntryCodec.decode(v1)
        #expect(decoded.action.via == nil && decoded.action.body == .rate(score: 5, comment: "Tốt"))
        #expect(LedgerEntryCodec.encode(decoded.action, index: 3) == v1, "a version 1 entry re-encodes to its own bytes")
        let v2 = Array(#"{"actor":"@citizen","at":5,"case":"X-1","comment":"Tốt","index":3,"score":5,"type":"rate","v":2}"#.utf8)
        #expect(throws: LedgerEntryError.missingField("via")) { try LedgerEntryCodec.decode(v2) }
        let bad = Array(#"{"actor":"@citizen","at":5,"case":"X-1","comment":"Tốt","index":3,"score":5,"type":"rate","v":2,"via":"anyone"}"#.utf8)
        #expect(throws: LedgerEntryError.self) { try LedgerEntryCodec.decode(bad) }
        let future = Array(#"{"actor":"@citizen","at":5,"case":"X-1","index":3,"type":"comment","text":"x","v":3,"via":"server"}"#.utf8)
        #expect(throws: LedgerEntryError.unsupportedVersion(3)) { try LedgerEntryCodec.decode(future) }
    }

    @Test(arguments: [
        Credential.session(id: "0123456789abcdef"), .apiToken(name: "motcua-hcm"), .commandLine(user: "root"), .citizenPIN, .publicForm, .open311,
        .server,
        .generated("demo"),
    ]) func credentialsRoundTrip(credential: Credential) {
        #expect(Credential(stored: credential.stored) == credential)
    }

    /// A prefix with nothing after it is no credential; a mark combining with the prefix's colon makes another character,
    /// so the prefix is not there.
    @Test func credentialsNeedSomethingAfterTheirPrefix() {
        for text in ["session:", "token:", "cli:", "generated:", "session:\u{301}abc", "Session:x", ""] {
            #expect(Credential(stored: text) == nil, "\(text)")
        }
        #expect(Credential(stored: "session:é") == .session(id: "é"))
        #expect(Credential(stored: "cli:x") == .commandLine(user: "x"))
    }

    @Test func decodeNamesTheMissingField() {
        let bytes = Array(#"{"actor":"a","at":1,"case":"X","index":0,"type":"transfer","v":1,"to":"b"}"#.utf8)
        #expect(throws: LedgerEntryError.missingField("reason")) { try LedgerEntryCodec.decode(bytes) }
    }
}
