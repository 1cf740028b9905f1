import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLedger
import BuckStopLive
import BuckStopStore
import Foundation
import HTTPTypes
import Hummingbird

/// The citizen's side, without an account: look a case up by code and PIN (rate limited), follow it, verify its
/// history against the signed ledger, rate it when finished, and send a petition.
struct CitizenRoutes {
    let state: ServerState

    func register(on router: Router<AppRequestContext>) {
        router.get("/track") { request, context in trackForm(request, context) }
        router.post("/track") { request, context in try await lookUp(request, context) }
        router.get("/track/:code") { request, context in try await trackPage(request, context) }
        router.get("/track/:code/verify") { request, context in try await verifyPage(request, context) }
        router.get("/ledger") { request, context in try await ledgerPage(request, context) }
        router.post("/track/:code/rate") { request, context in try await rate(request, context) }
        router.get("/petition") { request, context in petitionForm(request, context) }
        router.post("/petition") { request, context in try await petition(request, context) }
    }

    func layout(_ request: Request, _ context: AppRequestContext) -> Layout {
        Layout(state: state, context: context, path: request.uri.path)
    }

    func trackForm(_ request: Request, _ context: AppRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let l = layout(request, context)
        let lang = context.language
        // The receipt's QR code opens /track?code=…: the code is filled in and the PIN (never in an address) asked for.
        let given = request.uri.queryParameters.get("code").map { String($0.trimmingCharacters(in: .whitespaces).uppercased().prefix(64)) }
        let prefilled = given.flatMap { $0.isEmpty ? nil : $0 }
        let body = HTML.el(
            "form", [("id", "track-form"), ("class", "card"), ("method", "post"), ("action", "/track")], l.csrfField(),
            HTML.el("label", [("for", "code")], text: lang.t("Mã hồ sơ (trên phiếu hẹn)", "Case code (on your receipt)")),
            HTML.el("input", [("id", "code"), ("name", "code"), ("required", "required"), ("autocomplete", "off"), ("value", prefilled)]),
            HTML.el("label", [("for", "pin")], text: lang.t("Mã PIN (6 chữ số)", "PIN (6 digits)")),
            HTML.el(
                "input",
                [
                    ("id", "pin"), ("name", "pin"), ("required", "required"), ("inputmode", "numeric"), ("pattern", "[0-9]{6}"),
                    ("autocomplete", "off"), ("autofocus", prefilled == nil ? nil : "autofocus"),
                ]),
            HTML.el("button", [("type", "submit")], text: lang.t("Tra cứu", "Look up")))
        return l.page(
            lang.t("Tra cứu hồ sơ", "Track your case"), flash: error.map { Flash($0, isError: true) }, request: request, status: status, body)
    }

