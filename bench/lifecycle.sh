#!/usr/bin/env bash
# Lifecycle benchmark against Podman (Debian's podman with runc and conmon), same busybox image,
# same run: `run --rm true`, detached `run` to running, a no-op `exec` from the CLI, a no-op
# exec from inside the JVM (library call), and the idle RSS of a box's supervisor against
# conmon's (a plain box, and one with a health check, a restart policy and two published ports).
# Prints medians and krunbox/podman ratios.
#   bench/lifecycle.sh [ROUNDS]      (root; krunbox on PATH or KRUNBOX=path; installs podman if missing)
set -euo pipefail
rounds=${1:-10}
kb=${KRUNBOX:-krunbox}
here=$(cd "$(dirname "$0")/.." && pwd)
demo=${KRUNBOX_DEMO_IMAGE:-/usr/local/lib/krunbox/images/demo}

work=$(mktemp -d /tmp/kbbench-life.XXXXXX)
ns=kbbench-life-$$
export KRUNBOX_HOME=$work/home KRUNBOX_NETNS=$ns
source "$here/bench/podman-env.sh"
cleanup() {
  "$kb" rm -f kbwarm kbsvc >/dev/null 2>&1 || true
  podman rm -f pdwarm >/dev/null 2>&1 || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
skopeo copy -q "oci:$demo:latest" containers-storage:localhost/kbdemo:latest 2>/dev/null \
  || skopeo copy -q "oci:$demo" containers-storage:localhost/kbdemo:latest

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timed() { local s e; s=$(now); "$@" >/dev/null 2>&1; e=$(now); echo $(( (e - s) / 1000000 )); }
measure() { for i in $(seq "$rounds"); do timed "$@"; done | median; }

# the warm server of this home: started by the first call, then warmed a little (its JIT)
"$kb" ps >/dev/null 2>&1
for i in $(seq 5); do "$kb" run --rm --network none demo true >/dev/null 2>&1; "$kb" ps >/dev/null 2>&1; done

kb_ps=$(measure "$kb" ps)
pd_ps=$(measure podman ps)
# the first call when no server runs (it starts one), against a call in a JVM of its own (before the server)
gone() { # stops the server and waits until its process has exited
  local pid; pid=$("$kb" server status --format json 2>/dev/null | sed -n 's/.*"Pid":\([0-9]*\).*/\1/p')
  "$kb" server stop >/dev/null 2>&1
  while [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  sleep 0.2
}
kb_first=$(for i in $(seq "$rounds"); do gone; timed "$kb" ps; done | median)
kb_jvm_ps=$(KRUNBOX_SERVER=0 measure "$kb" ps)
"$kb" ps >/dev/null 2>&1
for i in $(seq 5); do "$kb" run --rm --network none demo true >/dev/null 2>&1; "$kb" ps >/dev/null 2>&1; done

kb_rm=$(measure "$kb" run --rm --network none demo true)
pd_rm=$(measure podman run --rm --network none localhost/kbdemo true)

kb_d=$(for i in $(seq "$rounds"); do t=$(timed "$kb" run -d --name kbd$i --network none demo sleep 600); echo "$t"; "$kb" rm -f kbd$i >/dev/null 2>&1; done | median)
pd_d=$(for i in $(seq "$rounds"); do t=$(timed podman run -d --name pdd$i --network none localhost/kbdemo sleep 600); echo "$t"; podman rm -f -t 0 pdd$i >/dev/null 2>&1; done | median)

"$kb" run -d --name kbwarm --network none demo sleep 3600 >/dev/null 2>&1
podman run -d --name pdwarm --network none localhost/kbdemo sleep 3600 >/dev/null 2>&1
kb_x=$(measure "$kb" exec kbwarm true)
pd_x=$(measure podman exec pdwarm true)

# in the JVM: 200 exec round trips through the library, after 20 to warm up
if [[ -d $here/shell/target/lib ]]; then
  cp="$(ls "$here"/shell/target/krunbox-shell-*.jar):$(ls -d "$here"/shell/target/lib/* | tr '\n' ':')"
else
  cp="$(ls -d /usr/local/lib/krunbox/lib/* | tr '\n' ':')"
fi
jvm_us=$(java -Dkrunbox.demo.image="$demo" -cp "$cp" "$here/bench/InJvmExec.java" kbwarm 200 2>/dev/null | tail -1)

rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
# the box's supervisor: krunbox-monitor for a plain box like this one (a JVM with health checks, restarts, ports)
sup=$("$kb" inspect kbwarm --format '{{.State.SupervisorPid}}')
con=$(pgrep -f "conmon.*pdwarm" | head -1 || true)
[[ -n $con ]] || con=$(pgrep -x conmon | head -1)
kb_rss=$(rss "$sup"); pd_rss=$(rss "$con")
# what a process really costs when many run: its own (anonymous) pages, and PSS (shared pages divided)
anon() { awk '/RssAnon/ { print $2 }' "/proc/$1/status"; }
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }
kb_anon=$(anon "$sup"); pd_anon=$(anon "$con"); kb_pss=$(pss "$sup"); pd_pss=$(pss "$con")

# a service's box: health check, restart policy, two published ports (kernel rules), all under krunbox-monitor
"$kb" run -d --name kbsvc --restart always --health-cmd true --health-interval 1s \
  -p 127.0.0.1:18301:80 -p 127.0.0.1:18302:81/udp demo sleep 3600 >/dev/null 2>&1
for i in $(seq 50); do [[ $("$kb" inspect kbsvc --format '{{.State.Health.Status}}') == healthy ]] && break; sleep 0.1; done
sleep 3 # a few checks have run
svc=$("$kb" inspect kbsvc --format '{{.State.SupervisorPid}}')
grep -q krunbox-monitor "/proc/$svc/cmdline" || { echo "kbsvc is not watched by krunbox-monitor" >&2; exit 1; }
svc_rss=$(rss "$svc"); svc_anon=$(anon "$svc")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }'; }
echo "medians of $rounds, same run (sandbox isolation; podman with runc; krunbox through its warm server):"
printf '  %-28s krunbox %6s ms  podman %6s ms  ratio %sx (goal <= 0.5x)\n' "ps" "$kb_ps" "$pd_ps" "$(ratio "$kb_ps" "$pd_ps")"
printf '  %-28s krunbox %6s ms  own JVM %5s ms  ratio %sx (goal <= 1x)\n' "first call (starts a server)" "$kb_first" "$kb_jvm_ps" "$(ratio "$kb_first" "$kb_jvm_ps")"
printf '  %-28s krunbox %6s ms  podman %6s ms  ratio %sx (goal <= 0.6x)\n' "run --rm true" "$kb_rm" "$pd_rm" "$(ratio "$kb_rm" "$pd_rm")"
printf '  %-28s krunbox %6s ms  podman %6s ms  ratio %sx (goal <= 0.6x)\n' "run -d to running" "$kb_d" "$pd_d" "$(ratio "$kb_d" "$pd_d")"
printf '  %-28s krunbox %6s ms  podman %6s ms  ratio %sx (goal <= 0.6x)\n' "exec true (CLI)" "$kb_x" "$pd_x" "$(ratio "$kb_x" "$pd_x")"
printf '  %-28s krunbox %6s us per round trip (goal < 10000 us)\n' "exec true (in the JVM)" "$jvm_us"
printf '  %-28s krunbox %6s KiB  conmon %6s KiB  ratio %sx (goal < 30720 KiB)\n' "supervisor RSS, idle" "$kb_rss" "$pd_rss" "$(ratio "$kb_rss" "$pd_rss")"
printf '  %-28s krunbox %6s KiB  conmon %6s KiB\n' "supervisor private (anon)" "$kb_anon" "$pd_anon"
printf '  %-28s krunbox %6s KiB  conmon %6s KiB\n' "supervisor PSS" "$kb_pss" "$pd_pss"
printf '  %-28s krunbox %6s KiB  conmon %6s KiB  ratio %sx (goal <= 1024 KiB and <= 0.5x)\n' \
  "monitor RSS, health+restart+2 ports" "$svc_rss" "$pd_rss" "$(ratio "$svc_rss" "$pd_rss")"
printf '  %-28s krunbox %6s KiB\n' "  of it private (anon)" "$svc_anon"
