import BuckStopCalendar
import BuckStopDomain
import Foundation

/// The report as a Vietnamese administrative report is laid out — I. state of play, II. behaviours found and where,
/// III. concrete examples, IV. causes, V. the good, VI. recommendations (left to the author) — as headings, sentences
/// built from the numbers, tables and charts. One layout, three writers: HTML, Word and the Excel annex (every table),
/// so the formats cannot disagree. Sentences state figures; judgements are left to people.
public struct ReportDocument: Sendable {
    public enum Block: Sendable {
        case heading(level: Int, text: String)
        case paragraph(String)
        /// A table with an id (the annex sheet's name and the HTML table's id), a caption, a header and rows;
        /// `numeric` marks the columns that hold numbers (right-aligned, numbers in the annex).
        case table(Table)
        case chart(Chart)
    }

    public struct Table: Sendable {
        public var id: String
        public var caption: String
        public var header: [String]
        public var rows: [[String]]
        public var numeric: Set<Int>
        /// Relative column widths (their sum is spread over the page).
        public var widths: [Double]
    }

    public enum Chart: Sendable {
        /// Cases received and settled on time per month.
        case trend(title: String, months: [String], series: [(name: String, values: [Int])])
        /// Horizontal bars, largest first.
        case bars(title: String, bars: [(label: String, value: Int)])
        /// Rows × columns of counts, darker for more.
        case heat(title: String, rows: [String], columns: [String], values: [[Int]])
        /// Hand-overs from unit to unit, most first: a Sankey-like picture where the format can draw one.
        case flows(title: String, links: [(from: String, to: String, count: Int)])

        public var title: String {
            switch self {
            case .trend(let title, _, _), .bars(let title, _), .heat(let title, _, _, _), .flows(let title, _): title
            }
        }
    }

    public var title: String
    public var subtitle: String
    public var issuer: String
    public var placeDate: String
    public var blocks: [Block]
    /// Everything the report is built on, said at the end: sources, definitions, generation.
    public var basis: [String]

