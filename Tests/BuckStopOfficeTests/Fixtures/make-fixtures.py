"""Builds the programme-annex fixtures: openpyxl lays out the sheet, LibreOffice Calc then opens and saves it, so the
committed files are SpreadsheetML as LibreOffice writes it (shared strings, rich-text runs, styled empty cells).

    python3 make-fixtures.py OUTDIR     # writes OUTDIR/programme-annex.xlsx and OUTDIR/programme-annex-broken.xlsx
"""
import datetime
import os
import subprocess
import sys
import tempfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, Side

HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Người chịu trách nhiệm",
          "Thời hạn\nhoàn thành", "Sản phẩm dự kiến", "Ghi chú"]


def rows(broken):
    """Rows from spreadsheet row 6 on; None is an empty cell."""
    return [
        ["I", "CẢI CÁCH THỂ CHẾ", None, None, None, None, None, None],
        [1, "Rà soát, đánh giá các văn bản quy phạm pháp luật do tỉnh ban hành", "Sở Tư pháp",
         "Sở Nội vụ, Văn phòng UBND tỉnh", "Nguyễn Văn An", datetime.datetime(2026, 3, 31),
         "Báo cáo kết quả rà soát", None],
        [2, "Xây dựng quy chế phối hợp giải quyết thủ tục hành chính liên thông", "Sở Nội vụ",
         "Sở Tư pháp; Sở Tài chính", None, "31/02/2026" if broken else "30/06/2026",
         "Quyết định ban hành quy chế", "Trình UBND tỉnh"],
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, None, None, None, None, None],
        [3, "Công bố danh mục thủ tục hành chính được tiếp nhận trực tuyến toàn trình", "Văn phòng UBND tỉnh",
         "Sở Thông tin và Truyền thông\nUBND các huyện, thị xã, thành phố", "Trần Thị Bình", "Quý III/2026",
         "Quyết định công bố", None],
        [4, CellRichText([TextBlock(InlineFont(b=True), "Số hóa"), " hồ sơ, kết quả giải quyết thủ tục hành chính"]),
         "Sở Thông tin và Truyền thông", "Các sở, ban, ngành", None, "Tháng 9/2026", "Kho dữ liệu điện tử", None],
        [5, "Đánh giá mức độ hài lòng của người dân, doanh nghiệp", "UBND cấp huyện",
         None, None, "Năm 2026", "Báo cáo đánh giá", None],
        [6, "Cắt giảm thời gian giải quyết thủ tục đầu tư", "Sở Kế hoạch và Đầu tư" + (", Sở Tài chính" if broken else ""),
         "Sở Tài chính", "Lê Văn Cường", "2026-10-15", "Báo cáo", None],
        [None, None, None, None, None, None, None, None],
        ["III", "CẢI CÁCH TỔ CHỨC BỘ MÁY", None, None, None, None, None, None],
        [7, "Sắp xếp các đơn vị sự nghiệp công lập", "Sở Nội vụ", "Các sở, ngành; UBND cấp huyện",
         None, "15/11/2026", "Đề án sắp xếp", "Theo Nghị quyết 19-NQ/TW"],
        [8, "Thanh tra công vụ việc thực hiện kỷ luật, kỷ cương hành chính", "Thanh tra tỉnh", "Sở Nội vụ",
         "Phạm Thị Dung", "Quý IV/2026", "Kết luận thanh tra", None],
    ]


def build(path, broken):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["A1"] = "PHỤ LỤC: DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:H1")
    ws["A2"] = "(Kèm theo Quyết định số 123/QĐ-UBND ngày 15/01/2026 của Ủy ban nhân dân tỉnh)"
    ws.merge_cells("A2:H2")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    table = [HEADER, ["(%d)" % i for i in range(1, 9)]] + rows(broken)
    for r, values in enumerate(table, start=4):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if v is not None:
                cell.value = v
            cell.border = border  # empty cells too: LibreOffice then writes them as styled cells without a value
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 4:
                cell.font = Font(bold=True)
            if isinstance(v, datetime.datetime):
                cell.number_format = "DD/MM/YYYY"
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "in", os.path.basename(path))
        os.makedirs(os.path.dirname(source))
        wb.save(source)
        subprocess.run(["soffice", "-env:UserInstallation=file://" + tmp + "/profile", "--headless",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", os.path.dirname(path), source],
                       check=True)


out = sys.argv[1]
build(os.path.join(out, "programme-annex.xlsx"), broken=False)
build(os.path.join(out, "programme-annex-broken.xlsx"), broken=True)
