#!/usr/bin/env bash
# Puts axe-core's axe.min.js (Deque, MPL-2.0) at .build/axe/axe.min.js for the browser test's accessibility check,
# and prints its path. axe-core is not packaged by Debian; PyPI's axe-playwright-python 0.1.8 wheel carries
# axe-core 4.12.1 as a plain file, so the wheel is downloaded (no install, no Playwright) and the file taken out.
# Idempotent: an existing copy of the expected version is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.build/axe
JS=$DEST/axe.min.js
WANT="axe v4.12.1"
if [ -s "$JS" ] && head -c 200 "$JS" | grep -q "$WANT"; then echo "$JS"; exit 0; fi
mkdir -p "$DEST"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=$(command -v python3 || echo /usr/bin/python3)
"$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$TMP" axe-playwright-python==0.1.8 >&2
"$PY" - "$TMP" "$JS" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/axe_playwright_python-0.1.8-*.whl")
if not wheel:
    sys.exit("fetch-axe: the wheel was not downloaded")
with zipfile.ZipFile(wheel[0]) as z:
    data = z.read("axe_playwright_python/axe.min.js")
open(sys.argv[2], "wb").write(data)
PY
head -c 200 "$JS" | grep -q "$WANT" || { echo "fetch-axe: $JS is not $WANT" >&2; exit 1; }
echo "$JS"
