/// The page language: Vietnamese first, English as the second. Chosen with `?lang=` (remembered in a cookie).
public enum Language: String, Sendable, CaseIterable {
    case vi, en

    /// Picks the Vietnamese or English text.
    @inline(__always) public func t(_ vi: String, _ en: String) -> String { self == .vi ? vi : en }

    public var other: Language { self == .vi ? .en : .vi }
    public var switchLabel: String { self == .vi ? "English" : "Tiếng Việt" }
}
