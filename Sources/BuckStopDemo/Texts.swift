import BuckStopDomain

/// Vietnamese wording for the demo's titles, notes, proposals and decisions. Nothing here names a
/// citizen: titles and action texts go onto the ledger, personal data does not.
enum Texts {
    static func pick(_ rng: inout DemoRandom, _ options: [String]) -> String { rng.pick(options) }

    // MARK: Dossiers

    static func forward(_ rng: inout DemoRandom, to unitName: String) -> String {
        pick(
            &rng,
            [
                "Hồ sơ đầy đủ, hợp lệ; chuyển \(unitName) giải quyết",
                "Đã kiểm tra thành phần hồ sơ, chuyển \(unitName) thẩm định",
                "Tiếp nhận hồ sơ trực tiếp, chuyển \(unitName) xử lý theo quy trình nội bộ",
                "Tiếp nhận hồ sơ trực tuyến qua Cổng dịch vụ công, chuyển \(unitName)",
            ])
    }

    static func acceptDossier(_ rng: inout DemoRandom) -> String {
        pick(&rng, ["Nhận hồ sơ, tiến hành thẩm định", "Đã nhận hồ sơ, kiểm tra tính pháp lý", "Tiếp nhận xử lý"])
    }

    static func proposal(_ rng: inout DemoRandom, procedure: String) -> String {
        pick(
            &rng,
            [
                "Hồ sơ đủ điều kiện; đề xuất phê duyệt: \(procedure)",
                "Đã thẩm định, hồ sơ hợp lệ; kính trình lãnh đạo ký kết quả \(procedure.lowercasedFirst)",
                "Đề xuất giải quyết: chấp thuận, dự thảo kết quả kèm theo",
                "Kết quả thẩm định đạt; đề nghị lãnh đạo xem xét, ký duyệt",
            ])
    }

    static func decision(_ rng: inout DemoRandom, procedure: String) -> (String, String) {
        let decision = pick(
            &rng,
            [
                "Phê duyệt kết quả: \(procedure)", "Đồng ý ký ban hành kết quả \(procedure.lowercasedFirst)",
                "Chấp thuận theo đề xuất của bộ phận chuyên môn",
            ])
        let rationale = pick(
            &rng,
            [
                "Hồ sơ đầy đủ thành phần, đúng trình tự; đáp ứng điều kiện theo quy định",
                "Căn cứ kết quả thẩm định của bộ phận chuyên môn, hồ sơ đủ điều kiện",
                "Thông tin kê khai khớp với cơ sở dữ liệu; không có vướng mắc pháp lý",
            ])
        return (decision, rationale)
    }

    /// Decision and rationale for complaints, denunciations and petitions.
    static func decision(_ rng: inout DemoRandom, kind: CaseKind) -> (String, String) {
        switch kind {
        case .complaint:
            (
                pick(&rng, ["Ban hành quyết định giải quyết khiếu nại", "Ký quyết định giải quyết khiếu nại theo đề xuất của Thanh tra"]),
                pick(&rng, ["Căn cứ kết quả xác minh, đối thoại và Luật Khiếu nại 2011", "Căn cứ báo cáo kết quả xác minh nội dung khiếu nại"])
            )
        case .denunciation:
            (
                pick(&rng, ["Ban hành kết luận nội dung tố cáo", "Ký kết luận nội dung tố cáo, kiến nghị xử lý"]),
                pick(&rng, ["Căn cứ báo cáo kết quả xác minh nội dung tố cáo", "Căn cứ Luật Tố cáo 2018 và kết quả xác minh"])
            )
        default:
            (
                pick(&rng, ["Ký văn bản trả lời công dân", "Thống nhất nội dung trả lời, giao cơ quan chuyên môn khắc phục"]),
                pick(&rng, ["Căn cứ ý kiến của cơ quan chuyên môn và kết quả kiểm tra thực tế", "Nội dung phản ánh có cơ sở; đã có phương án xử lý"])
            )
        }
    }

