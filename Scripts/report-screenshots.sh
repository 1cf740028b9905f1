#!/usr/bin/env bash
# The period report as a new user meets it (issue 19): the demo seeded into a scratch database, the report for the first
# half of the year written as DOCX by `buckstop report`, opened by LibreOffice headless (converted to PDF) and its first
# pages rendered by pdftoppm into docs/screenshots/report-docx-N.png, with the QĐ 766 index's page and a page of
# charts (report-docx-index.png, report-docx-charts.png). Installs LibreOffice Writer and poppler-utils from
# Debian when missing.
#   bash Scripts/report-screenshots.sh [FROM TO]     default 2026-01-01 2026-06-30
set -euo pipefail
cd "$(dirname "$0")/.."
from=${1:-2026-01-01}
to=${2:-2026-06-30}
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui fonts-liberation)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}" ||
    { $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"; }
fi
swift build --product buckstop >&2
bin="$(swift build --show-bin-path)/buckstop"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" demo --db "$work/demo.sqlite" >/dev/null
"$bin" report --db "$work/demo.sqlite" --from "$from" --to "$to" --format docx --place "Đà Nẵng" --out "$work/bao-cao.docx"
soffice --headless --convert-to pdf --outdir "$work" "$work/bao-cao.docx" >&2
pdfinfo "$work/bao-cao.pdf" | grep -E '^Pages'
mkdir -p docs/screenshots
rm -f docs/screenshots/report-docx-*.png
pdftoppm -r 80 -f 1 -l 3 -png "$work/bao-cao.pdf" docs/screenshots/report-docx
# And the pages where the QĐ 766 index begins and where the hot spots' chart is (Word's own bar chart, then the heat
# map as a shaded table), found by their text in the PDF.
pages=$(pdfinfo "$work/bao-cao.pdf" | sed -n 's/^Pages: *//p')
page_with() {
  for ((p = 1; p <= pages; p++)); do
    if pdftotext -f "$p" -l "$p" "$work/bao-cao.pdf" - | grep -q "$1"; then
      pdftoppm -r 80 -f "$p" -l "$p" -singlefile -png "$work/bao-cao.pdf" "docs/screenshots/$2"
      return
    fi
  done
  echo "no page holds '$1'" >&2
  return 1
}
page_with "Bảng 5. Chỉ số phục vụ theo nhóm" report-docx-index
page_with "Biểu đồ 2. Các điểm nóng" report-docx-charts
ls docs/screenshots/report-docx-*.png
