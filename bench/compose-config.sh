#!/usr/bin/env bash
# `compose config` on the fixture corpus (compose/src/test/resources/fixtures), krunbox against
# Docker Compose v2's own `config` (built here from the Go module proxy, cached; `config` needs
# no engine). Prints the time per file (median over the corpus) and, for every file where the
# two normalized models differ, the differing paths (after both are read back as YAML).
#   bench/compose-config.sh [-v]     (-v: print each difference in full)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kb=${KRUNBOX:-krunbox}
verbose=${1:-}
version=v2.40.3
cache=${KRUNBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krunbox}/compose-v2
dc=$cache/docker-compose-$version
if [[ ! -x $dc ]]; then
  command -v go >/dev/null || { echo "compose-config.sh: go is missing (apt-get install golang, or a Go toolchain)" >&2; exit 1; }
  echo "building Docker Compose $version from the Go module proxy (once; a few minutes)" >&2
  mkdir -p "$cache"
  go mod download github.com/docker/compose/v2@$version
  src=$(go env GOMODCACHE)/github.com/docker/compose/v2@$version
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$dc.tmp" ./cmd) && mv "$dc.tmp" "$dc"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fixtures=$ROOT/compose/src/test/resources/fixtures
now() { date +%s%N; }

: > "$work/times"
for dir in "$fixtures"/*/; do
  name=$(basename "$dir")
  args=() envs=(HOME=/home/tester)
  if [[ -f $dir/options ]]; then
    while read -r flag value; do
      case $flag in
        -f|--profile|-p) args+=("$flag" "$value") ;;
        env) envs+=("$value") ;;
      esac
    done < "$dir/options"
  fi
  s=$(now); (cd "$dir" && env "${envs[@]}" "$kb" compose "${args[@]}" config) > "$work/$name.kb" 2>/dev/null || echo "error" > "$work/$name.kb"; m=$(now)
  (cd "$dir" && env "${envs[@]}" "$dc" "${args[@]}" config) > "$work/$name.dc" 2>/dev/null || echo "error" > "$work/$name.dc"; e=$(now)
  echo "$name $(( (m - s) / 1000000 )) $(( (e - m) / 1000000 ))" >> "$work/times"
done

python3 - "$work" "$verbose" <<'PY'
import os, sys, yaml, statistics
work, verbose = sys.argv[1], sys.argv[2] == "-v"
def load(p):
    with open(p) as f:
        text = f.read()
    if text.strip() == "error":
        return "<error>"
    return yaml.safe_load(text)
def flat(v, path, out):
    # scalars compared as text: Compose writes some numbers quoted, some not
    if isinstance(v, dict):
        if not v:
            out[path] = "{}"
        for k, x in v.items():
            flat(x, f"{path}.{k}" if path else str(k), out)
    elif isinstance(v, list):
        if not v:
            out[path] = "[]"
        for i, x in enumerate(v):
            flat(x, f"{path}[{i}]", out)
    else:
        out[path] = "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
    return out
rows = [l.split() for l in open(os.path.join(work, "times"))]
same = 0
for name, _, _ in rows:
    a = flat(load(os.path.join(work, name + ".kb")), "", {})
    b = flat(load(os.path.join(work, name + ".dc")), "", {})
    keys = sorted(set(a) | set(b))
    diff = [k for k in keys if a.get(k) != b.get(k)]
    if not diff:
        same += 1
        continue
    print(f"{name}: {len(diff)} paths differ")
    for k in diff if verbose else diff[:6]:
        print(f"    {k}: krunbox={a.get(k, '<absent>')!s:.60}  compose={b.get(k, '<absent>')!s:.60}")
    if not verbose and len(diff) > 6:
        print(f"    ... ({len(diff) - 6} more; -v prints all)")
kb = [int(r[1]) for r in rows]
dc = [int(r[2]) for r in rows]
print()
print(f"{len(rows)} files, {same} with the same normalized model")
print(f"time per file (median): krunbox {statistics.median(kb):.0f} ms, docker compose {statistics.median(dc):.0f} ms,"
      f" ratio {statistics.median(kb) / statistics.median(dc):.2f}x")
PY