    static func result(_ rng: inout DemoRandom, kind: CaseKind) -> String {
        switch kind {
        case .complaint:
            pick(
                &rng,
                [
                    "Đã ban hành quyết định giải quyết khiếu nại, gửi người khiếu nại và cơ quan liên quan",
                    "Đã công khai quyết định giải quyết khiếu nại",
                ])
        case .denunciation: "Đã ban hành kết luận, thông báo kết quả cho người tố cáo (bảo đảm bí mật thông tin người tố cáo)"
        default: pick(&rng, ["Đã gửi văn bản trả lời công dân", "Đã trả lời công dân; cơ quan chuyên môn đã khắc phục"])
        }
    }

    static func forwardCase(_ rng: inout DemoRandom, kind: CaseKind) -> String {
        switch kind {
        case .complaint, .denunciation:
            pick(
                &rng, ["Phân loại đơn; giao thanh tra viên kiểm tra điều kiện thụ lý", "Tiếp công dân, nhận đơn; giao thanh tra viên đề xuất thụ lý"])
        default:
            pick(&rng, ["Chuyển chuyên viên theo dõi lĩnh vực xử lý", "Phân loại phản ánh, chuyển chuyên viên tham mưu trả lời"])
        }
    }

    static func taskProgress(_ rng: inout DemoRandom) -> String {
        pick(&rng, ["Đã họp với các đơn vị liên quan", "Đang hoàn thiện dự thảo báo cáo", "Đã khảo sát thực tế, tổng hợp số liệu"])
    }

    static func result(_ rng: inout DemoRandom, procedure: String) -> String {
        pick(
            &rng,
            [
                "Đã có kết quả: \(procedure)", "Hoàn thành giải quyết; kết quả chuyển Bộ phận một cửa trả cho tổ chức, cá nhân",
                "Đã ký, đóng dấu kết quả; cập nhật trên hệ thống thông tin giải quyết thủ tục hành chính",
            ])
    }

