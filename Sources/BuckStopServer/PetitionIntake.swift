import BuckStopAPI
import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import BuckStopStore
import Foundation
import HTTPTypes

/// The one way a citizen's petition (kiến nghị, phản ánh) is filed, whichever channel it came through: the web form
/// (`CitizenRoutes.petition`) and the Open311 GeoReport v2 endpoint (`Open311Routes`). Checks what was given,
/// limits how often one address may file, routes the petition to the receiving unit and its accountable head, gives
/// it the due date the rulebook gives (`LiveLedger.dueDate`, the call the detectors' rule comes from) and opens it on
/// the ledger in the citizen's name, the petitioner's name and contact sealed in `PersonalData` and never on the entry.
struct PetitionIntake {
    let state: ServerState

    /// What the petitioner gave, as typed (trimmed here).
    struct Petition {
        /// What the petition is about: the case's title, on the ledger.
        var text: String
        var fullName: String
        var phone: String = ""
        var email: String = ""
        /// A procedure of the rulebook for petitions (an Open311 service), or nil for a petition in general.
        var procedure: String?
    }

    /// A detail of the petition that cannot be accepted, with the part of the form it is about.
    struct Problem: Error {
        enum Part: Sendable { case text, fullName, phone, email }
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
    }

    /// GeoReport v2's own bound for a description, applied to both channels.
    static let maxText = 4000

    /// The receiving unit and its accountable head: the unit the mandates make competent for petitions (of the
    /// procedure, if one), else the root of the organisation.
    func receiver(procedure: String?) throws -> (unit: UnitID, head: OfficialID) {
        let org = state.organization
        guard
            let unit = org.competentUnits(for: .petition, procedure: procedure).first
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
        let name = petition.fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw Problem(
                part: .fullName,
                message: Bilingual(
                    "Thiếu họ và tên: phản ánh, kiến nghị cần ghi rõ người gửi", "The full name is missing: a petition says who sends it"))
        }
        let contact: PersonalData?
        do throws(ApplicantContact.Problem) {
            // One check of contact details for the counter and the citizen: `ApplicantContact`.
            contact = try ApplicantContact(name: name, phone: petition.phone, email: petition.email, address: "").personalData
        } catch {
            // `ApplicantContact` checks the phone before the email.
            let part: Problem.Part = ApplicantContact.vietnamesePhone(petition.phone) == nil && !isBlank(petition.phone) ? .phone : .email
            throw Problem(part: part, message: Bilingual(error.vietnamese, error.english))
        }
        guard let personal = contact else {
            throw Problem(part: .fullName, message: Bilingual("Thiếu họ và tên", "The full name is missing"))
        }
        let (unit, head) = try receiver(procedure: petition.procedure)
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
        let due = dueDate(procedure: petition.procedure, at: now)
        let open = OpenCase(
            kind: .petition, procedure: petition.procedure, title: text, leadUnit: unit, owner: head, dueDate: due?.date, ruleID: due?.rule.id)
        let outcome = try await state.live.open(
            open, actor: .citizen, at: Int64(now.timeIntervalSince1970 * 1000), personalData: personal, via: channel.via)
        return Filed(code: outcome.receipt.caseID, pin: outcome.pin, unit: unit, due: due?.date)
    }
}

private func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }
