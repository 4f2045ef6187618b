#!/usr/bin/env bash
# Compose benchmark against podman-compose (Debian's, with Podman set up as in bench/lifecycle.sh):
# one compose file of 10 services (7 independent busybox boxes and a 3-level dependency chain),
# each with a health check, a restart policy and a published port, on the project's default
# bridge network, brought up detached (krunbox waits for healthy) and taken down, ROUNDS times
# each (podman-compose 1.0.3 takes the project name from the directory, not `name:`).
# krunbox runs sandbox boxes; both run inside a network namespace made for the run, so no
# bridge or rule touches the host's network (podman through nsenter: `ip netns exec` remounts
# /sys and hides the cgroup mounts runc needs). Prints medians and krunbox/podman-compose ratios.
#   bench/compose.sh [ROUNDS]      (root; krunbox on PATH or KRUNBOX=path; installs podman-compose if missing)
set -euo pipefail
rounds=${1:-5}
kb=${KRUNBOX:-krunbox}
demo=${KRUNBOX_DEMO_IMAGE:-/usr/local/lib/krunbox/images/demo}

work=$(mktemp -d /tmp/kbbench-compose.XXXXXX)
ns=kbbench-compose-$$
export KRUNBOX_HOME=$work/home KRUNBOX_NETNS=$ns
PODMAN_EXTRA=podman-compose source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
mkdir -p "$work/kb" "$work/pd"
cleanup() {
  (cd "$work/kb" && "$kb" compose down -v >/dev/null 2>&1) || true
  (cd "$work/pd" && nsenter --net=/run/netns/"$ns" podman-compose down >/dev/null 2>&1) || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
skopeo copy -q "oci:$demo:latest" containers-storage:localhost/kbdemo:latest 2>/dev/null \
  || skopeo copy -q "oci:$demo" containers-storage:localhost/kbdemo:latest

# the workload ends on SIGTERM in both (a bare sleep as a container's PID 1 would ignore it and
# make podman wait out its 10 s stop timeout)
cmd='["sh", "-c", "trap \x27exit 0\x27 TERM; sleep 3600 & wait"]'
service() { # NAME IMAGE PORT [DEPENDENCY]
  printf '  %s:\n    image: %s\n    command: %s\n    restart: always\n' "$1" "$2" "$cmd"
  printf '    ports: ["127.0.0.1:%s:80"]\n' "$3"
  printf '    healthcheck: {test: ["CMD", "true"], interval: 30s, start_period: 10s, start_interval: 200ms}\n'
  [[ -z ${4:-} ]] || printf '    depends_on: [%s]\n' "$4"
}
compose() { # IMAGE -> a compose file of 10 services
  echo "name: bench"
  echo "services:"
  for i in $(seq 1 7); do service "solo$i" "$1" $((18400 + i)); done
  service base "$1" 18411
  service middle "$1" 18412 base
  service top "$1" 18413 middle
}
compose demo > "$work/kb/compose.yaml"
compose localhost/kbdemo > "$work/pd/compose.yaml"

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

kb_up=() kb_down=() pd_up=() pd_down=()
for r in $(seq "$rounds"); do
  cd "$work/kb"
  s=$(now); "$kb" compose up -d --wait >/dev/null 2>&1; e=$(now); kb_up+=("$(ms "$s" "$e")")
  [[ $("$kb" ps -q | wc -l) == 10 ]] || { echo "krunbox: not 10 boxes running after up" >&2; exit 1; }
  if (( r == 1 )); then # the monitors of the ten services, all in
    mon_kib=0
    for b in $("$kb" ps -q); do
      p=$("$kb" inspect "$b" --format '{{.State.SupervisorPid}}')
      grep -q krunbox-monitor "/proc/$p/cmdline" || { echo "box $b is not watched by krunbox-monitor" >&2; exit 1; }
      mon_kib=$(( mon_kib + $(awk '/VmRSS/ { print $2 }' "/proc/$p/status") ))
    done
  fi
  s=$(now); "$kb" compose down >/dev/null 2>&1; e=$(now); kb_down+=("$(ms "$s" "$e")")
  cd "$work/pd"
  s=$(now); nsenter --net=/run/netns/"$ns" podman-compose up -d >/dev/null 2>&1; e=$(now); pd_up+=("$(ms "$s" "$e")")
  [[ $(podman ps -q --filter label=io.podman.compose.project=pd | wc -l) == 10 ]] ||
    { echo "podman-compose: not 10 containers running after up" >&2; podman ps -a --format '{{.Names}} {{.Status}}' >&2; exit 1; }
  s=$(now); nsenter --net=/run/netns/"$ns" podman-compose down >/dev/null 2>&1; e=$(now); pd_down+=("$(ms "$s" "$e")")
done

ku=$(printf '%s\n' "${kb_up[@]}" | median); kd=$(printf '%s\n' "${kb_down[@]}" | median)
pu=$(printf '%s\n' "${pd_up[@]}" | median); pdn=$(printf '%s\n' "${pd_down[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
printf '%-34s %10s %16s %8s\n' "10 services, median of $rounds" krunbox podman-compose ratio
printf '%-34s %8s ms %13s ms %8s\n' "compose up -d (krunbox: --wait)" "$ku" "$pu" "$(ratio "$ku" "$pu")"
printf '%-34s %8s ms %13s ms %8s\n' "compose down" "$kd" "$pdn" "$(ratio "$kd" "$pdn")"
printf '%-34s %8s KiB\n' "the ten monitors, resident in all" "$mon_kib"
echo "goals: up at most 0.20x, down at most 0.30x, the ten monitors at most 10240 KiB"
