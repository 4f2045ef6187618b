#!/usr/bin/env bash
# Builds the class-data-sharing archive the krunbox launcher uses: the classes that typical
# commands load (run, run -d and the supervisor it starts, exec, ps, logs, rm, compose, pull,
# images, doctor), dumped once so each start maps them instead of loading them (a `run --rm`
# starts about 0.4 s faster). The training runs its boxes in a network namespace of its own.
#   scripts/build-cds.sh INSTALL_DIR     (INSTALL_DIR/lib holds the jars; writes INSTALL_DIR/krunbox.jsa)
set -euo pipefail
dest=${1:?usage: build-cds.sh INSTALL_DIR}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
reg_pid=
ns=kbcds-$$
cleanup() {
  [[ -n $reg_pid ]] && kill "$reg_pid" 2>/dev/null
  KRUNBOX_HOME="$work/home" KRUNBOX_NETNS=$ns KRUNBOX_INSTALL="$dest" "$dest/krunbox-jvm" rm -f cds-d cds-m >/dev/null 2>&1 || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
rm -f "$dest/krunbox.jsa"
n=0
train() {
  n=$((n + 1))
  # a supervisor started by the command lists its classes too
  KRUNBOX_HOME="$work/home" KRUNBOX_NETNS=$ns \
    KRUNBOX_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:off -XX:DumpLoadedClassList=$work/$n.lst" \
    KRUNBOX_SUPERVISOR_OPTS="-Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:off -XX:DumpLoadedClassList=$work/$n-supervisor.lst" \
    KRUNBOX_INSTALL="$dest" "$dest/krunbox-jvm" "$@" >/dev/null 2>&1 || true
}
train run --rm --isolation sandbox demo true
train run -d --isolation sandbox --name cds-d -p 127.0.0.1:18999:80 --health-cmd true --health-interval 200ms demo sleep 60
sleep 1
train exec cds-d true
train run -d --isolation sandbox --name cds-m demo sleep 60
train rm -f cds-m
train ps -a
train inspect cds-d
train logs cds-d
train stop -t 1 cds-d
train rm -f cds-d
printf 'services:\n  a:\n    image: demo\n    command: ["sleep", "60"]\n' > "$work/compose.yaml"
train compose -f "$work/compose.yaml" up -d --wait
train compose -f "$work/compose.yaml" ps
train compose -f "$work/compose.yaml" down -v
train run --dry-run --isolation vm demo true
train images
train doctor
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s}\n' \
  "$work/storage" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
reg_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.05; done
skopeo copy --quiet --dest-tls-verify=false "oci:$dest/images/demo:latest" "docker://127.0.0.1:$port/train:1"
train pull "127.0.0.1:$port/train:1"
cat "$work"/*.lst | grep -v '^#' | sort -u > "$work/classes.lst"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/classes.lst" -XX:SharedArchiveFile="$dest/krunbox.jsa" \
  -cp "$dest/lib/*" >/dev/null 2>&1
echo "    class-data archive: $(wc -l < "$work/classes.lst") classes -> $dest/krunbox.jsa"
