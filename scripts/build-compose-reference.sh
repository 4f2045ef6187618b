#!/usr/bin/env bash
# Builds scripts/compose-reference (compose-go, the loader of Docker Compose, at the version
# go.mod pins) into DEST, for ComposeParityIT; a build of the same sources is reused.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:?usage: build-compose-reference.sh DEST}
src="$ROOT/scripts/compose-reference"
command -v go >/dev/null || { echo "go is needed to build the compose reference (ComposeParityIT)" >&2; exit 1; }
stamp=$(cat "$src"/main.go "$src"/go.mod "$src"/go.sum | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/krunbox/compose-reference-$stamp
if [ ! -x "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  (cd "$src" && go build -trimpath -o "$cache.tmp" .)
  mv "$cache.tmp" "$cache"
fi
mkdir -p "$(dirname "$dest")"
cp "$cache" "$dest"
echo "    compose reference $(cd "$src" && go list -m -f '{{.Version}}' github.com/compose-spec/compose-go/v2) -> $dest"
