# Sourced by the benchmarks that compare with Podman: Debian's podman with runc (crun refuses
# this host's hybrid cgroups) and lower default ulimits, configured in $work/containers.conf.
#   needs: $work (the benchmark's scratch directory); PODMAN_EXTRA: one more package (and command) to install
extra=${PODMAN_EXTRA:-}
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || { [[ -n $extra ]] && ! command -v "$extra" >/dev/null; }; then
  echo "installing podman (Debian) $extra for the comparison" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc conmon $extra >/dev/null
fi
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$work/containers.conf
