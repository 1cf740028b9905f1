import Testing

@testable import BuckStopDomain

@Test func foldingRemovesVietnameseMarksAndCollapsesSpaces() {
    #expect(SearchText.fold("  NGUYỄN   Văn\tĐức\n") == "nguyen van duc")
    #expect(SearchText.fold("Cấp giấy phép xây dựng nhà ở riêng lẻ") == "cap giay phep xay dung nha o rieng le")
    #expect(SearchText.fold("Ư ơ Ỵ ỹ đ Đ") == "u o y y d d")
    #expect(SearchText.fold("") == "")
    #expect(SearchText.fold(" \u{00A0} ") == "")
    #expect(SearchText.matches("nguyen duc", in: "Ông Nguyễn Văn Đức"))
    #expect(!SearchText.matches("nguyen hoa", in: "Ông Nguyễn Văn Đức"))
}

@Test func searchRowIsCodeAndTitleFoldedTogether() {
    for (code, title) in [("STP-251103-0042", "  Cấp   phép "), ("STP-251103-0042", ""), ("X", "\t"), ("  ", "Đất đai")] {
        #expect(SearchText.searchRow(code: code, foldedTitle: SearchText.fold(title)) == SearchText.fold(code + " " + title))
    }
}

/// The table road must give exactly what Foundation's folding gives, for every scalar the table covers and for
/// random mixtures of them with ASCII, spaces, decomposed marks and scripts outside the table.
@Test func tableFoldEqualsFoundationFold() {
    for range in SearchText.LatinTable.ranges {
        for value in range {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "A\(Character(scalar))b " + String(Character(scalar))
            #expect(SearchText.fold(text) == SearchText.foundationFold(text), "U+\(String(value, radix: 16))")
        }
    }
    let pieces: [String] = [
        "a", "Z", " ", "  ", "\t", "\n", "đ", "Đ", "ễ", "E\u{0302}\u{0303}", "o\u{031B}", "ß", "Æ", "ı", "İ", "ǅ", "\u{00A0}",
        "Ω", "Σ", "дом", "中", "-", "/", "9", "ﬁ", "\u{2003}",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
        let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        #expect(SearchText.fold(text) == SearchText.foundationFold(text), "\(Array(text.unicodeScalars))")
    }
}
