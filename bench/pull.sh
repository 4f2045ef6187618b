#!/usr/bin/env bash
# Benchmark: pull + unpack of one multi-layer image (~100 MB, built from Debian packages)
# from a local registry. krunbox pull vs skopeo copy + umoci unpack, measured in the same
# run, each from an empty store. Prints medians and the ratio (goal: krunbox <= 0.7x).
#   bench/pull.sh [ROUNDS]
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KRUNBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krunbox}/bench-pull
KRUNBOX=${KRUNBOX:-krunbox}
PACKAGES=(libicu72 perl-modules-5.36 libpython3.11-stdlib python3.11-minimal libperl5.36 libstdc++6 libssl3 coreutils)
mkdir -p "$CACHE"
for tool in skopeo umoci docker-registry "$KRUNBOX"; do
  command -v "$tool" >/dev/null || { echo "bench/pull.sh: $tool is missing (scripts/setup.sh)" >&2; exit 1; }
done

layout="$CACHE/layout"
if [[ ! -f $layout/index.json ]]; then
  echo "building the test image (one layer per Debian package) in $layout"
  debs="$CACHE/debs"; mkdir -p "$debs"
  (cd "$debs" && apt-get -o APT::Sandbox::User=root download -q "${PACKAGES[@]}" >/dev/null)
  rm -rf "$layout" "$CACHE/bundle"
  umoci init --layout "$layout"
  umoci new --image "$layout:bench"
  for deb in "$debs"/*.deb; do
    umoci unpack --rootless --image "$layout:bench" "$CACHE/bundle" >/dev/null
    dpkg-deb -x "$deb" "$CACHE/bundle/rootfs"
    umoci repack --image "$layout:bench" "$CACHE/bundle" >/dev/null
    rm -rf "$CACHE/bundle"
  done
fi

work=$(mktemp -d)
reg_pid=
cleanup() { [[ -n $reg_pid ]] && kill "$reg_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/storage}}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.05; done
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:bench" "docker://127.0.0.1:$port/bench:1"
ref="127.0.0.1:$port/bench:1"
layers=$(skopeo inspect --tls-verify=false "docker://$ref" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Layers"]))')
size=$(du -sm "$work/storage" | cut -f1)
echo "image: $ref, $layers layers, ${size} MB compressed in the registry"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
k_times=(); p_times=()
# Every round writes into directories of its own, and nothing is deleted until the end: ext4
# scans past recently deleted inodes when it allocates new ones, so whichever tool ran first
# after a delete paid for it (seen here: the same pull 3.1 s right after an rm -rf, 1.7 s later).
# The order alternates too, so neither tool always runs on a disk the other just filled.
kb_round() {
  t0=$(now); KRUNBOX_HOME="$work/kb$1" "$KRUNBOX" pull -q "$ref" >/dev/null; sync; t1=$(now)
  k_times+=("$(echo "$t1 - $t0" | bc)")
}
peer_round() {
  mkdir -p "$work/peer$1"
  t0=$(now)
  skopeo copy --quiet --src-tls-verify=false "docker://$ref" "oci:$work/peer$1/layout:bench"
  umoci unpack --image "$work/peer$1/layout:bench" "$work/peer$1/bundle" >/dev/null
  sync; t1=$(now)
  p_times+=("$(echo "$t1 - $t0" | bc)")
}
for i in $(seq "$ROUNDS"); do
  sync
  # sync inside the timed part: both tools are measured to durable completion, and no writeback
  # from one round spills into the next
  if (( i % 2 )); then kb_round "$i"; peer_round "$i"; else peer_round "$i"; kb_round "$i"; fi
  echo "round $i: krunbox ${k_times[-1]} s, skopeo+umoci ${p_times[-1]} s"
done
k=$(printf '%s\n' "${k_times[@]}" | median)
p=$(printf '%s\n' "${p_times[@]}" | median)
printf 'median: krunbox %.2f s, skopeo copy + umoci unpack %.2f s\n' "$k" "$p"
printf 'ratio krunbox/peer: %.2fx (goal <= 0.70x)\n' "$(echo "$k / $p" | bc -l)"
