import BuckStopCalendar
import BuckStopDomain
import BuckStopLive
import Foundation

/// The reminders of an official's inbox: planned from the cases the page has already read, by the planner the scheduled
/// reminders use (`ReminderPlanner`), so the page says what the notices say without a read or a table of its own.
struct ReminderView {
    let layout: Layout

    func reminders(of held: [CaseState], on day: CivilDate) -> [Reminder] {
        ReminderPlanner(rulebook: layout.state.live.rulebook, calendar: layout.state.live.calendar).plan(
            held.compactMap(ReminderSubject.init), on: day)
    }

    /// A list, the most urgent first; nothing when there is nothing to remind of.
    func section(_ reminders: [Reminder], titles: [CaseID: String]) -> HTML {
        guard !reminders.isEmpty else { return "" }
        let lang = layout.lang
        let items = reminders.map { r in
            let badge: String
            switch r.due {
            case .overdue: badge = "badge late"
            case .dueSoon: badge = "badge soon"
            }
            return HTML.el(
                "li", [("data-case", r.caseID.rawValue), ("data-reminder", r.due.code), ("data-working-days", String(r.due.workingDays))],
                layout.caseLink(r.caseID), HTML.text(titles[r.caseID].map { " — \($0) " } ?? " "),
                HTML.el(
                    "span", [("class", badge)],
                    text: lang.t(r.due.vietnamese, r.due.english)),
                HTML.text(" · " + lang.t("hạn \(r.dueDate.dayMonthYear)", "due \(r.dueDate.dayMonthYear)")))
        }
        return HTML.el(
            "section", [("id", "reminders"), ("class", "card"), ("aria-labelledby", "reminders-title")],
            HTML.el("h2", [("id", "reminders-title")], text: lang.t("Nhắc hạn (\(reminders.count))", "Reminders (\(reminders.count))")),
            HTML.el("ul", [], children: items))
    }
}

/// A reminder on the event stream (`event: reminder`): the case's code, kind and owner, where it stands and the message in
/// both languages — no title, as in every notice (`ReminderNotice`).
struct ReminderEvent: Encodable {
    var `case`: String
    var kind: String
    var owner: String
    var reminder: String
    var workingDays: Int
    var dueDate: String
    var day: String
    var message: String
    var messageEn: String

    init(_ r: Reminder) {
        let notice = ReminderNotice(r)
        self.case = r.caseID.rawValue
        kind = r.kind.rawValue
        owner = r.owner.rawValue
        reminder = r.due.code
        workingDays = r.due.workingDays
        dueDate = r.dueDate.description
        day = r.day.description
        message = notice.vietnamese
        messageEn = notice.english
    }
}
