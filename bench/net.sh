#!/usr/bin/env bash
# Network benchmark: TCP throughput and request latency
#   box -> box over a krunbox bridge, and loopback -> box through a published port,
# against the same traffic between two plain network namespaces on a bridge (the physical
# limit here), measured in the same run with the same busybox tools. Everything happens
# inside a network namespace this script makes; nothing reaches the host's network.
#   bench/net.sh [MB] [REQUESTS] [ROUNDS]   (root; krunbox on PATH or KRUNBOX=path)
# Each figure is the median of ROUNDS (default 3) measurements.
set -euo pipefail
mb=${1:-500}
reqs=${2:-200}
rounds=${3:-3}
kb=${KRUNBOX:-krunbox}
ns=kbbench-$$
export KRUNBOX_NETNS=$ns KRUNBOX_HOME=$(mktemp -d /tmp/kbbench-home.XXXXXX)
www=$(mktemp -d /dev/shm/kbbench-www.XXXXXX)

cleanup() {
  "$kb" rm -f bsrv bcli >/dev/null 2>&1 || true
  "$kb" network rm bench >/dev/null 2>&1 || true
  for p in 1 2; do ip netns pids "$ns-p$p" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$ns-p$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$KRUNBOX_HOME" "$www"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up

# the peer: two plain namespaces on a plain bridge, inside $ns
ip -n "$ns" link add pbr type bridge
ip -n "$ns" addr add 10.77.0.1/24 dev pbr
ip -n "$ns" link set pbr up
for p in 1 2; do
  ip netns add "$ns-p$p"
  ip -n "$ns" link add "pv$p" type veth peer name eth0 netns "$ns-p$p"
  ip -n "$ns" link set "pv$p" master pbr up
  ip -n "$ns-p$p" addr add "10.77.0.1$p/24" dev eth0
  ip -n "$ns-p$p" link set eth0 up
  ip -n "$ns-p$p" link set lo up
done
dd if=/dev/zero of="$www/big" bs=1M count="$mb" status=none
echo hi > "$www/small"
ip netns exec "$ns-p1" busybox httpd -f -p 80 -h "$www" &
sleep 0.5

# what both sides run: one big download, then REQS small requests one after another
# (busybox date has no nanoseconds: /proc/uptime gives centiseconds, enough for these totals)
load='cs() { cut -d" " -f1 /proc/uptime | tr -d .; }
      s=$(cs); wget -qO /dev/null http://$0/big; m=$(cs);
      i=0; while [ $i -lt $1 ]; do wget -qO /dev/null http://$0/small; i=$((i+1)); done; e=$(cs);
      echo $(( (m-s)*10 )) $(( (e-m)*10000/$1 ))'


"$kb" network create bench >/dev/null
"$kb" run -d --name bsrv --network bench -p 127.0.0.1:18088:80 demo sh -c \
  "mkdir -p /tmp/www && dd if=/dev/zero of=/tmp/www/big bs=1M count=$mb 2>/dev/null && echo hi > /tmp/www/small && touch /tmp/www/ready && exec httpd -f -p 80 -h /tmp/www" >/dev/null
"$kb" run -d --name bcli --network bench demo sleep 3600 >/dev/null
until "$kb" exec bsrv test -e /tmp/www/ready; do sleep 0.2; done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > /tmp/kbbench.$$
for r in $(seq "$rounds"); do
  echo "peer $(ip netns exec "$ns-p2" busybox sh -c "$load" 10.77.0.11 "$reqs")" >> /tmp/kbbench.$$
  echo "box $("$kb" exec bcli sh -c "$load" bsrv "$reqs")" >> /tmp/kbbench.$$
  echo "pub $(ip netns exec "$ns" busybox sh -c "$load" 127.0.0.1:18088 "$reqs")" >> /tmp/kbbench.$$
done
pick() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' /tmp/kbbench.$$ | median; }
peer_ms=$(pick peer 2); peer_us=$(pick peer 3)
box_ms=$(pick box 2); box_us=$(pick box 3)
pub_ms=$(pick pub 2); pub_us=$(pick pub 3)
rm -f /tmp/kbbench.$$
mbps() { awk -v mb="$mb" -v ms="$1" 'BEGIN { printf "%.0f", mb * 1000 / (ms > 0 ? ms : 1) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }'; }
echo "transfer of $mb MB and $reqs sequential requests (busybox wget/httpd), medians of $rounds, same run:"
printf '  %-34s %6s MB/s  %6s us/request\n' "plain netns -> netns (bridge)" "$(mbps "$peer_ms")" "$peer_us"
printf '  %-34s %6s MB/s  %6s us/request\n' "box -> box (krunbox bridge)" "$(mbps "$box_ms")" "$box_us"
printf '  %-34s %6s MB/s  %6s us/request\n' "loopback -> box (published port)" "$(mbps "$pub_ms")" "$pub_us"
echo "throughput ratio box->box / peer:       $(ratio "$peer_ms" "$box_ms")x (1.00 = the physical limit)"
echo "latency ratio box->box / peer:          $(ratio "$box_us" "$peer_us")x (1.00 = the physical limit)"
echo "throughput ratio published / peer:      $(ratio "$peer_ms" "$pub_ms")x"
echo "latency ratio published / peer:         $(ratio "$pub_us" "$peer_us")x"
