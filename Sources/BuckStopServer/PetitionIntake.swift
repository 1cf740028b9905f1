import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HTTPTypes

/// The one way a citizen's letter — a petition (kiến nghị, phản ánh), a complaint (khiếu nại), a named denunciation (tố
/// cáo) or an anonymous tip — is filed, whichever channel it came through: the web form (`CitizenRoutes.petition`)
/// and, for petitions, the Open311 GeoReport v2 endpoint (`Open311Routes`). Checks what was given,
/// limits how often one address may file, routes the petition to the receiving unit and its accountable head, gives
/// it the due date the rulebook gives (`LiveLedger.dueDate`, the call the detectors' rule comes from) and opens it on
/// the ledger in the citizen's name, the petitioner's name and contact sealed in `PersonalData` and never on the entry.
struct PetitionIntake {
    let state: ServerState

    /// What kind of letter the citizen sends. An anonymous letter is information, not a denunciation (Luật Tố cáo 2018
    /// Đ.25: a denunciation names its sender): it is received as a tip for the body that receives denunciations, with no
    /// answer owed and no clock, and nobody is asked for the identity the sender withheld.
    enum Letter: String, Sendable, CaseIterable {
        case petition, complaint, denunciation, anonymous

        var caseKind: CaseKind {
            switch self {
            case .petition, .anonymous: .petition
            case .complaint: .complaint
            case .denunciation: .denunciation
            }
        }

        /// Whose mandate receives it: an anonymous tip goes where denunciations go.
        var receivingKind: CaseKind { self == .anonymous ? .denunciation : caseKind }

        var named: Bool { self != .anonymous }
    }

    /// What the petitioner gave, as typed (trimmed here).
    struct Petition {
        /// What the petition is about: the case's title, on the ledger.
        var text: String
        var fullName: String
        var phone: String = ""
        var email: String = ""
        /// A procedure of the rulebook for petitions (an Open311 service), or nil for a petition in general.
        var procedure: String?
        var letter: Letter = .petition
        var address: String = ""
        /// A complaint: the body whose decision or act is complained of (a unit id of the organisation), if the
        /// complainant chose one; and whether it is a second complaint (against a first-instance decision).
        var concerningUnit: String?
        var secondInstance = false
    }

    /// A detail of the petition that cannot be accepted, with the part of the form it is about.
    struct Problem: Error {
        enum Part: Sendable { case text, fullName, phone, email, concerning }
        var part: Part
        var message: Bilingual
    }

    /// How the petition arrived: where the limit per address applies and which credential the entry names.
    struct Channel {
        /// The client's address (`AppRequestContext.clientAddress`), for the limit per address.
        var clientAddress: String
        /// The credential on the ledger entry: `.publicForm`, `.open311`, or a registered app's `.apiToken`.
        var via: Credential
        /// A registered app's key (Open311 `api_key` with `open311:write`) is not limited per address: one app files
        /// for many citizens from one address, and its key is what can be revoked.
        var limitedPerAddress: Bool
    }

    struct Filed {
        var code: CaseID
        var pin: String?
        var unit: UnitID
        var due: CivilDate?
        /// For a complaint or a denunciation, whose resolution clock starts on acceptance: the day by which it must be
        /// accepted (or classified) — the date the sender can hold the receiving body to.
        var intakeDue: CivilDate?
        /// A complaint that named the body complained of: the body whose head decides it.
        var decidingBody: UnitID?
    }

    /// The rulebook's procedure for a second complaint (giải quyết khiếu nại lần hai), when the rulebook has it.
    static let secondInstanceProcedure = "KN-L2"

    /// GeoReport v2's own bound for a description, applied to both channels.
    static let maxText = 4000

    /// The receiving unit and its accountable head: the unit the mandates make competent for petitions (of the
    /// procedure, if one), else the root of the organisation.
    func receiver(procedure: String?, kind: CaseKind = .petition) throws -> (unit: UnitID, head: OfficialID) {
        let org = state.organization
        guard
            let unit = org.competentUnits(for: kind, procedure: procedure).first
                ?? org.units.values.filter({ $0.parent == nil }).map(\.id).sorted().first,
            let head = org.accountableHead(of: unit)
        else { throw PetitionsUnrouted() }
        return (unit, head)
    }

    /// The due date a petition received at `at` gets: the same call the web receipt, Open311 and the detectors use.
    func dueDate(procedure: String?, at: Date) -> (date: CivilDate, rule: DeadlineRule)? {
        state.live.dueDate(kind: .petition, procedure: procedure, at: at)
    }

