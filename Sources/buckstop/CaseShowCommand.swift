import ArgumentParser
import BuckStopDomain
import BuckStopLedger
import BuckStopStore
import Foundation

/// A case's state, who held it and for how long, and whether its entries are in the signed tree.
struct CaseShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Xem hồ sơ và toàn bộ quá trình xử lý / show a case and its timeline (no code: recent cases).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Case code (mã hồ sơ); omit to list recently updated cases.")
    var code: String?

    @Option(help: "How many cases to list without a code.")
    var limit: Int = 20

    func run() async throws {
        try await global.withStore { store in
            let org = try? store.organization()
            guard let code else { return try await listRecent(store: store, org: org) }
            guard let state = try await store.caseState(CaseID(code)) else {
                throw CLIError("no case '\(code)' in \(global.databasePath); `buckstop case show` lists recent ones", category: .notFound)
            }
            let history = try await store.history(of: state.id)
            print("\(state.id.rawValue) — \(state.title)")
            print("  loại / kind: \(state.kind.nameVi)\(state.procedure.map { " · thủ tục / procedure \($0)" } ?? "")")
            print("  trạng thái / status: \(state.status.nameVi)")
            print("  đơn vị chủ trì / lead unit: \(org?.unit(state.leadUnit)?.name ?? state.leadUnit.rawValue)")
            print(
                "  người chịu trách nhiệm / accountable: \(Display.official(state.owner, in: org))\(state.owner == nil ? "" : " từ / since \(Display.time(state.ownerSince))")"
            )
            print(
                "  hạn / due: \(Display.date(state.dueDate))\(state.originalDueDate != state.dueDate ? " (ban đầu / originally \(Display.date(state.originalDueDate)))" : "")"
            )
            if let rating = state.rating { print("  đánh giá / rating: \(rating)/5") }
            print("\nQuá trình / timeline:")
            for (i, record) in history.enumerated() {
                let next = i + 1 < history.count ? history[i + 1].action.at : (state.status.isOpen ? Display.nowMillis : record.action.at)
                let action = record.action
                print("  #\(record.index)  \(Display.time(action.at))  \(action.body.type.nameVi) — \(Display.actor(action.actor, in: org))")
                if let detail = Self.detail(action.body, org: org) { print("        \(detail)") }
                if action.body.newOwner != nil { print("        giữ / held \(Display.duration(next - action.at))") }
            }
            try await printProofStatus(store: store, history: history)
        }
    }

    private func printProofStatus(store: any LedgerProofs, history: [LedgerRecord]) async throws {
        guard let latest = try await store.latestCheckpoint() else {
            print("\nChưa có điểm kiểm tra được ký / no signed checkpoint yet")
            return
        }
        let checkpoint = latest.checkpoint
        let verifier = try CheckpointVerifier(publicKey: store.publicKey)
        var proven = 0
        for record in history where record.index < checkpoint.size {
            let proof = try await store.inclusionProof(leafIndex: Int(record.index), treeSize: checkpoint.size)
            if MerkleProofs.verifyInclusion(
                leafHash: record.leafHash, leafIndex: Int(record.index), treeSize: checkpoint.size, proof: proof, root: checkpoint.rootHash)
            {
                proven += 1
            }
        }
        let signatureOK = verifier.isValid(latest)
        print(
            "\nXác minh / verification: \(proven)/\(history.count) entries proven in checkpoint size \(checkpoint.size) (root \(checkpoint.rootHash.hex.prefix(16))…), signature \(signatureOK ? "hợp lệ / valid" : "KHÔNG HỢP LỆ / INVALID")"
        )
    }

    static func detail(_ body: ActionBody, org: Organization?) -> String? {
        func name(_ id: OfficialID) -> String { org?.official(id)?.name ?? id.rawValue }
        switch body {
        case .open(let o): return "giao / to \(name(o.owner)); \(o.title)"
        case .assign(let to, let note): return "→ \(name(to))\(note.isEmpty ? "" : ": \(note)")"
        case .transfer(let to, let reason): return "→ \(name(to)): \(reason)"
        case .escalate(let to, let proposal): return "→ \(name(to)); đề xuất / proposal: \(proposal)"
        case .delegate(let to, let instruction): return "→ \(name(to)): \(instruction)"
        case .consult(let units, let question, let due):
            return "\(units.map(\.rawValue).joined(separator: ", ")) trước / by \(Display.date(due)): \(question)"
        case .opinion(let unit, let text): return "\(unit.rawValue): \(text)"
        case .requestSupplement(let missing): return "thiếu / missing: \(missing.joined(separator: "; "))"
        case .supplementReceived(_, let due): return due.map { "hạn mới / new due \(Display.date($0))" }
        case .reschedule(let due, let apology): return "hẹn lại / new date \(Display.date(due)): \(apology)"
        case .extend(let due, let basis): return "gia hạn đến / extended to \(Display.date(due)) (\(basis))"
        case .suspend(let basis, let reason): return "tạm đình chỉ / suspended: \(reason) (\(basis))"
        case .resume(let note, let due):
            return "tiếp tục / resumed" + (note.isEmpty ? "" : ": \(note)") + (due.map { " — hạn mới / new due \(Display.date($0))" } ?? "")
        case .decline(let basis, let unit, let reason, _): return "\(reason) — thẩm quyền / competent: \(unit) (\(basis))"
        case .decide(let decision, let rationale): return "\(decision) — \(rationale)"
        case .resolve(let result): return result
        case .close(let outcome): return outcome
        case .reopen(let to, let reason): return "→ \(name(to)): \(reason)"
        case .comment(let text): return text
        case .rate(let score, let comment): return "\(score)/5\(comment.isEmpty ? "" : " — \(comment)")"
        case .accept(let note, let due):
            let text = [note, due.map { "hạn giải quyết / due \(Display.date($0))" } ?? ""].filter { !$0.isEmpty }.joined(separator: " — ")
            return text.isEmpty ? nil : text
        case .raiseFinding(let f): return "[\(f.detector) · \(f.severity.rawValue)] \(f.explanation)"
        case .explainFinding(let id, let text): return "\(id): \(text)"
        case .reviewFinding(let id, let uphold, let note, let cause, let protection):
            return "\(id): \(uphold ? "giữ nguyên / upheld" : "bác bỏ / dismissed")\(cause.map { " — nguyên nhân / cause: \($0)" } ?? "")"
                + (protection.map {
                    $0.isProtected
                        ? " — được bảo vệ / protected (\($0.proposal.rawValue))"
                        : " — không được bảo vệ / not protected (\($0.proposal.rawValue): \($0.unmet.joined(separator: ", ")))"
                } ?? "") + (note.isEmpty ? "" : " — \(note)")
        // The command line is run by administrators of the database: discipline stays restricted here too.
        case .decideConsequence(let d) where d.kind == .discipline: return "\(d.finding): \(d.kind.nameVi) / \(d.kind.nameEn) (hạn chế / restricted)"
        case .decideConsequence(let d):
            return "\(d.finding): \(d.measure) — \(d.text)" + (d.remediationDue.map { " — hạn / due \(Display.date($0))" } ?? "")
        case .completeRemediation(let id, let text): return "\(id): \(text)"
        case .revealIdentity(let reason): return "lý do / reason: \(reason)"
        case .receptionHeld(let s):
            return "\(Display.date(s.day)) — người tiếp / received by \(name(s.receivedBy)), \(s.citizens) công dân / citizens: "
                + s.matters.joined(separator: "; ") + (s.cases.isEmpty ? "" : " — \(s.cases.map(\.rawValue).joined(separator: ", "))")
        case .refuseIntake(let ground, let reason): return "không thụ lý / not accepted: \(ground) — \(reason)"
        case .guide(let body, let basis, let note):
            return "hướng dẫn đến / guided to \(body) (\(basis))" + (note.isEmpty ? "" : " — \(note)")
        case .markDuplicate(let other, let note): return "trùng với / duplicate of \(other.rawValue) — \(note)"
        case .duplicateLinked(let duplicate): return "đơn trùng / duplicate: \(duplicate.rawValue)"
        case .withdraw(let w):
            return w.letter + (w.part.map { " — phần rút / part withdrawn: \($0)" } ?? "")
                + (w.continuing.map { " — vẫn tiếp tục / handling continues: \($0)" } ?? "")
        case .dialogue(let d):
            return "\(d.participants)\(d.complainantAttended ? "" : " (vắng mặt / absent)") — \(d.outcome) — biên bản / minutes: \(d.minutes)"
        case .progress(let p): return "\(p.percent)% — \(p.text)" + (p.attachment.map { " — văn bản / document: \($0)" } ?? "")
        case .submitDraft(let to, let draft): return "trình / submitted to \(name(to)): \(draft)"
        case .approveDraft(let note): return note
        case .returnDraft(let reason): return "trả lại / returned: \(reason)"
        case .cancel(let reason): return reason
        case .submitReport(let to, let report):
            return "gửi báo cáo / report sent to \(name(to)): số / no. \(report.document)"
                + report.figures.sorted { $0.key < $1.key }.map { "; \($0.key) = \($0.value)" }.joined()
        case .recordViolation(let v):
            return "vi phạm / violation: \(v.unit.rawValue) · \(v.field): \(v.text)"
                + (v.cases.isEmpty ? "" : " — \(v.cases.map(\.rawValue).joined(separator: ", "))")
        case .concludeInspection(let c):
            return "kết luận / conclusion số / no. \(c.document.number) (\(Display.date(c.document.date)), \(c.document.signer)): \(c.summary)"
        case .decideProposal(let approve, let note):
            return (approve ? "chấp thuận / approved" : "không chấp thuận / declined") + (note.isEmpty ? "" : " — \(note)")
        case .actUnderProposal(let proposal, let note, let approval):
            return "theo đề xuất / under proposal \(proposal.rawValue)" + (approval.map { " (#\($0))" } ?? "") + " — \(note)"
        case .proposalApplied(let other): return "hồ sơ theo đề xuất / case under it: \(other.rawValue)"
        }
    }

    private func listRecent(store: any LedgerStore, org: Organization?) async throws {
        let counts = try await store.caseCount()
        let total = counts.values.reduce(0, +)
        print("\(total) hồ sơ / cases: " + CaseStatus.allCases.map { "\($0.nameVi) \(counts[$0] ?? 0)" }.joined(separator: " · "))
        print("Nhật ký xử lý / ledger: \(try await store.ledgerSize()) entries\n")
        for state in try await store.cases(limit: limit, status: nil) {
            print(
                "\(state.id.rawValue)  [\(state.kind.nameVi) · \(state.status.nameVi)]  hạn / due \(Display.date(state.dueDate))  \(Display.official(state.owner, in: org))"
            )
            print("    \(state.title)")
        }
    }
}
