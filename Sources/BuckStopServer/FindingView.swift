import BuckStopAPI
import BuckStopDetectors
import BuckStopDomain
import BuckStopStore

/// How a finding is shown everywhere: detector name, severity, the explanation in the page language, who and
/// which case, its workflow status, with data attributes a test (or a screen reader's user) can rely on.
struct FindingView {
    let layout: Layout
    var lang: Language { layout.lang }

    func detectorName(_ id: String) -> String {
        guard let d = DetectorID(rawValue: id) else { return id }
        return lang == .vi ? d.nameVi : d.nameEn
    }

    func statusName(_ s: FindingStatus) -> String {
        switch s {
        case .open: lang.t("chờ giải trình", "awaiting explanation")
        case .explained: lang.t("đã giải trình", "explained")
        case .upheld: lang.t("giữ nguyên", "upheld")
        case .dismissed: lang.t("bác bỏ", "dismissed")
        }
    }

    func severityName(_ s: BuckStopDomain.Severity) -> String {
        switch s {
        case .info: lang.t("thông tin", "info")
        case .minor: lang.t("nhẹ", "minor")
        case .major: lang.t("đáng kể", "major")
        case .severe: lang.t("nghiêm trọng", "severe")
        }
    }

    /// A finding's block; it changes only with the finding (its last ledger index), so it is rendered once per version.
    func item(_ f: StoredFinding, showCase: Bool = true) -> HTML {
        layout.state.findingBlocks.html(key(id: f.finding.id, version: f.updatedIndex, showCase: showCase)) { render(f, showCase: showCase) }
    }

    func key(id: String, version: Int64, showCase: Bool) -> FindingBlockKey {
        FindingBlockKey(id: id, updatedIndex: version, language: lang, showCase: showCase, organization: layout.state.live.modelGeneration)
    }

    /// Of the versions a page showed before, those whose block is still rendered at that version (in this language, for
    /// this organisation): what the page tells the store it knows (`PageReads.inboxPage(known:)`), so only the others
    /// are read in full. A block dropped from the cache since is read again rather than left out.
    func rendered(_ shown: [String: Int64], showCase: Bool = true) -> [String: Int64] {
        shown.filter { layout.state.findingBlocks.cached(key(id: $0.key, version: $0.value, showCase: showCase)) != nil }
    }

    /// The blocks of a list of findings given by id and version, rendering those not cached from `loaded`.
    func items(_ versions: [(id: String, updatedIndex: Int64)], showCase: Bool = true, loaded: [StoredFinding]) -> [HTML] {
        let byID = Dictionary(loaded.map { ($0.finding.id, $0) }, uniquingKeysWith: { a, _ in a })
        return versions.compactMap { v in
            if let block = layout.state.findingBlocks.cached(key(id: v.id, version: v.updatedIndex, showCase: showCase)) { return block }
            // A finding missing from the second read (findings are never deleted) is left out rather than shown stale.
            return byID[v.id].map { item($0, showCase: showCase) }
        }
    }

    private func render(_ f: StoredFinding, showCase: Bool) -> HTML {
        let finding = f.finding
        var parts: [HTML] = [
            HTML.el("strong", text: detectorName(finding.detector)), HTML.text(" "),
            HTML.el("span", [("class", "badge " + finding.severity.rawValue)], text: severityName(finding.severity)), HTML.text(" "),
            HTML.el("span", [("class", "badge")], text: statusName(finding.status)),
            HTML.el("p", [], HTML.text(lang == .vi ? finding.explanation : f.explanationEn)),
        ]
        var meta = lang.t("Cán bộ: ", "Official: ") + layout.officialName(finding.official) + " · " + layout.unitName(finding.unit)
        meta += " · " + Layout.timeText(f.observedAt)
        parts.append(
            HTML.el(
                "p", [("class", "muted")], HTML.text(meta + " · "), showCase ? layout.caseLink(finding.caseID) + HTML.text(" · ") : "",
                HTML.el("a", [("href", "/findings/" + Paths.segment(finding.id))], text: lang.t("Chi tiết, giải trình", "Details, explanation"))))
        if let response = finding.response {
            parts.append(HTML.el("p", [], HTML.el("em", text: lang.t("Giải trình: ", "Explanation: ")), HTML.text(response)))
        }
        return HTML.el(
            "div",
            [
                ("class", "finding " + finding.severity.rawValue), ("data-detector", finding.detector), ("data-case", finding.caseID.rawValue),
                ("data-official", finding.official?.rawValue ?? ""), ("data-status", finding.status.rawValue), ("data-id", finding.id),
            ], children: parts)
    }
}