    func lookUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let code = CaseID((form["code"] ?? "").trimmingCharacters(in: .whitespaces).uppercased())
        let now = Int64(Date().timeIntervalSince1970)
        let caseKey = "pin-case:" + code.rawValue
        let addressKey = "pin-ip:" + context.clientAddress
        guard state.pinPerCase.allows(caseKey, now: now), state.pinPerAddress.allows(addressKey, now: now) else {
            state.logger.notice("citizen lookup rate limited", metadata: ["case": .string(code.rawValue), "address": .string(context.clientAddress)])
            return trackForm(
                request, context,
                error: lang.t(
                    "Đã nhập sai quá nhiều lần. Vui lòng thử lại sau \(state.configuration.pinWindowSeconds / 60) phút.",
                    "Too many wrong attempts. Please try again in \(state.configuration.pinWindowSeconds / 60) minutes."), status: .tooManyRequests)
        }
        guard state.live.citizenKeys.check(pin: form["pin"] ?? "", for: code), try await state.store.caseState(code) != nil else {
            state.pinPerCase.recordFailure(caseKey, now: now)
            state.pinPerAddress.recordFailure(addressKey, now: now)
            return trackForm(
                request, context, error: lang.t("Mã hồ sơ hoặc mã PIN không đúng.", "The case code or PIN is wrong."), status: .unauthorized)
        }
        state.pinPerCase.reset(caseKey)
        let expires = now + 3600
        var response = state.redirect("/track/" + Paths.segment(code.rawValue))
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: state.cookies.set(AuthMiddleware.citizenCookie, state.live.citizenKeys.grant(code, expires: expires), maxAge: 3600)))
        return response
    }

    /// The case the citizen's cookie grants, or a redirect to the lookup form.
    func grantedCase(_ request: Request, _ context: AppRequestContext) throws -> CaseID {
        guard let raw = context.parameters.get("code") else {
            throw RequestRefusal.invalid(Bilingual("Thiếu mã hồ sơ", "no case code"), field: "code")
        }
        let code = CaseID(raw.removingPercentEncoding ?? raw)
        let now = Int64(Date().timeIntervalSince1970)
        guard let cookie = request.cookie(AuthMiddleware.citizenCookie), state.live.citizenKeys.granted(cookie, now: now) == code else {
            throw Guard.Redirect(location: "/track")
        }
        return code
    }

    func trackPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        guard let c = try await state.store.caseState(code) else { throw Guard.Redirect(location: "/track") }
        let history = try await state.store.history(of: code)
        let l = layout(request, context)
        let lang = context.language
        let owner = c.owner.flatMap { state.organization.official($0) }
        var body = HTML.el(
            "section", [("class", "card")],
            HTML.el(
                "dl", [("class", "kv")],
                HTML.el("dt", text: lang.t("Hồ sơ", "Case")), HTML.el("dd", text: "\(code.rawValue) — \(c.title)"),
                HTML.el("dt", text: lang.t("Trạng thái", "Status")),
                HTML.el("dd", [("id", "track-status"), ("data-status", c.isSuspended ? "suspended" : c.status.rawValue)], text: l.statusName(of: c)),
                HTML.el("dt", text: lang.t("Đơn vị, người đang xử lý", "Unit and official holding it")),
                HTML.el(
                    "dd", [("id", "track-owner"), ("data-official", c.owner?.rawValue ?? "")],
                    text: owner.map {
                        "\($0.name), \($0.position) — \(l.unitName($0.unit)) · " + lang.t("từ ", "since ") + Layout.timeText(c.ownerSince)
                    } ?? lang.t("đã xong", "finished")),
                HTML.el("dt", text: lang.t("Hẹn trả kết quả", "Due")),
                HTML.el("dd", [("id", "track-due")], l.dueBadge(c.dueDate, open: c.status.isOpen)),
                CaseProof.checkpointRows(try await CaseProof.witnessedCheckpoint(state), lang)),
            HTML.el(
                "a", [("id", "verify-link"), ("class", "button"), ("href", "/track/" + Paths.segment(code.rawValue) + "/verify")],
                text: lang.t("Xác minh lịch sử với nhật ký xử lý có chữ ký số", "Verify the history against the signed ledger")))
        body += HTML.el("h2", text: lang.t("Quá trình giải quyết", "How your case has gone"))
        body += CitizenTimeline(layout: l).list(history)
        if (c.status == .resolved || c.status == .closed) && c.rating == nil {
            body += HTML.el(
                "form", [("id", "rate-form"), ("class", "card"), ("method", "post"), ("action", "/track/" + Paths.segment(code.rawValue) + "/rate")],
                l.csrfField(),
                // Labelled choices and none chosen beforehand: a preselected answer is counted as the citizen's.
                HTML.el(
                    "fieldset", [("id", "score")],
                    children: [HTML.el("legend", text: lang.t("Mức độ hài lòng của Ông/Bà", "How satisfied are you?"))]
                        + Self.ratingLabels.enumerated().map { i, label in
                            HTML.el(
                                "label", [("class", "choice")],
                                HTML.el("input", [("type", "radio"), ("name", "score"), ("value", String(i + 1)), ("required", "required")]),
                                HTML.text(" \(i + 1) — " + lang.t(label.vi, label.en)))
                        }),
                HTML.el("label", [("for", "comment")], text: lang.t("Góp ý (không bắt buộc)", "Comment (optional)")),
                HTML.el("textarea", [("id", "comment"), ("name", "comment")], text: ""),
                HTML.el("button", [("type", "submit")], text: lang.t("Gửi đánh giá", "Send rating")))
        } else if let rating = c.rating {
            body += HTML.el(
                "p", [("id", "track-rating")], text: lang.t("Ông/Bà đã đánh giá \(rating)/5. Xin cảm ơn!", "You rated it \(rating)/5. Thank you!"))
        }
        return l.page(lang.t("Hồ sơ của Ông/Bà", "Your case"), request: request, body)
    }

    func verifyPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        let l = layout(request, context)
        let lang = context.language
        guard let proof = try await CaseProof.make(code, store: state.store, witnesses: state.witnesses) else {
            throw Guard.Redirect(location: "/track")
        }
        let verdict: String
        if proof.allVerified {
            verdict = lang.t(
                "Đã xác minh: mọi mục của hồ sơ đến điểm kiểm tra đã ký nằm trong nhật ký xử lý, không bị sửa, và được nhân chứng độc lập xác nhận.",
                "Verified: every entry of the case up to the signed checkpoint is in the ledger, unaltered, and confirmed by independent witnesses.")
        } else if state.witnesses.isEmpty {
            verdict = lang.t(
                "KHÔNG xác minh được: hệ thống chưa có nhân chứng độc lập nào xác nhận nhật ký — hãy báo cho cơ quan thanh tra.",
                "NOT verified: no independent witness confirms this ledger — please tell the inspectorate.")
        } else if proof.checkpoint == nil {
            verdict = lang.t(
                "Chưa xác minh được: chưa có điểm kiểm tra nào được mọi nhân chứng xác nhận. Vui lòng thử lại sau ít phút; nếu vẫn vậy, hãy báo cho cơ quan thanh tra.",
                "Not verified yet: no checkpoint has been cosigned by every witness. Try again in a few minutes; if it persists, tell the inspectorate."
            )
        } else {
            verdict = lang.t("KHÔNG xác minh được — hãy báo cho cơ quan thanh tra.", "NOT verified — please tell the inspectorate.")
        }
        var body = HTML.el(
            "section", [("class", "card"), ("id", "verify-result"), ("data-verified", proof.allVerified ? "true" : "false")],
            HTML.el("p", [], HTML.el("strong", text: verdict)))
        if let signed = proof.checkpoint {
            let cp = signed.checkpoint
            var rows =
                HTML.el("dt", text: lang.t("Điểm kiểm tra (số mục)", "Checkpoint (tree size)"))
                + HTML.el("dd", [("id", "checkpoint-size")], text: String(cp.size))
            rows +=
                HTML.el("dt", text: lang.t("Gốc cây Merkle", "Merkle root"))
                + HTML.el("dd", [("class", "mono"), ("id", "checkpoint-root")], text: cp.rootHash.hex)
            rows += HTML.el("dt", text: lang.t("Ký lúc", "Signed at")) + HTML.el("dd", text: Layout.timeText(cp.timestamp * 1000))
            rows +=
                HTML.el("dt", text: lang.t("Chữ ký của nhật ký (Ed25519)", "Ledger's signature (Ed25519)"))
                + HTML.el("dd", text: proof.signatureValid ? lang.t("hợp lệ", "valid") : lang.t("KHÔNG hợp lệ", "INVALID"))
            for w in proof.witnesses {
                rows += HTML.el("dt", text: lang.t("Nhân chứng ", "Witness ") + w.name)
                rows += HTML.el(
                    "dd", [("class", "witness"), ("data-valid", w.valid ? "true" : "false")],
                    text: (w.valid ? lang.t("đã xác nhận", "cosigned") : lang.t("KHÔNG xác nhận", "NOT cosigned"))
                        + (w.timestamp.map { " · " + Layout.timeText($0 * 1000) } ?? "") + " · " + w.location)
            }
            body += HTML.el("dl", [("class", "kv card")], rows)
            body += HTML.el(
                "p", [("class", "muted")],
                text: lang.t(
                    "Hãy ghi lại số mục và gốc cây trên: về sau bất kỳ ai cũng có thể yêu cầu bằng chứng nhất quán từ điểm kiểm tra này tại /ledger — nếu lịch sử bị viết lại, bằng chứng sẽ không khớp.",
                    "Keep the size and root above: later anyone can ask /ledger for a consistency proof from this checkpoint — if history were rewritten, the proof would not match."
                ))
        }
        if proof.pendingCount > 0 {
            body += HTML.el(
                "p", [("id", "verify-pending")],
                text: lang.t(
                    "\(proof.pendingCount) mục mới nhất đang chờ điểm kiểm tra tiếp theo được nhân chứng xác nhận (thường trong vài giây).",
                    "The newest \(proof.pendingCount) entries await the next witnessed checkpoint (usually within seconds)."))
        }
        body += HTML.el(
            "div", [("class", "table-wrap"), ("tabindex", "0")],
            HTML.el(
                "table", [("id", "proofs")],
                HTML.el(
                    "thead", [],
                    HTML.el(
                        "tr", [], HTML.el("th", text: "#"), HTML.el("th", text: lang.t("Mã băm lá", "Leaf hash")),
                        HTML.el("th", text: lang.t("Đường kiểm chứng", "Audit path")), HTML.el("th", text: lang.t("Kết quả", "Result")))),
                HTML.el(
                    "tbody", [],
                    children: proof.entries.map { e in
                        HTML.el(
                            "tr",
                            [
                                ("data-index", String(e.index)), ("data-verified", e.verified ? "true" : "false"),
                                ("data-pending", e.pending ? "true" : "false"),
                            ],
                            HTML.el("td", text: String(e.index)), HTML.el("td", [("class", "mono")], text: e.leafHash.hex),
                            HTML.el("td", [("class", "mono")], text: e.path.map { String($0.hex.prefix(8)) }.joined(separator: " ")),
                            HTML.el("td", text: e.pending ? lang.t("đang chờ", "pending") : (e.verified ? "✓" : "✗")))
                    })))
        body += HTML.el(
            "p", [("class", "muted")],
            text: lang.t(
                "Cách tự kiểm tra: băm SHA-256(0x00 ‖ mục) ra mã băm lá; ghép lần lượt với đường kiểm chứng theo RFC 9162 §2.1.3.2 ra gốc; gốc và kích thước được ký bằng khóa của nhật ký và được các nhân chứng ký xác nhận (C2SP tlog-cosignature). Khóa công khai: /ledger.",
                "Check it yourself: SHA-256(0x00 ‖ entry) is the leaf hash; combining it with the audit path per RFC 9162 §2.1.3.2 gives the root; root and size are signed by the ledger's key and cosigned by the witnesses (C2SP tlog-cosignature). Public keys: /ledger."
            ))
        body += HTML.el("a", [("href", "/ledger")], text: lang.t("Khóa công khai và nhân chứng", "Public keys and witnesses"))
        return l.page(lang.t("Xác minh hồ sơ \(code.rawValue)", "Verify case \(code.rawValue)"), request: request, body)
    }

    /// The public page of the ledger: its key and its witnesses' keys (C2SP verifier keys), the newest witnessed
    /// checkpoint as a signed note, and a consistency check from any checkpoint a citizen kept (`?size=N&root=HEX`).
    func ledgerPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let l = layout(request, context)
        let lang = context.language
        let logKey = try CheckpointVerifier(publicKey: state.store.publicKey).verifierKey(origin: state.store.origin)
        var rows = HTML.el("dt", text: lang.t("Tên nhật ký (origin)", "Ledger origin")) + HTML.el("dd", [("class", "mono")], text: state.store.origin)
        rows +=
            HTML.el("dt", text: lang.t("Khóa công khai của nhật ký", "Ledger's public key"))
            + HTML.el("dd", [("class", "mono"), ("id", "log-key")], text: logKey.text)
        for w in state.witnesses {
            rows += HTML.el("dt", text: lang.t("Nhân chứng", "Witness"))
            rows += HTML.el("dd", [("class", "mono witness-key")], text: w.verifier.verifierKey.text + " — " + w.location)
        }
        var body = HTML.el("dl", [("class", "kv card")], rows)
        if state.witnesses.isEmpty {
            body += HTML.el(
                "p", [("id", "no-witness")],
                text: lang.t(
                    "Chưa cấu hình nhân chứng độc lập: không thể xác minh rằng lịch sử không bị viết lại.",
                    "No independent witness is configured: nobody can confirm that history was not rewritten."))
        }
        let witnessed = try await state.store.latestCheckpoint(cosignedBy: state.witnesses.map(\.name))
        if let witnessed, !state.witnesses.isEmpty {
            let lines = state.witnesses.compactMap { witnessed.cosignatures[$0.name] }.compactMap { try? NoteSignature(line: $0) }
            let note = (try? witnessed.checkpoint.note(cosignatures: lines).serialized) ?? witnessed.checkpoint.text
            body += HTML.el("h2", text: lang.t("Điểm kiểm tra mới nhất được nhân chứng xác nhận", "Newest witnessed checkpoint"))
            body += HTML.el("pre", [("id", "witnessed-note"), ("class", "mono")], text: note)
        }
        // Consistency from a checkpoint the visitor kept.
        let q = request.uri.queryParameters
        var result: HTML = ""
        if let sizeText = q.get("size"), let rootText = q.get("root") {
            if let witnessed, let size = Int(sizeText), size >= 1, size <= witnessed.checkpoint.checkpoint.size,
                let root = TreeHash(hex: rootText.lowercased())
            {
                let new = witnessed.checkpoint.checkpoint
                let proof = try await state.store.consistencyProof(from: size, to: new.size)
                let ok = MerkleProofs.verifyConsistency(oldSize: size, newSize: new.size, oldRoot: root, newRoot: new.rootHash, proof: proof)
                result = HTML.el(
                    "p", [("id", "consistency-result"), ("data-consistent", ok ? "true" : "false")],
                    HTML.el(
                        "strong",
                        text: ok
                            ? lang.t(
                                "Nhất quán: điểm kiểm tra \(size) là tiền thân của điểm kiểm tra \(new.size) — lịch sử không bị viết lại.",
                                "Consistent: checkpoint \(size) is a prefix of checkpoint \(new.size) — history was not rewritten.")
                            : lang.t(
                                "KHÔNG nhất quán: lịch sử đã bị thay đổi sau điểm kiểm tra bạn giữ — hãy báo cho cơ quan thanh tra.",
                                "NOT consistent: history changed after the checkpoint you kept — tell the inspectorate.")))
                result += HTML.el("p", [("class", "mono muted")], text: proof.map(\.hex).joined(separator: " "))
            } else {
                result = HTML.el(
                    "p", [("id", "consistency-result"), ("data-consistent", "unknown")],
                    text: lang.t(
                        "Cần số mục (1 đến số mục của điểm kiểm tra mới nhất) và gốc cây dạng hex 64 ký tự.",
                        "Give a size (1 up to the newest witnessed size) and a 64-character hex root."))
            }
        }
        body += HTML.el(
            "form", [("id", "consistency-form"), ("class", "card"), ("method", "get"), ("action", "/ledger")],
            HTML.el("label", [("for", "size")], text: lang.t("Số mục của điểm kiểm tra bạn đã lưu", "Size of the checkpoint you kept")),
            HTML.el("input", [("id", "size"), ("name", "size"), ("inputmode", "numeric")]),
            HTML.el("label", [("for", "root")], text: lang.t("Gốc cây (hex)", "Root (hex)")),
            HTML.el("input", [("id", "root"), ("name", "root"), ("class", "mono")]),
            HTML.el("button", [("type", "submit")], text: lang.t("Kiểm tra tính nhất quán", "Check consistency")))
        body += result
        return l.page(lang.t("Nhật ký xử lý: khóa công khai và nhân chứng", "Ledger: public keys and witnesses"), request: request, body)
    }

    /// The five answers of the satisfaction question, 1 to 5.
    static let ratingLabels: [(vi: String, en: String)] = [
        ("Rất không hài lòng", "Very dissatisfied"), ("Không hài lòng", "Dissatisfied"), ("Bình thường", "Neither"),
        ("Hài lòng", "Satisfied"), ("Rất hài lòng", "Very satisfied"),
    ]

    func rate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let code = try grantedCase(request, context)
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let back = "/track/" + Paths.segment(code.rawValue)
        guard let score = Int(form["score"] ?? "") else {
            return state.redirect(back, flash: Flash(lang.t("Chọn điểm từ 1 đến 5", "Choose a score from 1 to 5"), isError: true))
        }
        do {
            _ = try await state.live.append(
                Action(
                    caseID: code, actor: .citizen, at: LiveLedger.nowMillis(), body: .rate(score: score, comment: form["comment"] ?? ""),
                    via: .citizenPIN),
                serverTime: true, resumeOn: EventLoopWake.current())
            return state.redirect(back, flash: Flash(lang.t("Xin cảm ơn Ông/Bà đã đánh giá.", "Thank you for your rating.")))
        } catch {
            return state.redirect(back, flash: try Problem.flash(error, lang))
        }
    }

    // MARK: - Petition

    func petitionForm(_ request: Request, _ context: AppRequestContext) -> Response {
        petitionPage(request, context, values: FormFields(""), refusal: nil)
    }

    /// The petition form, filled with `values` (what was typed before a refusal); `refusal` is shown at the top and
    /// next to the field it is about.
    func petitionPage(
        _ request: Request, _ context: AppRequestContext, values: FormFields, refusal: (part: PetitionIntake.Problem.Part?, message: String)?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let l = layout(request, context)
        let lang = context.language
        /// The error under the field it is about, tied to the control for screen readers.
        func errorAttributes(_ id: String, _ part: PetitionIntake.Problem.Part) -> [(String, String?)] {
            refusal?.part == part ? [("aria-invalid", "true"), ("aria-describedby", id + "-error")] : []
        }
        func error(_ id: String, _ part: PetitionIntake.Problem.Part) -> HTML {
            guard let refusal, refusal.part == part else { return "" }
            return HTML.el("p", [("id", id + "-error"), ("class", "field-error")], text: refusal.message)
        }
        let chosen = PetitionIntake.Letter(rawValue: values["letter"] ?? "") ?? .petition
        let choices: [(PetitionIntake.Letter, String, String)] = [
            (
                .petition, lang.t("Kiến nghị, phản ánh", "Petition or feedback"),
                lang.t("trả lời trong 10 ngày làm việc", "answered within 10 working days")
            ),
            (
                .complaint, lang.t("Khiếu nại", "Complaint"),
                lang.t("về một quyết định hoặc hành vi hành chính; thụ lý rồi mới tính hạn giải quyết", "about an administrative decision or act")
            ),
            (
                .denunciation, lang.t("Tố cáo (ghi rõ họ tên)", "Denunciation (named)"),
                lang.t("danh tính người tố cáo được giữ bí mật", "the denouncer's identity is kept confidential")
            ),
            (
                .anonymous, lang.t("Tin báo không ghi tên", "Anonymous tip"),
                lang.t(
                    "được tiếp nhận như thông tin, không xử lý như đơn tố cáo; không cần họ tên",
                    "received as information, not handled as a denunciation; no name needed")
            ),
        ]
        let letterChoice = HTML.el(
            "fieldset", [("id", "letter-kind")],
            children: [HTML.el("legend", text: lang.t("Loại đơn", "Kind of letter"))]
                + choices.map { letter, name, hint in
                    HTML.el(
                        "label", [("class", "choice")],
                        HTML.el(
                            "input",
                            [
                                ("type", "radio"), ("name", "letter"), ("value", letter.rawValue),
                                ("checked", letter == chosen ? "checked" : nil),
                            ]), HTML.text(" " + name + " — "), HTML.el("span", [("class", "muted")], text: hint))
                })
        // A complaint may name the body whose decision or act it is about: the case then knows who must decide it.
        let bodies = state.organization.units.values.filter { $0.kind != .division }.sorted { $0.name < $1.name }
        let chosenBody = values["concerningUnit"] ?? ""
        let concerningChoice = HTML.el(
            "fieldset", [("id", "complaint-concerning")],
            HTML.el("legend", text: lang.t("Chỉ với khiếu nại", "Complaints only")),
            HTML.el(
                "label", [("for", "concerningUnit")],
                text: lang.t(
                    "Cơ quan có quyết định, hành vi bị khiếu nại (không bắt buộc)", "The body whose decision or act you complain of (optional)")),
            HTML.el(
                "select", [("id", "concerningUnit"), ("name", "concerningUnit")] + errorAttributes("concerningUnit", .concerning),
                children: [HTML.el("option", [("value", "")], text: lang.t("— Chưa rõ —", "— Not sure —"))]
                    + bodies.map { u in
                        HTML.el(
                            "option", [("value", u.id.rawValue), ("selected", u.id.rawValue == chosenBody ? "selected" : nil)],
                            text: lang.t(u.name, u.nameEn ?? u.name))
                    }),
            error("concerningUnit", .concerning),
            HTML.el(
                "label", [("class", "choice")],
                HTML.el(
                    "input",
                    [
                        ("type", "checkbox"), ("name", "secondInstance"), ("value", "1"),
                        ("checked", values["secondInstance"] == "1" ? "checked" : nil),
                    ]),
                HTML.text(
                    " "
                        + lang.t(
                            "Khiếu nại lần hai (đã có quyết định giải quyết lần đầu hoặc quá hạn chưa được giải quyết)",
                            "A second complaint (against the first decision on it, or none in time)"))))
        let body = HTML.el(
            "form", [("id", "petition-form"), ("class", "card"), ("method", "post"), ("action", "/petition")], l.csrfField(),
            letterChoice, concerningChoice,
            HTML.el(
                "label", [("for", "fullName")],
                text: lang.t("Họ và tên (không cần với tin báo không ghi tên)", "Full name (not for an anonymous tip)")),
            HTML.el(
                "input",
                [("id", "fullName"), ("name", "fullName"), ("autocomplete", "name"), ("value", values["fullName"])]
                    + errorAttributes("fullName", .fullName)),
            error("fullName", .fullName),
            HTML.el("label", [("for", "address")], text: lang.t("Địa chỉ (không bắt buộc)", "Address (optional)")),
            HTML.el("input", [("id", "address"), ("name", "address"), ("autocomplete", "street-address"), ("value", values["address"])]),
            HTML.el(
                "label", [("for", "phone")],
                text: lang.t("Số điện thoại (không bắt buộc, ví dụ 0912 345 678)", "Phone (optional, e.g. 0912 345 678)")),
            HTML.el(
                "input",
                [("id", "phone"), ("name", "phone"), ("type", "tel"), ("autocomplete", "tel"), ("value", values["phone"])]
                    + errorAttributes("phone", .phone)),
            error("phone", .phone),
            HTML.el("label", [("for", "title")], text: lang.t("Nội dung đơn", "What your letter is about")),
            HTML.el(
                "textarea",
                [("id", "title"), ("name", "title"), ("required", "required"), ("maxlength", String(PetitionIntake.maxText))]
                    + errorAttributes("title", .text), text: values["title"] ?? ""),
            error("title", .text),
            HTML.el(
                "p", [("class", "muted")],
                text: lang.t(
                    "Họ tên, địa chỉ và số điện thoại được lưu mã hóa, không ghi vào nhật ký xử lý công khai.",
                    "Your name, address and phone are stored encrypted, never on the public ledger.")),
            HTML.el("button", [("type", "submit")], text: lang.t("Gửi", "Send")))
        return l.page(
            lang.t("Gửi đơn: kiến nghị, phản ánh, khiếu nại, tố cáo", "Send a petition, complaint or denunciation"),
            flash: refusal.map { Flash($0.message, isError: true) },
            request: refusal == nil ? request : nil, status: status, body)
    }

    /// The web form's petition: filed through `PetitionIntake` (as Open311's are); a refusal shows the form again with
    /// what was typed and the message next to its field, a success the receipt with the code, the PIN and the way to
    /// follow the case (the citizen's cookie already grants it).
    func petition(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        try Guard.csrf(form, context)
        let lang = context.language
        let letter = PetitionIntake.Letter(rawValue: form["letter"] ?? "") ?? .petition
        let petition = PetitionIntake.Petition(
            text: form["title"] ?? "", fullName: letter.named ? form["fullName"] ?? "" : "", phone: letter.named ? form["phone"] ?? "" : "",
            letter: letter, address: letter.named ? form["address"] ?? "" : "",
            concerningUnit: letter == .complaint ? form["concerningUnit"] : nil, secondInstance: letter == .complaint && form["secondInstance"] == "1"
        )
        let channel = PetitionIntake.Channel(clientAddress: context.clientAddress, via: .publicForm, limitedPerAddress: true)
        let filed: PetitionIntake.Filed
        do {
            filed = try await PetitionIntake(state: state).file(petition, channel: channel)
        } catch let problem as PetitionIntake.Problem {
            return petitionPage(request, context, values: form, refusal: (problem.part, problem.message(lang)), status: .unprocessableContent)
        } catch let refusal as RequestRefusal where refusal.category == .rateLimited {
            var response = petitionPage(request, context, values: form, refusal: (nil, refusal.message(lang)), status: .tooManyRequests)
            response.headers.append(contentsOf: refusal.headers)
            return response
        } catch {
            // The domain's refusals (a title carrying the petitioner's name, say) keep the form; a failure of the service
            // is thrown on to the error page.
            let problem = Problem(error)
            guard !problem.category.isServerFailure else { throw error }
            let part: PetitionIntake.Problem.Part? =
                problem.field == "title" ? .text : problem.field?.hasPrefix("concerning") == true ? .concerning : nil
            return petitionPage(request, context, values: form, refusal: (part, problem.detail(lang)), status: problem.status)
        }
        let code = filed.code
        let l = layout(request, context)
        let trackPath = "/track/" + Paths.segment(code.rawValue)
        // What the sender can hold the body to: a petition's answer date; a complaint's or denunciation's acceptance date
        // (its resolution clock starts then); nothing for a tip.
        let dueRow: HTML
        switch letter {
        case .petition:
            dueRow = HTML.el("dt", text: lang.t("Hạn trả lời", "Answer due")) + HTML.el("dd", [("id", "case-due")], text: Layout.dateText(filed.due))
        case .complaint:
            dueRow =
                HTML.el("dt", text: lang.t("Hạn thụ lý", "To be accepted by"))
                + HTML.el("dd", [("id", "case-intake-due")], text: Layout.dateText(filed.intakeDue))
                + (filed.decidingBody.map {
                    HTML.el("dt", text: lang.t("Người có thẩm quyền giải quyết", "Decided by"))
                        + HTML.el(
                            "dd", [("id", "case-deciding-body")],
                            text: lang.t("Người đứng đầu \(l.unitName($0))", "The head of \(l.unitName($0))"))
                } ?? "")
        case .denunciation:
            dueRow =
                HTML.el("dt", text: lang.t("Hạn xử lý đơn (phân loại, thụ lý)", "To be classified by"))
                + HTML.el("dd", [("id", "case-intake-due")], text: Layout.dateText(filed.intakeDue))
        case .anonymous:
            dueRow = ""
        }
        var response = l.page(
            lang.t("Đã nhận đơn", "Letter received"), request: request,
            HTML.el(
                "section", [("class", "card")],
                HTML.el(
                    "dl", [("class", "kv")],
                    HTML.el("dt", text: lang.t("Mã hồ sơ", "Case code")), HTML.el("dd", [("id", "case-code")], text: code.rawValue),
                    HTML.el("dt", text: lang.t("Mã PIN", "PIN")),
                    HTML.el("dd", [("id", "case-pin"), ("class", "mono")], text: filed.pin ?? ""),
                    HTML.el("dt", text: lang.t("Đơn vị tiếp nhận", "Received by")), HTML.el("dd", text: l.unitName(filed.unit)),
                    dueRow, CaseProof.checkpointRows(try await CaseProof.witnessedCheckpoint(state), lang)),
                HTML.el("p", text: lang.t("Hãy lưu mã hồ sơ và mã PIN để tra cứu.", "Keep the code and PIN to follow your petition.")),
                HTML.el("a", [("id", "track-now"), ("class", "button"), ("href", trackPath)], text: lang.t("Tra cứu ngay", "Follow it now"))))
        let now = Int64(Date().timeIntervalSince1970)
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: state.cookies.set(AuthMiddleware.citizenCookie, state.live.citizenKeys.grant(code, expires: now + 3600), maxAge: 3600)))
        return response
    }
}

/// The organisation names no unit that receives petitions: the operator's to fix (503, logged).
struct PetitionsUnrouted: CategorizedError, CustomStringConvertible {
    var category: FailureCategory { .misconfigured }
    var description: String { "no unit receives petitions (no mandate for petitions and no root unit with a head)" }
}
