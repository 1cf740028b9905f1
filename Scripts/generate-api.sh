#!/usr/bin/env bash
# Regenerates the typed API from Sources/BuckStopServer/Resources/openapi.yaml with swift-openapi-generator:
#   Sources/BuckStopAPI/Generated/      the types (Components, Operations, APIProtocol), public
#   Sources/BuckStopServer/Generated/   the server stubs (registerHandlers), internal
# The generated code is committed, so that neither CI nor a developer builds the generator (about 2.5 minutes on
# 2 cores) for every clean build. Each generated file starts with the SHA-256 of the document it was made from;
# GeneratedAPITests fails when the document changed and this script was not run.
#
#   Scripts/generate-api.sh
#
# Environment: GENERATOR_SCRATCH (default .build-generator), where the generator's command-line tool is built.
set -euo pipefail
cd "$(dirname "$0")/.."

DOC=Sources/BuckStopServer/Resources/openapi.yaml
SCRATCH=${GENERATOR_SCRATCH:-.build-generator}
log() { printf '[generate-api] %s\n' "$*" >&2; }

log "building swift-openapi-generator (Scripts/api-generator) in $SCRATCH"
swift build --package-path Scripts/api-generator --scratch-path "$SCRATCH" --product swift-openapi-generator >&2
GEN="$(swift build --package-path Scripts/api-generator --scratch-path "$SCRATCH" --show-bin-path)/swift-openapi-generator"

DIGEST=$(sha256sum "$DOC" | cut -d ' ' -f 1)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
generate() { # config output-directory
  # The digest line is what GeneratedAPITests compares with the document.
  { cat "$1"; printf 'additionalFileComments: ["openapi.yaml SHA-256: %s"]\n' "$DIGEST"; } >"$T/config.yaml"
  rm -rf "$2"
  mkdir -p "$2"
  "$GEN" generate --config "$T/config.yaml" --output-directory "$2" "$DOC" >/dev/null
}
generate Scripts/api-generator/types.yaml Sources/BuckStopAPI/Generated
generate Scripts/api-generator/server.yaml Sources/BuckStopServer/Generated
log "generated from $DOC (SHA-256 $DIGEST):"
ls Sources/BuckStopAPI/Generated Sources/BuckStopServer/Generated >&2
