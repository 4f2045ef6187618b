#!/usr/bin/env bash
# Shell benchmark: 100 `exec true` into a running box and 20 run/rm cycles, typed into one
# `krunbox shell` session (one warm JVM) against the same from the CLI (a JVM each time).
# Prints the time per operation and the ratio; the goal is the shell >= 5x faster.
#   bench/shell.sh [EXECS] [CYCLES]        (root; krunbox on PATH or KRUNBOX=path)
set -euo pipefail
execs=${1:-100}
cycles=${2:-20}
kb=${KRUNBOX:-krunbox}
ns=kbbench-sh-$$
export KRUNBOX_NETNS=$ns KRUNBOX_HOME=$(mktemp -d /tmp/kbbench-home.XXXXXX) KRUNBOX_SHELL_HOME=$(mktemp -d)
cleanup() {
  "$kb" rm -f warm >/dev/null 2>&1 || true
  "$kb" ps -aq 2>/dev/null | xargs -r "$kb" rm -f >/dev/null 2>&1 || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$KRUNBOX_HOME" "$KRUNBOX_SHELL_HOME"
}
trap cleanup EXIT
ip netns add "$ns"
"$kb" run -d --name warm demo sleep 3600 >/dev/null 2>&1
now() { date +%s%N; }

script=$(for i in $(seq "$execs"); do echo "exec warm true"; done)
s=$(now); printf '%s\nexit\n' "$script" | "$kb" shell >/dev/null 2>&1; e=$(now)
shell_exec=$(( (e - s) / execs / 1000 ))
s=$(now); for i in $(seq "$execs"); do "$kb" exec warm true >/dev/null 2>&1; done; e=$(now)
cli_exec=$(( (e - s) / execs / 1000 ))

script=$(for i in $(seq "$cycles"); do echo "run -d --name c$i --network none demo true"; echo "rm -f c$i"; done)
s=$(now); printf '%s\nexit\n' "$script" | "$kb" shell >/dev/null 2>&1; e=$(now)
shell_cycle=$(( (e - s) / cycles / 1000 ))
s=$(now); for i in $(seq "$cycles"); do "$kb" run -d --name d$i --network none demo true >/dev/null 2>&1; "$kb" rm -f d$i >/dev/null 2>&1; done; e=$(now)
cli_cycle=$(( (e - s) / cycles / 1000 ))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }'; }
echo "per operation (the shell's total includes its own start), same run:"
printf '  %-22s shell %7s us   CLI %7s us   CLI/shell %sx\n' "exec true" "$shell_exec" "$cli_exec" "$(ratio "$cli_exec" "$shell_exec")"
printf '  %-22s shell %7s us   CLI %7s us   CLI/shell %sx\n' "run -d + rm -f" "$shell_cycle" "$cli_cycle" "$(ratio "$cli_cycle" "$shell_cycle")"
echo "goal: the shell at least 5x faster per operation"
