#!/usr/bin/env bash
# Fuzzes guest-init's config reader (JSON, config fields, the seccomp compiler) and its reader of
# the host's exec frames with libFuzzer (clang, ASan, UBSan), both at once, one core each, from the
# seed corpora in guest-init/fuzz/corpus. A crash, a leak in the frame reader, a timeout or a
# sanitizer report fails the run and leaves the input in the work directory it prints.
#   bench/fuzz.sh [MINUTES]      default 1 (CI runs it so)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=${1:-1}
[[ $minutes =~ ^[0-9]+$ ]] || { echo "bench/fuzz.sh: MINUTES must be a whole number" >&2; exit 2; }
build=$ROOT/guest-init/target/make
make -s -C "$ROOT/guest-init" fuzz BUILD="$build"
work=$(mktemp -d /tmp/krunbox-fuzz.XXXXXX)
declare -A corpus=([config]=config [frame]=frames)
# both harnesses free what they parse (PID 1 keeps its config for life), so leaks are errors
declare -A leaks=([config]=1 [frame]=1)
for f in config frame; do
  mkdir -p "$work/$f"
  ( cd "$work" && ASAN_OPTIONS=detect_leaks=${leaks[$f]} "$build/fuzz/${f}_fuzz" -max_total_time=$((minutes * 60)) \
      -rss_limit_mb=2048 -max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix="$work/$f-" \
      "$work/$f" "$ROOT/guest-init/fuzz/corpus/${corpus[$f]}" > "$work/$f.log" 2>&1; echo $? > "$work/$f.rc" ) &
done
wait
status=0
for f in config frame; do
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$f.log")
  if [[ $(cat "$work/$f.rc") != 0 ]]; then
    echo "fuzz $f: FAILED after ${runs:-?} runs; the input and the log are in $work" >&2
    grep -E 'ERROR|SUMMARY|runtime error' "$work/$f.log" | head -5 >&2
    status=1
  else
    echo "fuzz $f: ${runs} runs in ${minutes} min, no failure"
  fi
done
((status)) || rm -rf "$work"
exit $status
