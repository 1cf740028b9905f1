#!/usr/bin/env bash
# Installs what the browser end-to-end test (Scripts/e2e.sh, Tests/e2e/browser_e2e.py) needs, if missing:
# Debian's chromium + chromium-driver (same version, /usr/bin/chromium, /usr/bin/chromedriver) and Selenium 4 for
# Python. Debian's python3-selenium (4.8.3 on bookworm) is the choice: it drives chromium-driver as is and
# installs for /usr/bin/python3. Only if that cannot import it does this fall back to `pip install selenium`
# for the python3 on PATH. Idempotent; prints the versions it ends up with. Needs root (or sudo) to install.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

has_selenium() {  # $1 = python interpreter; true if it imports Selenium >= 4
  "$1" - <<'PY' >/dev/null 2>&1
import selenium, sys
sys.exit(0 if int(selenium.__version__.split(".")[0]) >= 4 else 1)
PY
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ -x /usr/bin/python3 ] && ! has_selenium /usr/bin/python3; then missing+=(python3-selenium); fi
[ -x /usr/bin/python3 ] || missing+=(python3 python3-selenium)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-e2e-deps: apt-get install ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi

# Browser and driver must be the same build (both come from Debian's chromium source package).
browser_v=$(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1)
driver_v=$(/usr/bin/chromedriver --version | grep -oE '[0-9]+(\.[0-9]+)+' | head -1)
if [ "${browser_v%%.*}" != "${driver_v%%.*}" ]; then
  echo "install-e2e-deps: chromium $browser_v and chromedriver $driver_v differ in major version;" \
       "run: apt-get install -y chromium chromium-driver" >&2
  exit 1
fi

python=""
if has_selenium /usr/bin/python3; then
  python=/usr/bin/python3
elif command -v python3 >/dev/null && has_selenium "$(command -v python3)"; then
  python=$(command -v python3)
else
  echo "install-e2e-deps: Debian's python3-selenium is not importable; pip install selenium for $(command -v python3)"
  python3 -m pip install --quiet 'selenium>=4,<5'
  python=$(command -v python3)
  has_selenium "$python" || { echo "install-e2e-deps: selenium still not importable by $python" >&2; exit 1; }
fi

sel_v=$("$python" -c 'import selenium; print(selenium.__version__)')
echo "install-e2e-deps: chromium $browser_v, chromedriver $driver_v (/usr/bin/chromedriver), selenium $sel_v for $python"
