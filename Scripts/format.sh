#!/usr/bin/env bash
# Formats the Swift sources with the toolchain's swift-format and the repository's .swift-format (4 spaces, 150 columns).
#
#   Scripts/format.sh           rewrites the files in place
#   Scripts/format.sh --check   changes nothing; fails, naming file, line and rule, where a file is not formatted (CI)
#
# The code generated from openapi.yaml (*/Generated/) is left as the generator writes it: Scripts/generate-api.sh
# rewrites it whole, and GeneratedAPITests ties it to the document.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find Package.swift Sources Tests Fuzz Scripts -name '*.swift' -not -path '*/Generated/*' -not -path '*/.build*' | sort)
case "${1:-}" in
  --check) swift format lint --strict --parallel "${files[@]}" ;;
  "") swift format format --in-place --parallel "${files[@]}" ;;
  *) echo "usage: Scripts/format.sh [--check]" >&2; exit 64 ;;
esac