    /// Checks the petition (nothing counted or written when it is refused), counts it against the address, and opens
    /// the case. Throws `Problem` for what the petitioner can fix, `RequestRefusal.rateLimited` when the address has
    /// filed too often, and the store's or the organisation's errors otherwise.
    func file(_ petition: Petition, channel: Channel, at now: Date = Date()) async throws -> Filed {
        let text = petition.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw Problem(part: .text, message: Bilingual("Thiếu nội dung phản ánh, kiến nghị", "What the petition is about is missing"))
        }
        guard text.count <= Self.maxText else {
            throw Problem(
                part: .text,
                message: Bilingual(
                    "Nội dung dài \(text.count) ký tự, tối đa \(Self.maxText)", "The text is \(text.count) characters long, at most \(Self.maxText)"))
        }
        let letter = petition.letter
        // An anonymous tip carries no identity: whatever the fields hold is neither asked for nor kept.
        var personal: PersonalData?
        if letter.named {
            let name = petition.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else {
                throw Problem(
                    part: .fullName,
                    message: Bilingual(
                        "Thiếu họ và tên: đơn cần ghi rõ người gửi (muốn giữ kín danh tính, chọn “Tin báo không ghi tên”)",
                        "The full name is missing: a letter says who sends it (to stay unnamed, choose “Anonymous tip”)"))
            }
            let contact: PersonalData?
            do throws(ApplicantContact.Problem) {
                // One check of contact details for the counter and the citizen: `ApplicantContact`.
                contact = try ApplicantContact(name: name, phone: petition.phone, email: petition.email, address: petition.address).personalData
            } catch {
                // `ApplicantContact` checks the phone before the email.
                let part: Problem.Part = ApplicantContact.vietnamesePhone(petition.phone) == nil && !isBlank(petition.phone) ? .phone : .email
                throw Problem(part: part, message: Bilingual(error.vietnamese, error.english))
            }
            guard let contact else {
                throw Problem(part: .fullName, message: Bilingual("Thiếu họ và tên", "The full name is missing"))
            }
            personal = contact
        }
        // A complaint that names the body complained of is opened with it, and the live writer names the deciding body by
        // the rulebook's competence rows: the body itself, or (a second complaint) the body above it.
        var concerning: Concerning?
        var procedure = petition.procedure
        if letter == .complaint, let chosen = petition.concerningUnit.map({ $0.trimmingCharacters(in: .whitespaces) }), !chosen.isEmpty {
            guard let body = state.organization.unit(UnitID(chosen)), body.kind != .division else {
                throw Problem(
                    part: .concerning,
                    message: Bilingual(
                        "Hãy chọn cơ quan trong danh sách (nhận được “\(chosen)”)", "Choose a body from the list (found “\(chosen)”)"))
            }
            concerning = Concerning(unit: body.id)
            if petition.secondInstance, state.live.rulebook.procedure(Self.secondInstanceProcedure) != nil {
                procedure = Self.secondInstanceProcedure
            }
        }
        let (unit, head) = try receiver(procedure: procedure, kind: letter.receivingKind)
        let seconds = Int64(now.timeIntervalSince1970)
        let key = "petition:" + channel.clientAddress
        // Checked and counted in one step, after everything the petitioner could fix: a typo costs no attempt.
        if channel.limitedPerAddress, !state.pinPerAddress.attempt(key, now: seconds) {
            let window = state.configuration.pinWindowSeconds
            var refusal = RequestRefusal.rateLimited(
                Bilingual(
                    "Ông/Bà đã gửi quá nhiều phản ánh, kiến nghị; vui lòng thử lại sau \(max(1, window / 60)) phút.",
                    "Too many petitions from this address; please try again in \(max(1, window / 60)) minutes."))
            refusal.headers[.retryAfter] = String(window)
            throw refusal
        }
        // A petition's one clock is its answer; a complaint's and a denunciation's resolution clock starts on acceptance (none
        // here), their intake deadline on receipt; an anonymous tip owes no answer.
        let due = letter == .anonymous ? nil : state.live.dueDate(kind: letter.caseKind, procedure: procedure, at: now)
        let intakeDue = letter == .anonymous ? nil : state.live.intakeDeadline(kind: letter.caseKind, procedure: procedure, at: now)
        let title = letter == .anonymous ? "Tin báo không ghi tên: " + text : text
        let open = OpenCase(
            kind: letter.caseKind, procedure: procedure, title: title, leadUnit: unit, owner: head, dueDate: due?.date,
            ruleID: due?.rule.id, concerning: concerning)
        let outcome = try await state.live.open(
            open, actor: .citizen, at: Int64(now.timeIntervalSince1970 * 1000), personalData: personal, via: channel.via)
        return Filed(
            code: outcome.receipt.caseID, pin: outcome.pin, unit: unit, due: due?.date, intakeDue: intakeDue?.date,
            decidingBody: outcome.receipt.state.decidingBody)
    }
}

private func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }
