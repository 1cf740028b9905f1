/// Why an upheld finding happened (nguyên nhân), as rulebook data: the reviewer picks one and adds text, so pages and
/// reports can count causes by unit and field instead of reading every note. The list, its names and its sources are
/// the rulebook's (rule 2), so an agency can add a cause without a release.
public typealias FindingCause = NamedRulebookCode

/// A criterion of Nghị định 73/2023 a finding on a case acted on under an approved proposal is reviewed against (không
/// vụ lợi, đúng quy trình…), as rulebook data with its source.
public typealias ProtectionCriterion = NamedRulebookCode

/// A coded row of the rulebook a person picks from a list: its code, its names in both languages, its source and how
/// far that source was verified.
public struct NamedRulebookCode: Sendable, Codable, Hashable, Identifiable {
    public var code: String
    public var nameVi: String
    public var nameEn: String
    public var source: String
    public var status: String

    public var id: String { code }

    public init(code: String, nameVi: String, nameEn: String, source: String, status: String) {
        self.code = code
        self.nameVi = nameVi
        self.nameEn = nameEn
        self.source = source
        self.status = status
    }
}
