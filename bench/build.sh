#!/usr/bin/env bash
# Build benchmark against buildah (Debian's, `buildah bud --layers`): the same Dockerfile and
# context, the same base (the demo busybox image), same run. Three cases, medians of ROUNDS:
# a cold build (no cache), a rebuild with nothing changed, a rebuild after one source file
# changed (the steps from its COPY on run again). Prints medians and krunbox/buildah ratios.
#   bench/build.sh [ROUNDS]      (root; krunbox on PATH or KRUNBOX=path; buildah installed by setup)
set -euo pipefail
rounds=${1:-5}
kb=${KRUNBOX:-krunbox}
demo=${KRUNBOX_DEMO_IMAGE:-/usr/local/lib/krunbox/images/demo}
work=$(mktemp -d /tmp/kbbench-build.XXXXXX)
ns=kbbench-build-$$
export KRUNBOX_HOME=$work/home KRUNBOX_NETNS=$ns
bstore=(--root "$work/buildah" --runroot "$work/buildah-run")
cleanup() {
  ip netns del "$ns" 2>/dev/null || true
  buildah "${bstore[@]}" rmi -a -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ctx=$work/ctx
mkdir -p "$ctx/src"
for i in $(seq 1 20); do head -c 20000 /dev/urandom | base64 > "$ctx/src/file$i.txt"; done
cat > "$ctx/Dockerfile" <<'DF'
ARG BASE=demo
FROM ${BASE}
RUN mkdir -p /opt/app && echo base > /opt/app/base.txt
RUN for i in 1 2 3 4 5; do echo "step $i" >> /opt/app/steps.txt; done
COPY src/ /opt/app/src/
RUN cat /opt/app/src/*.txt | wc -c > /opt/app/size.txt
RUN ls /opt/app/src > /opt/app/index.txt
ENV APP=/opt/app
WORKDIR /opt/app
CMD ["cat", "size.txt"]
DF
now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
kbuild() { "$kb" build -q --network none -t bench:1 "$@" "$ctx" >/dev/null 2>&1; }
bbuild() { buildah "${bstore[@]}" bud --layers -q --network none -t bench:1 --build-arg "BASE=oci:$demo" "$@" "$ctx" >/dev/null 2>&1; }
kbuild # the base into the store, once, as buildah pulls it once below
bbuild
k_cold=() b_cold=() k_same=() b_same=() k_one=() b_one=()
for r in $(seq "$rounds"); do
  s=$(now); kbuild --no-cache; e=$(now); k_cold+=("$(ms "$s" "$e")")
  s=$(now); bbuild --no-cache; e=$(now); b_cold+=("$(ms "$s" "$e")")
  s=$(now); kbuild; e=$(now); k_same+=("$(ms "$s" "$e")")
  s=$(now); bbuild; e=$(now); b_same+=("$(ms "$s" "$e")")
  echo "change $r" >> "$ctx/src/file7.txt"
  s=$(now); kbuild; e=$(now); k_one+=("$(ms "$s" "$e")")
  echo "change $r" >> "$ctx/src/file8.txt"
  s=$(now); bbuild; e=$(now); b_one+=("$(ms "$s" "$e")")
done
"$kb" run --rm --network none bench:1 >/dev/null 2>&1 || { echo "krunbox's image does not run" >&2; exit 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
kc=$(printf '%s\n' "${k_cold[@]}" | median); bc_=$(printf '%s\n' "${b_cold[@]}" | median)
ks=$(printf '%s\n' "${k_same[@]}" | median); bs=$(printf '%s\n' "${b_same[@]}" | median)
ko=$(printf '%s\n' "${k_one[@]}" | median); bo=$(printf '%s\n' "${b_one[@]}" | median)
printf '%-40s %10s %10s %8s %s\n' "5 RUN, 1 COPY of 20 files, median of $rounds" krunbox buildah ratio goal
printf '%-40s %7s ms %7s ms %8s %s\n' "cold build (no cache)" "$kc" "$bc_" "$(ratio "$kc" "$bc_")" "<= 0.80x"
printf '%-40s %7s ms %7s ms %8s %s\n' "rebuild, nothing changed" "$ks" "$bs" "$(ratio "$ks" "$bs")" "<= 0.30x"
printf '%-40s %7s ms %7s ms %8s %s\n' "rebuild, one source file changed" "$ko" "$bo" "$(ratio "$ko" "$bo")" "<= 0.80x"