    /// `place` is the place name of the date line (địa danh); "……" for the author to fill when not given.
    public init(_ r: PeriodReport, place: String? = nil) {
        let s = r.scope
        func d(_ day: CivilDate) -> String { String(format: "%02d/%02d/%04d", day.day, day.month, day.year) }
        func n(_ x: Int) -> String { Self.number(x) }
        func pct(_ x: Double?) -> String { x.map { Self.percent($0) } ?? "—" }
        func change(_ now: Int, _ then: Int) -> String {
            guard then > 0 else { return now > 0 ? "mới phát sinh" : "không đổi" }
            let delta = Double(now - then) * 100 / Double(then)
            if abs(delta) < 0.05 { return "không đổi" }
            return (delta > 0 ? "tăng " : "giảm ") + Self.percent(abs(delta))
        }
        title = "BÁO CÁO"
        let kindText = s.kind.map { " — \($0.nameVi.lowercased())" } ?? ""
        subtitle = "Tình hình giải quyết công việc và phòng, chống né tránh, đùn đẩy trách nhiệm\(kindText)\ntừ ngày \(d(s.from)) đến ngày \(d(s.to))"
        issuer = r.issuer
        placeDate =
            "\(place ?? "……"), ngày \(String(format: "%02d", r.generatedOn.day)) tháng \(String(format: "%02d", r.generatedOn.month)) năm \(r.generatedOn.year)"
        var blocks: [Block] = []
        let v = r.current
        /// What an event log cannot say, said instead of a zero.
        var fromLog: String? {
            if case .log(let name) = r.source { return name }
            return nil
        }
        let notFromLog = "Không tính được từ nhật ký sự kiện"

        // I.
        blocks.append(.heading(level: 1, text: "I. TÌNH HÌNH GIẢI QUYẾT CÔNG VIỆC"))
        blocks.append(
            .paragraph(
                "Trong kỳ, \(r.issuer) tiếp nhận mới \(n(v.received)) hồ sơ, việc (kỳ trước chuyển sang \(n(v.carriedOver))); đã giải quyết \(n(v.settled)), trong đó đúng hạn \(n(v.settledOnTime)) (\(pct(v.onTimePercent))), quá hạn \(n(v.settledLate)); đang giải quyết \(n(v.pending)), trong đó đã quá hạn \(n(v.pendingOverdue))."
            ))
        blocks.append(
            .paragraph(
                "So với kỳ trước (\(d(s.previous.from)) – \(d(s.previous.to))), số tiếp nhận mới \(change(v.received, r.previous.received)), tỷ lệ giải quyết đúng hạn \(pct(v.onTimePercent)) so với \(pct(r.previous.onTimePercent)); so với cùng kỳ năm trước, số tiếp nhận mới \(change(v.received, r.lastYear.received)), tỷ lệ đúng hạn \(pct(v.onTimePercent)) so với \(pct(r.lastYear.onTimePercent))."
            ))
        let volumeHeader = [
            "Kỳ trước chuyển sang", "Tiếp nhận mới", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn", "Đang giải quyết", "Đang quá hạn",
        ]
        func volumeCells(_ v: PeriodReport.Volume) -> [String] {
            [
                n(v.carriedOver), n(v.received), n(v.settled), n(v.settledOnTime), n(v.settledLate), pct(v.onTimePercent), n(v.pending),
                n(v.pendingOverdue),
            ]
        }
        blocks.append(
            .table(
                Table(
                    id: "Tong hop", caption: "Bảng 1. Kết quả giải quyết so với kỳ trước và cùng kỳ năm trước", header: ["Kỳ"] + volumeHeader,
                    rows: [
                        ["Kỳ này (\(d(s.from)) – \(d(s.to)))"] + volumeCells(v),
                        ["Kỳ trước (\(d(s.previous.from)) – \(d(s.previous.to)))"] + volumeCells(r.previous),
                        ["Cùng kỳ năm trước (\(d(s.lastYear.from)) – \(d(s.lastYear.to)))"] + volumeCells(r.lastYear),
                    ], numeric: Set(1...8), widths: [3.2] + Array(repeating: 1.6, count: 8))))
        if r.months.count > 1 {
            blocks.append(
                .chart(
                    .trend(
                        title: "Biểu đồ 1. Tiếp nhận và giải quyết đúng hạn theo tháng", months: r.months.map(\.month),
                        series: [
                            ("Tiếp nhận mới", r.months.map(\.received)), ("Đã giải quyết", r.months.map(\.settled)),
                            ("Giải quyết đúng hạn", r.months.map(\.settledOnTime)),
                        ])))
        }
        func rowTable(_ id: String, _ caption: String, _ first: String, _ rows: [PeriodReport.Row]) -> Block {
            .table(
                Table(
                    id: id, caption: caption, header: [first] + volumeHeader, rows: rows.map { [$0.name] + volumeCells($0.volume) },
                    numeric: Set(1...8), widths: [3.2] + Array(repeating: 1.6, count: 8)))
        }
        blocks.append(rowTable("Theo loai viec", "Bảng 2. Theo loại việc", "Loại việc", r.byKind))
        blocks.append(rowTable("Theo don vi", "Bảng 3. Theo cơ quan, đơn vị", "Cơ quan, đơn vị", r.byUnit))
        blocks.append(rowTable("Theo thu tuc", "Bảng 4. Theo thủ tục, lĩnh vực", "Thủ tục", r.byProcedure))

        // The QĐ 766 index, where the record computes it.
        let idx = r.serviceIndex
        func share(_ x: Double?) -> String { x.map { Self.percent($0 * 100) } ?? "—" }
        blocks.append(.heading(level: 2, text: "Chỉ số chất lượng phục vụ (Quyết định 766/QĐ-TTg)"))
        let satisfaction =
            fromLog != nil
            ? "Mức độ hài lòng: \(notFromLog.lowercased()) (nhật ký không ghi điểm đánh giá)."
            : "Mức độ hài lòng (tỷ lệ hài lòng như SIPAS): \(share(idx.total.satisfiedShare)) trên \(n(idx.total.ratings)) lượt đánh giá của người dân."
        blocks.append(
            .paragraph(
                "Trên \(n(idx.total.settled)) hồ sơ thủ tục hành chính giải quyết xong trong kỳ: đúng hạn \(share(idx.total.onTimeShare)); quá hạn \(n(idx.total.late)), trong đó có văn bản xin lỗi, hẹn lại \(n(idx.total.lateWithApology)); \(n(idx.total.repeatedSupplements)) hồ sơ phải bổ sung hơn một lần. \(satisfaction)"
            ))
        blocks.append(
            .table(
                Table(
                    id: "Chi so 766", caption: "Bảng 5. Chỉ số phục vụ theo nhóm (Quyết định 766/QĐ-TTg)",
                    header: ["Nhóm chỉ số", "Điểm tối đa", "Cách tính", "Kết quả", "Điểm"],
                    rows: idx.groups.map { g in
                        let method: String
                        var result = "—"
                        switch g.group.measure {
                        case .onTimeShare?:
                            method = "Tỷ lệ hồ sơ giải quyết đúng hạn × điểm tối đa"
                            if g.share != nil { result = "\(share(g.share)) của \(n(g.base)) hồ sơ" }
                        case .satisfiedShare?:
                            method = "Tỷ lệ đánh giá từ mức \(g.group.satisfiedFrom ?? 0)/5 × điểm tối đa"
                            if fromLog != nil { result = notFromLog } else if g.share != nil { result = "\(share(g.share)) của \(n(g.base)) lượt" }
                        case nil:
                            method = "Không tính được từ sổ xử lý của BuckStop"
                        }
                        let score = fromLog != nil && g.group.measure == .satisfiedShare ? nil : g.score
                        return [g.group.nameVi, Self.decimal(g.group.points), method, result, score.map(Self.decimal) ?? "—"]
                    }, numeric: [1, 4], widths: [3.6, 1.4, 4.6, 3.2, 1.4])))
        blocks.append(
            .table(
                Table(
                    id: "Chi so theo don vi", caption: "Bảng 6. Tiến độ và mức độ hài lòng theo cơ quan, đơn vị",
                    header: [
                        "Cơ quan, đơn vị", "Giải quyết xong", "Đúng hạn", "Tỷ lệ đúng hạn", "Quá hạn", "Quá hạn có xin lỗi", "Bổ sung hơn 1 lần",
                        "Lượt đánh giá", "Tỷ lệ hài lòng",
                    ],
                    rows: idx.units.map { u in
                        [
                            u.name, n(u.settled), n(u.onTime), share(u.onTimeShare), n(u.late), n(u.lateWithApology), n(u.repeatedSupplements),
                            fromLog != nil ? "—" : n(u.ratings), fromLog != nil ? "—" : share(u.satisfiedShare),
                        ]
                    }, numeric: Set(1...8), widths: [3.2] + Array(repeating: 1.45, count: 8))))

        // II.
        blocks.append(.heading(level: 1, text: "II. CÁC BIỂU HIỆN NÉ TRÁNH, ĐÙN ĐẨY TRÁCH NHIỆM ĐƯỢC PHÁT HIỆN"))
        let raised = r.behaviours.map(\.raised).reduce(0, +)
        let upheld = r.behaviours.map(\.upheld).reduce(0, +)
        let dismissed = r.behaviours.map(\.dismissed).reduce(0, +)
        if raised == 0 {
            blocks.append(.paragraph("Trong kỳ, hệ thống không phát hiện biểu hiện nào trong phạm vi báo cáo."))
        } else if fromLog != nil {
            blocks.append(
                .paragraph(
                    "Trong kỳ, phân tích nhật ký sự kiện phát hiện \(n(raised)) biểu hiện (kỳ trước \(n(r.behaviours.map(\.raisedPrevious).reduce(0, +)))). Nhật ký không ghi việc giải trình và xem xét, nên đây là những trường hợp cần xem xét, chưa phải kết luận."
                ))
        } else {
            blocks.append(
                .paragraph(
                    "Trong kỳ, hệ thống phát hiện \(n(raised)) biểu hiện (kỳ trước \(n(r.behaviours.map(\.raisedPrevious).reduce(0, +)))); sau khi người có thẩm quyền xem xét giải trình, \(n(upheld)) được giữ nguyên, \(n(dismissed)) bị bác bỏ, \(n(raised - upheld - dismissed)) đang chờ xem xét."
                ))
        }
        if fromLog != nil {
            blocks.append(
                .table(
                    Table(
                        id: "Bieu hien", caption: "Bảng 7. Biểu hiện theo loại", header: ["Biểu hiện", "Phát hiện", "Kỳ trước", "Trên 100 việc"],
                        rows: r.behaviours.map { [$0.nameVi, n($0.raised), n($0.raisedPrevious), Self.decimal($0.per100)] },
                        numeric: Set(1...3), widths: [7.5, 2, 2, 2])))
        } else {
            blocks.append(
                .table(
                    Table(
                        id: "Bieu hien", caption: "Bảng 7. Biểu hiện theo loại",
                        header: ["Biểu hiện", "Phát hiện", "Kỳ trước", "Giữ nguyên", "Bác bỏ", "Chờ xem xét", "Trên 100 việc"],
                        rows: r.behaviours.map {
                            [$0.nameVi, n($0.raised), n($0.raisedPrevious), n($0.upheld), n($0.dismissed), n($0.pending), Self.decimal($0.per100)]
                        },
                        numeric: Set(1...6), widths: [5.5, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7])))
        }
        if !r.hotspots.isEmpty {
            blocks.append(.heading(level: 2, text: "Nơi xảy ra nhiều nhất"))
            let top = r.hotspots[0]
            blocks.append(
                .paragraph(
                    "Biểu hiện tập trung nhiều nhất tại \(top.unitName), thủ tục \(top.procedure)\(top.step.map { ", ở bước “\($0.nameVi.lowercased())”" } ?? "") (\(n(top.count)) trường hợp \(Self.detectorName(top.detector).lowercased()))."
                ))
            blocks.append(
                .table(
                    Table(
                        id: "Diem nong", caption: "Bảng 8. Đơn vị × thủ tục × bước có nhiều biểu hiện nhất",
                        header: ["Cơ quan, đơn vị", "Thủ tục", "Bước", "Biểu hiện", "Số trường hợp"],
                        rows: r.hotspots.map { [$0.unitName, $0.procedure, $0.step?.nameVi ?? "—", Self.detectorName($0.detector), n($0.count)] },
                        numeric: [4], widths: [3.6, 4.2, 2.4, 3.6, 1.6])))
            blocks.append(
                .chart(
                    .bars(
                        title: "Biểu đồ 2. Các điểm nóng",
                        bars: r.hotspots.map { ("\($0.unitName) · \($0.step?.nameVi ?? "—") · \(Self.detectorName($0.detector))", $0.count) })))
        }
        if !r.unitBehaviour.isEmpty {
            let detectors = r.behaviours.map(\.detector)
            blocks.append(
                .chart(
                    .heat(
                        title: "Biểu đồ 3. Biểu hiện theo cơ quan, đơn vị", rows: r.unitBehaviour.map(\.unit),
                        columns: detectors.map(Self.detectorName),
                        values: r.unitBehaviour.map { row in detectors.map { row.counts[$0] ?? 0 } })))
        }
        let flows = r.handOverFlows
        let followed = flows.behaviours.map { Self.detectorName($0).lowercased() }.joined(separator: ", ")
        blocks.append(.heading(level: 2, text: "Luồng chuyển hồ sơ giữa các đơn vị"))
        if let top = flows.links.first {
            let within = flows.withinUnits > 0 ? "; ngoài ra \(n(flows.withinUnits)) lần chuyển trong nội bộ một đơn vị" : ""
            blocks.append(
                .paragraph(
                    "Trên \(n(flows.cases)) hồ sơ, việc có biểu hiện \(followed), hồ sơ được chuyển \(n(flows.total)) lần giữa các cơ quan, đơn vị\(within). Luồng lớn nhất là từ \(top.fromName) sang \(top.toName): \(n(top.count)) lần chuyển trên \(n(top.cases)) hồ sơ, việc."
                ))
            blocks.append(
                .table(
                    Table(
                        id: "Luong chuyen", caption: "Bảng 9. Luồng chuyển hồ sơ giữa các đơn vị (\(followed))",
                        header: ["Đơn vị chuyển đi", "Đơn vị nhận", "Số lần chuyển", "Số hồ sơ, việc"],
                        rows: flows.links.map { [$0.fromName, $0.toName, n($0.count), n($0.cases)] }, numeric: [2, 3], widths: [5.5, 5.5, 2, 2])))
            blocks.append(
                .chart(
                    .flows(
                        title: "Biểu đồ 4. Luồng chuyển hồ sơ giữa các đơn vị (\(followed)"
                            + (flows.links.count > Self.flowsDrawn ? "; \(Self.flowsDrawn) luồng lớn nhất)" : ")"),
                        links: flows.links.prefix(Self.flowsDrawn).map { ($0.fromName, $0.toName, $0.count) })))
        } else if flows.withinUnits > 0 {
            blocks.append(
                .paragraph(
                    "Trên \(n(flows.cases)) hồ sơ, việc có biểu hiện \(followed), không có lần chuyển nào giữa các cơ quan, đơn vị: \(n(flows.withinUnits)) lần chuyển đều trong nội bộ một đơn vị."
                ))
        } else {
            blocks.append(.paragraph("Trong kỳ không có hồ sơ, việc nào có biểu hiện \(followed) được chuyển giữa các cơ quan, đơn vị."))
        }
        blocks.append(.heading(level: 2, text: "Việc xử lý sau phát hiện"))
        let taken = ConsequenceKind.allCases.map { k in (k, r.consequences[k] ?? 0) }
        if fromLog != nil {
            blocks.append(.paragraph("\(notFromLog): việc kiểm điểm, khắc phục, kỷ luật sau phát hiện không được ghi trong nhật ký."))
        } else {
            blocks.append(
                .paragraph(
                    "Đối với các biểu hiện được giữ nguyên: "
                        + taken.map { "\($0.0.nameVi.lowercased()) \(n($0.1))" }.joined(separator: "; ")
                        + ". Biện pháp khắc phục: hoàn thành đúng hạn \(n(r.remediationOnTime)), chậm \(n(r.remediationLate)), đang trong hạn \(n(r.remediationPending))."
                ))
            blocks.append(
                .table(
                    Table(
                        id: "Xu ly", caption: "Bảng 10. Biện pháp đã quyết định", header: ["Biện pháp", "Số biểu hiện"],
                        rows: taken.map { [$0.0.nameVi, n($0.1)] }, numeric: [1], widths: [8, 3])))
        }

        // III.
        blocks.append(.heading(level: 1, text: "III. MỘT SỐ TRƯỜNG HỢP CỤ THỂ"))
        if r.examples.isEmpty {
            blocks.append(.paragraph("Không có trường hợp nào trong kỳ."))
        }
        var current = ""
        var number = 0
        for e in r.examples {
            if e.detector != current {
                current = e.detector
                blocks.append(.heading(level: 2, text: Self.detectorName(e.detector)))
            }
            number += 1
            var text =
                "\(number). Hồ sơ \(e.code.rawValue) — \(e.procedure), \(e.unit); mức độ \(Self.severityName(e.severity)), \(fromLog == nil ? Self.statusName(e.status) : "chưa được xem xét"). \(e.explanation)"
            if let response = e.response, !response.isEmpty { text += " Giải trình: “\(response)”." }
            if let cause = e.cause { text += " Nguyên nhân: \(cause)." }
            blocks.append(.paragraph(text))
            blocks.append(
                .table(
                    Table(
                        id: "Vi du \(number)", caption: "Quá trình xử lý hồ sơ \(e.code.rawValue): ai giữ, bao lâu",
                        header: ["Người chịu trách nhiệm", "Đơn vị", "Từ ngày", "Số ngày giữ"],
                        rows: e.spells.map { [$0.official, $0.unit, d($0.since), n($0.days)] }, numeric: [3], widths: [4.5, 5, 2.5, 2.2])))
        }

        // IV.
        blocks.append(.heading(level: 1, text: "IV. NGUYÊN NHÂN"))
        if fromLog != nil {
            blocks.append(
                .paragraph("\(notFromLog): nguyên nhân do người có thẩm quyền xác định khi xem xét giải trình, việc mà nhật ký không ghi."))
        } else if r.causes.isEmpty {
            blocks.append(.paragraph("Chưa có biểu hiện được giữ nguyên nào được xác định nguyên nhân trong kỳ."))
        } else {
            blocks.append(
                .paragraph(
                    "Nguyên nhân được người xem xét xác định cho các biểu hiện được giữ nguyên (theo danh mục nguyên nhân của bộ quy tắc); \(n(r.upheldWithoutCause)) biểu hiện chưa được xác định nguyên nhân."
                ))
        }
        if fromLog == nil {
            blocks.append(
                .table(
                    Table(
                        id: "Nguyen nhan", caption: "Bảng 11. Nguyên nhân theo loại và nơi xảy ra nhiều nhất",
                        header: ["Nguyên nhân", "Số biểu hiện", "Nơi nhiều nhất"],
                        rows: r.causes.map { c in [c.nameVi, n(c.count), c.topUnits.map { "\($0.name) (\(n($0.count)))" }.joined(separator: "; ")] },
                        numeric: [1], widths: [5.5, 2, 7])))
        }

        // V.
        blocks.append(.heading(level: 1, text: "V. NHỮNG VIỆC LÀM TỐT, CÁN BỘ DÁM NGHĨ, DÁM LÀM"))
        if fromLog != nil {
            blocks.append(
                .paragraph(
                    "\(notFromLog): việc làm tốt (giải quyết sớm, đúng ngay lần đầu, quyết định trong thẩm quyền) và đề xuất đổi mới, sáng tạo theo Nghị định 73/2023/NĐ-CP được đọc từ sổ xử lý của BuckStop, không có trong nhật ký."
                ))
        } else {
            blocks.append(
                .paragraph(
                    "Trên các việc giải quyết xong trong kỳ: "
                        + GoodDeed.allCases.map { "\($0.nameVi.lowercased()) \(n(r.deeds[$0] ?? 0))" }.joined(separator: "; ")
                        + ". Đề xuất đổi mới, sáng tạo (Nghị định 73/2023/NĐ-CP): được chấp thuận \(n(r.proposalsApproved)), không chấp thuận \(n(r.proposalsDeclined)); \(n(r.actedUnderProposal)) lần thực hiện theo đề xuất đã được chấp thuận."
                ))
            blocks.append(
                .table(
                    Table(
                        id: "Viec lam tot", caption: "Bảng 12. Việc làm tốt", header: ["Nội dung", "Số lượng"],
                        rows: GoodDeed.allCases.map { [$0.nameVi, n(r.deeds[$0] ?? 0)] } + [
                            ["Đề xuất đổi mới, sáng tạo được chấp thuận", n(r.proposalsApproved)],
                            ["Đề xuất không được chấp thuận", n(r.proposalsDeclined)],
                            ["Thực hiện theo đề xuất đã được chấp thuận", n(r.actedUnderProposal)],
                        ], numeric: [1], widths: [10, 3])))
        }

        // VI.
        blocks.append(.heading(level: 1, text: "VI. ĐỀ XUẤT, KIẾN NGHỊ"))
        blocks.append(
            .paragraph("(Phần này do người lập báo cáo viết: đánh giá, nhận định và kiến nghị được đưa ra từ các số liệu, ví dụ nêu trên.)"))
        self.blocks = blocks
        let origin =
            fromLog.map { "Số liệu lấy từ nhật ký sự kiện \($0), phân tích bằng cùng bộ phát hiện BuckStop dùng khi vận hành" }
            ?? "Số liệu lấy từ sổ xử lý (sổ cái) của BuckStop"
        basis = [
            "\(origin), lập ngày \(d(r.generatedOn)); phạm vi: \(r.issuer)\(s.kind.map { ", \($0.nameVi.lowercased())" } ?? "").",
            "Một việc được tính là đã giải quyết vào ngày có kết quả hoặc kết thúc xử lý; đúng hạn khi ngày đó không muộn hơn hạn giải quyết đang có hiệu lực (sau gia hạn, bổ sung).",
            "Chỉ số theo Quyết định 766/QĐ-TTg: nhóm tính được chấm theo tỷ lệ của số điểm (cách đọc của BuckStop, chưa đối chiếu phụ lục của Quyết định); nhóm cần dữ liệu BuckStop không ghi được để trống, không ước lượng.",
            "Biểu hiện được tính vào kỳ theo ngày xảy ra; “giữ nguyên”, “bác bỏ” là kết quả xem xét giải trình của người có thẩm quyền. Báo cáo không chứa thông tin cá nhân của người dân.",
        ]
    }

    static func detectorName(_ id: String) -> String { PeriodReport.detectorNames(id).vi }

    /// The largest flows drawn (all are in the table): more bands than this no longer read as a picture.
    static let flowsDrawn = 12

    static func severityName(_ s: Severity) -> String {
        switch s {
        case .info: "thông tin"
        case .minor: "nhẹ"
        case .major: "đáng kể"
        case .severe: "nghiêm trọng"
        }
    }

    static func statusName(_ s: FindingStatus) -> String {
        switch s {
        case .open: "chờ giải trình"
        case .explained: "đã giải trình, chờ xem xét"
        case .upheld: "đã được giữ nguyên"
        case .dismissed: "đã bác bỏ"
        }
    }

    /// Vietnamese number style: thousands with ".", decimals with ",".
    static func number(_ x: Int) -> String {
        let digits = String(abs(x))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(c)
        }
        return (x < 0 ? "-" : "") + out
    }

    static func decimal(_ x: Double) -> String { String(format: "%.1f", x).replacingOccurrences(of: ".", with: ",") }

    static func percent(_ x: Double) -> String { decimal(x) + "%" }
}
