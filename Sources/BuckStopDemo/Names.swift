/// Vietnamese personal names, addresses, ID numbers and phone numbers for the demo.
/// Frequencies are rough: about four in ten Vietnamese are Nguyễn; Huỳnh and Võ are the
/// central-Vietnam forms of Hoàng and Vũ and are common in Đà Nẵng.
enum VietnameseNames {
    static let familyNames: [(String, Double)] = [
        ("Nguyễn", 36), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Huỳnh", 3.5), ("Hoàng", 2), ("Phan", 4.5),
        ("Võ", 3.5), ("Vũ", 1.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.3),
        ("Dương", 1), ("Lý", 0.5), ("Đoàn", 0.8), ("Trương", 1),
    ]
    static let maleMiddle = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công", "Xuân", "Ngọc", "Anh", "Tiến", "Trọng", "Quốc", "Văn", "Văn"]
    static let femaleMiddle = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Thùy", "Bích", "Mỹ", "Thị", "Thị"]
    static let maleGiven = [
        "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khánh",
        "Khoa", "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng",
        "Thành", "Thịnh", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Toàn", "Lâm", "Nhân",
    ]
    static let femaleGiven = [
        "An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan",
        "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy",
        "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Yến", "Hồng", "Ly",
    ]

    struct Person {
        var family: String
        var middle: String
        var given: String
        var female: Bool
        var fullName: String { "\(family) \(middle) \(given)" }
    }

    static func person(_ rng: inout DemoRandom) -> Person {
        let female = rng.chance(0.5)
        let family = rng.weighted(familyNames)
        let middle = rng.pick(female ? femaleMiddle : maleMiddle)
        var given = rng.pick(female ? femaleGiven : maleGiven)
        if given == middle { given = rng.pick(female ? femaleGiven : maleGiven) }
        return Person(family: family, middle: middle, given: given, female: female)
    }

    /// A login-style id as agencies use for e-mail: given name then initials, ASCII (Nguyễn Văn Hùng → hungnv).
    static func loginID(_ p: Person) -> String {
        let given = ascii(p.given).lowercased()
        let initials = [p.family, p.middle].compactMap { ascii($0).lowercased().first }.map(String.init).joined()
        return given + initials
    }

    /// Vietnamese letters to ASCII (đ → d, ư → u, ế → e …).
    static func ascii(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch.isASCII {
                out.append(ch)
                continue
            }
            out += asciiMap[ch] ?? ""
        }
        return out
    }

    private static let asciiMap: [Character: String] = {
        let groups: [(String, String)] = [
            ("àáảãạăằắẳẵặâầấẩẫậ", "a"), ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", "A"), ("èéẻẽẹêềếểễệ", "e"), ("ÈÉẺẼẸÊỀẾỂỄỆ", "E"),
            ("ìíỉĩị", "i"), ("ÌÍỈĨỊ", "I"), ("òóỏõọôồốổỗộơờớởỡợ", "o"), ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", "O"),
            ("ùúủũụưừứửữự", "u"), ("ÙÚỦŨỤƯỪỨỬỮỰ", "U"), ("ỳýỷỹỵ", "y"), ("ỲÝỶỸỴ", "Y"), ("đ", "d"), ("Đ", "D"),
        ]
        var map: [Character: String] = [:]
        for (letters, base) in groups { for ch in letters { map[ch] = base } }
        return map
    }()

    // MARK: - Applicants

    static let streets = [
        "Bạch Đằng", "Trần Phú", "Lê Duẩn", "Nguyễn Văn Linh", "Hùng Vương", "Phan Châu Trinh", "Điện Biên Phủ",
        "Ông Ích Khiêm", "Hoàng Diệu", "Núi Thành", "Lê Văn Hiến", "Ngô Quyền", "Võ Nguyên Giáp", "Trường Sa",
        "Tôn Đức Thắng", "Nguyễn Tất Thành", "Hoàng Sa", "Nguyễn Hữu Thọ", "Cách Mạng Tháng Tám", "Lê Thanh Nghị",
        "Hà Huy Tập", "Trưng Nữ Vương", "Nguyễn Lương Bằng", "Âu Cơ", "Phạm Văn Đồng", "Ngũ Hành Sơn", "Lê Đình Lý",
    ]
    static let villages = ["thôn Phước Thuận", "thôn An Sơn", "thôn Lệ Sơn", "thôn Trung Nghĩa", "thôn Phú Túc", "thôn Hòa Khương"]

    /// Mobile prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone).
    static let mobilePrefixes = [
        "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "088", "091", "094", "081",
        "082", "083", "084", "085", "089", "090", "093", "070", "076", "077", "078", "079",
    ]

    static func address(_ rng: inout DemoRandom, localityName: String, rural: Bool) -> String {
        if rural {
            return "\(rng.pick(villages)), \(localityName), thành phố Đà Nẵng"
        }
        let number = rng.int(1...480)
        // Đà Nẵng writes a house in an alley (kiệt) as K<street number>/<house number>.
        let house = rng.chance(0.35) ? "K\(number)/\(rng.int(1...60))" : "số \(number)"
        return "\(house) đường \(rng.pick(streets)), \(localityName), thành phố Đà Nẵng"
    }

    /// A 12-digit citizen identity number (CCCD): province of birth (048 Đà Nẵng, 049 Quảng Nam,
    /// 046 Huế …), a century-and-sex digit, two digits of the birth year, six random digits.
    static func citizenID(_ rng: inout DemoRandom, female: Bool) -> String {
        let province = rng.weighted([("048", 6.0), ("049", 3.0), ("046", 0.7), ("051", 0.5), ("001", 0.4), ("079", 0.4)])
        let born2000s = rng.chance(0.22)
        let centurySex = (born2000s ? 2 : 0) + (female ? 1 : 0)
        let year = born2000s ? rng.int(0...7) : rng.int(45...99)
        var digits = "\(province)\(centurySex)" + (year < 10 ? "0\(year)" : "\(year)")
        for _ in 0..<6 { digits += String(rng.below(10)) }
        return digits
    }

    static func phone(_ rng: inout DemoRandom) -> String {
        var digits = rng.pick(mobilePrefixes)
        for _ in 0..<7 { digits += String(rng.below(10)) }
        return digits
    }
}