    static func closeDossier(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Đã trả kết quả cho công dân", "Đã trả kết quả trực tiếp tại Bộ phận một cửa", "Đã trả kết quả qua dịch vụ bưu chính công ích",
                "Đã trả kết quả trực tuyến",
            ])
    }

    static func missingItems(_ rng: inout DemoRandom, procedure: String) -> [String] {
        let name = procedure.lowercased()
        var pool = ["Tờ khai theo mẫu còn thiếu chữ ký của người yêu cầu", "Giấy ủy quyền có chứng thực (nộp thay)"]
        if name.contains("đất") || name.contains("xây dựng") {
            pool += [
                "Bản sao Giấy chứng nhận quyền sử dụng đất có chứng thực", "Bản vẽ thiết kế có chữ ký, đóng dấu của đơn vị thiết kế",
                "Văn bản thỏa thuận phân chia di sản thừa kế", "Sơ đồ vị trí thửa đất",
            ]
        } else if name.contains("doanh nghiệp") || name.contains("kinh doanh") {
            pool += [
                "Điều lệ công ty có chữ ký của các thành viên", "Danh sách thành viên góp vốn",
                "Bản sao giấy tờ pháp lý của người đại diện theo pháp luật",
            ]
        } else if name.contains("kết hôn") || name.contains("khai sinh") || name.contains("cha, mẹ") || name.contains("hộ tịch") {
            pool += ["Giấy xác nhận tình trạng hôn nhân", "Giấy chứng sinh bản chính", "Giấy tờ chứng minh quan hệ cha, mẹ, con"]
        } else {
            pool += ["Bản sao giấy tờ chứng minh đủ điều kiện", "Ảnh 4x6 theo quy định", "Bản thuyết minh còn thiếu nội dung"]
        }
        let shuffled = rng.shuffled(pool)
        return Array(shuffled.prefix(rng.int(1...min(3, shuffled.count))))
    }

    static func supplementReceived(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Công dân đã bổ sung đầy đủ giấy tờ theo yêu cầu", "Đã nhận đủ hồ sơ bổ sung; thời hạn giải quyết tính lại",
                "Nhận bổ sung qua Cổng dịch vụ công",
            ])
    }

    static func apology(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Xin lỗi tổ chức, cá nhân vì hồ sơ chưa giải quyết kịp thời hạn do cần xác minh thêm; hẹn trả kết quả vào ngày mới",
                "Gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả: hồ sơ phải lấy ý kiến cơ quan liên quan",
                "Xin lỗi và hẹn lại: hệ thống cơ sở dữ liệu gián đoạn, chưa đối chiếu được thông tin",
            ])
    }

    static func progress(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Đang thẩm định hồ sơ, đối chiếu cơ sở dữ liệu", "Đã làm việc với người yêu cầu để làm rõ thông tin",
                "Đang xác minh thực địa", "Đang tổng hợp ý kiến, hoàn thiện dự thảo", "Báo cáo tiến độ: đang xác minh, thu thập tài liệu",
            ])
    }

    static func chase(_ rng: inout DemoRandom, unitName: String) -> String {
        pick(&rng, ["Đôn đốc \(unitName) sớm có ý kiến", "Đã gọi điện đề nghị \(unitName) trả lời", "Có văn bản đôn đốc \(unitName) lần 2"])
    }

    static func consultQuestion(_ rng: inout DemoRandom, subject: String) -> String {
        pick(
            &rng,
            [
                "Đề nghị cho ý kiến về nội dung liên quan: \(subject)", "Lấy ý kiến thống nhất trước khi trình: \(subject)",
                "Đề nghị xác minh, cung cấp thông tin phục vụ giải quyết: \(subject)",
            ])
    }

    static func opinion(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Thống nhất với đề xuất; không có ý kiến khác", "Đồng ý, đề nghị lưu ý thời hạn giải quyết",
                "Thông tin xác minh khớp với hồ sơ lưu trữ", "Thống nhất, đề nghị bổ sung căn cứ pháp lý trong dự thảo",
            ])
    }

    static func transferReason(_ rng: inout DemoRandom, to unitName: String, sameUnit: Bool) -> String {
        if sameUnit {
            return pick(
                &rng,
                [
                    "Chuyển đồng chí phụ trách lĩnh vực xử lý", "Không thuộc lĩnh vực được phân công, chuyển xử lý",
                    "Đề nghị đồng chí xử lý do nắm rõ hồ sơ gốc", "Bận công tác đột xuất, chuyển xử lý",
                ])
        }
        return pick(
            &rng,
            [
                "Nội dung thuộc chức năng của \(unitName), chuyển xử lý", "Đề nghị \(unitName) xử lý theo thẩm quyền",
                "Không thuộc thẩm quyền của đơn vị; chuyển \(unitName)",
            ])
    }

    /// A head sends an escalated matter back down without deciding: it was not theirs to decide.
    static func withinYourRemit(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Thuộc thẩm quyền của đồng chí phụ trách lĩnh vực, đề nghị xem xét, giải quyết",
                "Đề nghị giải quyết theo thẩm quyền đã được phân công",
                "Việc thuộc phạm vi được giao, không cần trình; đề nghị xử lý",
            ])
    }

    /// A leader sends a submission back for more work.
    static func sendBack(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Chưa đủ cơ sở, đề nghị bộ phận chuyên môn làm rõ thêm", "Đề nghị hoàn thiện lại hồ sơ trình",
                "Đề nghị rà soát, bổ sung căn cứ rồi trình lại",
            ])
    }

    static func rating(_ rng: inout DemoRandom, score: Int) -> String {
        switch score {
        case 5: pick(&rng, ["Cán bộ hướng dẫn tận tình", "Giải quyết nhanh, đúng hẹn", "Rất hài lòng", "Thủ tục thuận tiện, nhận kết quả sớm"])
        case 4: pick(&rng, ["Hài lòng", "Đúng hẹn, thái độ tốt", "Khá nhanh"])
        case 3: pick(&rng, ["Bình thường", "Phải chờ lâu ở quầy tiếp nhận", "Hướng dẫn chưa rõ ràng"])
        default: pick(&rng, ["Phải đi lại nhiều lần", "Trễ hẹn, không được thông báo", "Không hài lòng về thời gian giải quyết"])
        }
    }

    static let declineBasis = [
        "Nghị định 118/2025/NĐ-CP; Quyết định công bố danh mục thủ tục hành chính của Chủ tịch UBND thành phố",
        "Quy chế phối hợp giải quyết thủ tục hành chính giữa các cơ quan trên địa bàn thành phố",
        "Luật Tổ chức chính quyền địa phương 2025; Nghị định quy định chức năng, nhiệm vụ của cơ quan chuyên môn",
    ]

    // MARK: Complaints, denunciations, petitions

    /// Subjects of complaints, each with the kind of body whose decision is complained about
    /// ("ward" = a phường/xã; otherwise a sở id).
    static let complaintSubjects: [(String, [String])] = [
        ("Khiếu nại quyết định thu hồi đất và phương án bồi thường, hỗ trợ", ["ward"]),
        ("Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực xây dựng", ["ward", "so-xay-dung"]),
        ("Khiếu nại việc từ chối cấp Giấy chứng nhận quyền sử dụng đất", ["ward", "so-nn-mt"]),
        ("Khiếu nại quyết định cưỡng chế tháo dỡ công trình", ["ward"]),
        ("Khiếu nại quyết định kỷ luật công chức", ["so-noi-vu", "so-y-te", "so-gd-dt", "so-tai-chinh"]),
        ("Khiếu nại về giá đất tính tiền bồi thường giải phóng mặt bằng", ["so-nn-mt", "ward"]),
        ("Khiếu nại quyết định xử phạt vi phạm hành chính về an toàn thực phẩm", ["so-y-te"]),
    ]

    /// A body outside the UBND system that a declining official names, by the field of the agency declining.
    static func externalBody(_ rng: inout DemoRandom, agency: String) -> String {
        switch agency {
        case "so-tu-phap": "Bộ Tư pháp"
        case "so-tai-chinh": pick(&rng, ["Cục Thuế thành phố Đà Nẵng", "Bộ Tài chính"])
        case "so-xay-dung": "Bộ Xây dựng"
        case "so-nn-mt": pick(&rng, ["Bộ Nông nghiệp và Môi trường", "Chi nhánh Văn phòng Đăng ký đất đai khu vực"])
        case "so-y-te": "Bộ Y tế"
        case "so-cong-thuong": "Bộ Công Thương"
        default: pick(&rng, ["Tòa án nhân dân khu vực", "Phòng Công chứng số 1 thành phố Đà Nẵng", "Công an thành phố Đà Nẵng"])
        }
    }
    static let denunciationSubjects = [
        "Tố cáo hành vi nhũng nhiễu trong giải quyết thủ tục hành chính", "Tố cáo sai phạm trong quản lý, sử dụng đất công",
        "Tố cáo việc không xử lý công trình xây dựng trái phép", "Tố cáo vi phạm trong mua sắm thiết bị",
        "Tố cáo việc thu sai quy định các khoản đóng góp",
    ]
    /// Why a complaint or denunciation waits (tạm đình chỉ): its legal basis and the reason.
    static func suspension(_ rng: inout DemoRandom, kind: CaseKind) -> (String, String) {
        let basis = kind == .complaint ? "Luật Khiếu nại Đ.11a (sửa đổi, bổ sung năm 2025)" : "Luật Tố cáo 2018 Đ.34"
        let reason = pick(
            &rng,
            [
                "Chờ kết quả giám định của cơ quan chuyên môn", "Chờ kết quả giải quyết vụ việc liên quan của Tòa án",
                "Chờ cơ quan có thẩm quyền cung cấp hồ sơ, tài liệu cần thiết",
            ])
        return (basis, reason)
    }

    /// The 34 tasks of the demo programme's annex: what each agency is to produce, and the product.
    static func programmeTask(_ i: Int, agencyName: String) -> (title: String, product: String) {
        let items: [(String, String)] = [
            ("Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền", "Báo cáo kết quả rà soát và phương án đơn giản hóa"),
            ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực", "Báo cáo kết quả số hóa"),
            ("Xây dựng quy trình nội bộ giải quyết thủ tục hành chính trên môi trường điện tử", "Quyết định phê duyệt quy trình nội bộ"),
            ("Cung cấp dịch vụ công trực tuyến toàn trình", "Danh mục dịch vụ công trực tuyến toàn trình trình UBND thành phố"),
            ("Đề án nâng cao chỉ số hài lòng của người dân, doanh nghiệp", "Đề án trình UBND thành phố"),
            ("Kiện toàn tổ chức bộ máy sau sắp xếp", "Tờ trình kiện toàn tổ chức bộ máy"),
            ("Xây dựng kế hoạch đào tạo kỹ năng số cho công chức", "Kế hoạch đào tạo"),
            ("Tổng kết thực hiện Nghị định 61/2018/NĐ-CP về cơ chế một cửa", "Báo cáo tổng kết"),
            ("Công khai thủ tục hành chính và kết quả giải quyết trên Cổng thông tin", "Báo cáo kết quả công khai"),
            ("Xây dựng cơ sở dữ liệu chuyên ngành kết nối với hệ thống thông tin giải quyết thủ tục hành chính", "Đề án xây dựng cơ sở dữ liệu"),
            ("Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc", "Kết luận kiểm tra"),
            ("Sửa đổi quy chế làm việc theo hướng phân cấp, ủy quyền", "Dự thảo quy chế làm việc sửa đổi"),
        ]
        let (title, product) = items[i % items.count]
        return ("\(title) — \(agencyName)", product)
    }

    /// A task of an agency's quarterly plan, named with the agency (the same title to two leads is an overlap).
    static func planTask(_ rng: inout DemoRandom, agencyName: String) -> (title: String, product: String) {
        let (title, product) = rng.pick(
            [
                ("Báo cáo tình hình thực hiện nhiệm vụ quý", "Báo cáo quý"),
                ("Tổ chức hội nghị đối thoại với doanh nghiệp về thủ tục hành chính", "Báo cáo kết quả hội nghị"),
                ("Rà soát văn bản quy phạm pháp luật thuộc lĩnh vực quản lý", "Báo cáo rà soát văn bản"),
            ])
        return ("\(title) — \(agencyName)", product)
    }

    /// A dialogue's record (đối thoại): who took part by role, what came of it, the minutes' reference.
    static func dialogue(_ rng: inout DemoRandom, respondent: String, attended: Bool) -> Dialogue {
        let participants =
            "Người khiếu nại\(attended ? "" : " (đã mời, vắng mặt không có lý do)"), đại diện \(respondent), Thanh tra thành phố, người có quyền, nghĩa vụ liên quan"
        let outcome =
            attended
            ? pick(
                &rng,
                [
                    "Thống nhất kết quả xác minh về diện tích thu hồi; còn khác nhau về đơn giá bồi thường",
                    "Người khiếu nại đồng ý với kết quả xác minh, đề nghị sớm ban hành quyết định",
                    "Các bên trình bày ý kiến; người khiếu nại giữ nguyên yêu cầu, đề nghị xem xét thêm tài liệu nộp bổ sung",
                ])
            : "Người khiếu nại được mời hợp lệ nhưng không đến; tiếp tục giải quyết theo quy định"
        let minutes = "Biên bản đối thoại số \(rng.int(10...99))/BB-TTr, lưu hồ sơ giải quyết khiếu nại"
        return Dialogue(participants: participants, outcome: outcome, minutes: minutes, complainantAttended: attended)
    }

    /// The letter by which a complainant or denouncer withdraws (đơn rút, biên bản ghi nhận việc rút).
    static func withdrawalLetter(_ rng: inout DemoRandom, kind: CaseKind) -> String {
        let what = kind == .complaint ? "khiếu nại" : "tố cáo"
        return pick(
            &rng,
            [
                "Đơn xin rút \(what) đề ngày \(rng.int(1...28))/\(rng.int(1...12)), có chữ ký của người \(what)",
                "Biên bản ghi nhận việc rút \(what) tại trụ sở tiếp công dân, có chữ ký của người \(what) và cán bộ tiếp nhận",
            ])
    }

    static let withdrawalReasons = [
        "Các bên đã tự thỏa thuận được với nhau", "Đã được cơ quan bị khiếu nại giải thích, người khiếu nại thấy thỏa đáng",
        "Cơ quan bị khiếu nại đã tự sửa đổi quyết định hành chính",
    ]

    static let partialWithdrawals = [
        "Rút nội dung yêu cầu bồi thường chi phí di chuyển; giữ nội dung về đơn giá đất",
        "Rút nội dung đề nghị xử lý trách nhiệm cán bộ; giữ nội dung yêu cầu hủy quyết định",
    ]

    static let continuingAfterWithdrawal = [
        "Hành vi bị tố cáo có dấu hiệu vi phạm pháp luật qua kết quả xác minh ban đầu; tiếp tục giải quyết theo Luật Tố cáo Đ.33",
        "Có căn cứ cho thấy việc rút tố cáo do bị đe dọa; tiếp tục giải quyết theo quy định",
    ]

    /// What anonymous letters report (tin báo): information for the inspectorate, not denunciations.
    static let anonymousTips = [
        "phản ánh cán bộ gợi ý chi phí ngoài quy định khi làm thủ tục", "phản ánh việc chia nhỏ gói thầu sửa chữa trụ sở",
        "phản ánh công trình xây dựng không phép chưa bị xử lý", "phản ánh việc thu tiền trông giữ xe sai quy định",
    ]
    static let anonymousTipReview = [
        "Đã đối chiếu thông tin với hồ sơ quản lý; nội dung có cơ sở để đưa vào kế hoạch kiểm tra",
        "Đã ghi nhận thông tin; không đủ yếu tố để xác minh riêng, theo dõi trong kỳ thanh tra tới",
        "Đã ghi nhận; thông tin thuộc lĩnh vực quản lý của đơn vị được phản ánh",
    ]

    static let petitionSubjects: [(String, String)] = [
        ("Phản ánh tình trạng ngập úng cục bộ khi mưa lớn", "so-nn-mt"), ("Kiến nghị lắp đặt đèn chiếu sáng trong kiệt", "so-xay-dung"),
        ("Phản ánh tiếng ồn kéo dài từ cơ sở kinh doanh karaoke", "so-vh-tt"), ("Phản ánh rác thải tồn đọng tại khu dân cư", "so-nn-mt"),
        ("Kiến nghị sửa chữa mặt đường hư hỏng", "so-xay-dung"), ("Phản ánh việc lấn chiếm vỉa hè để kinh doanh", "ward"),
        ("Kiến nghị rút ngắn thời gian giải quyết thủ tục đất đai", "so-nn-mt"),
        ("Phản ánh cơ sở kinh doanh thực phẩm không bảo đảm vệ sinh", "so-y-te"),
    ]

    static func verification(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Đã làm việc trực tiếp với người khiếu nại, thu thập tài liệu, chứng cứ", "Đã tổ chức đối thoại với các bên liên quan",
                "Đã xác minh thực địa, lập biên bản làm việc", "Đã yêu cầu cơ quan bị khiếu nại giải trình bằng văn bản",
            ])
    }

    static func complaintProposal(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Báo cáo kết quả xác minh; đề xuất công nhận một phần nội dung khiếu nại",
                "Báo cáo kết quả xác minh; đề xuất không công nhận nội dung khiếu nại, giữ nguyên quyết định",
                "Đề xuất công nhận nội dung khiếu nại, yêu cầu điều chỉnh quyết định bị khiếu nại",
            ])
    }

    static func denunciationProposal(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Báo cáo kết quả xác minh; đề xuất kết luận nội dung tố cáo đúng một phần, kiến nghị xử lý trách nhiệm",
                "Báo cáo kết quả xác minh; đề xuất kết luận nội dung tố cáo không đúng",
                "Đề xuất kết luận tố cáo đúng, chuyển cơ quan có thẩm quyền xử lý kỷ luật",
            ])
    }

    static func petitionProposal(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Dự thảo văn bản trả lời công dân trên cơ sở ý kiến của cơ quan chuyên môn",
                "Đề xuất giao cơ quan chuyên môn khắc phục, thông báo kết quả cho công dân",
            ])
    }

    // MARK: Tasks

    static func taskTitles(_ agency: String, year: Int) -> [String] {
        switch agency {
        case "so-noi-vu":
            [
                "Tham mưu phương án bố trí công chức cấp xã sau sắp xếp", "Xây dựng kế hoạch tuyển dụng công chức năm \(year)",
                "Báo cáo kết quả cải cách hành chính quý",
            ]
        case "so-tu-phap":
            [
                "Thẩm định dự thảo quyết định phân cấp quản lý nhà nước", "Rà soát văn bản quy phạm pháp luật sau sắp xếp đơn vị hành chính",
                "Báo cáo công tác hộ tịch trên địa bàn",
            ]
        case "so-tai-chinh":
            [
                "Tham mưu phân bổ dự toán ngân sách năm \(year)", "Báo cáo tiến độ giải ngân vốn đầu tư công",
                "Rà soát, sắp xếp trụ sở dôi dư sau hợp nhất",
            ]
        case "so-xay-dung":
            [
                "Kiểm tra, xử lý tình trạng xuống cấp các tuyến đường nội thị", "Báo cáo tiến độ dự án nhà ở xã hội",
                "Rà soát hệ thống chiếu sáng công cộng",
            ]
        case "so-nn-mt":
            [
                "Xây dựng phương án phòng, chống thiên tai mùa mưa bão năm \(year)", "Rà soát, điều chỉnh bảng giá đất",
                "Kiểm tra xử lý ô nhiễm tại các cửa xả ven biển",
            ]
        case "so-y-te":
            [
                "Triển khai phòng, chống sốt xuất huyết mùa mưa", "Kiểm tra an toàn thực phẩm dịp Tết Nguyên đán",
                "Báo cáo tình hình khám chữa bệnh bảo hiểm y tế",
            ]
        case "so-cong-thuong": ["Kế hoạch bình ổn thị trường hàng hóa thiết yếu dịp Tết", "Báo cáo tình hình cung ứng xăng dầu trên địa bàn"]
        case "so-khcn": ["Triển khai chuyển đổi số trong giải quyết thủ tục hành chính", "Báo cáo kết quả thực hiện Đề án 06"]
        case "so-gd-dt":
            ["Xây dựng kế hoạch tuyển sinh lớp 10 năm học \(year)–\(year + 1)", "Rà soát mạng lưới trường lớp sau sắp xếp đơn vị hành chính"]
        case "so-vh-tt": ["Tham mưu tổ chức Lễ hội pháo hoa quốc tế Đà Nẵng \(year)", "Kiểm tra hoạt động kinh doanh dịch vụ karaoke, vũ trường"]
        default: ["Báo cáo chuyên đề theo yêu cầu của UBND thành phố"]
        }
    }

    static func taskInstruction(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Giao đồng chí phụ trách lĩnh vực chủ trì thực hiện", "Đề nghị triển khai, báo cáo kết quả đúng hạn",
                "Chủ trì, phối hợp các đơn vị liên quan thực hiện",
            ])
    }

    static func taskResult(_ rng: inout DemoRandom) -> String {
        pick(
            &rng,
            [
                "Đã hoàn thành; báo cáo kết quả gửi UBND thành phố", "Đã trình dự thảo văn bản lên UBND thành phố",
                "Hoàn thành nhiệm vụ, đã ban hành kế hoạch",
            ])
    }
}

extension String {
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
