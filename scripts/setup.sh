#!/usr/bin/env bash
# Sets up a Debian 12 host for krunbox: packages, libkrunfw, libkrun (built from crates.io
# with our guest-init injected), the build, the `krunbox` launcher and the demo image.
# Idempotent: every step checks first and says what it does. Run as root.
#
#   scripts/setup.sh            everything
#   scripts/setup.sh --no-build host parts only (packages, libkrunfw, libkrun)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIBKRUN_VERSION=$(sed -n 's/^libkrun = "=\(.*\)"$/\1/p' "$ROOT/scripts/libkrun-crate/Cargo.toml")  # pinned there
PREFIX=${KRUNBOX_PREFIX:-/usr/local}
CACHE=${KRUNBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krunbox}
BUILD=1
[[ ${1:-} == --no-build ]] && BUILD=0

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }
[[ -n $LIBKRUN_VERSION ]] || die "scripts/libkrun-crate/Cargo.toml pins no libkrun version"

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and writes $PREFIX)"
mkdir -p "$CACHE"

PACKAGES=(bubblewrap e2fsprogs iproute2 nftables busybox-static musl-tools skopeo umoci
  docker-registry attr util-linux procps file make gcc binutils curl ca-certificates xz-utils unzip bc
  maven openjdk-17-jdk-headless pkg-config libclang-dev clang libclang-rt-14-dev qemu-system-x86 kmod cpio tmux
  buildah podman runc conmon)

step "Debian packages"
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  note "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  note "all ${#PACKAGES[@]} present"
fi

step "libkrunfw.so.5 (the guest kernel) from Debian unstable's libkrunfw5"
if ldconfig -p | grep -q 'libkrunfw.so.5 '; then
  note "present: $(ldconfig -p | awk '/libkrunfw.so.5 /{print $NF; exit}')"
else
  # A private source list: unstable is never added to the system's sources.
  apt_dir="$CACHE/apt-unstable"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/debs"
  # the Debian mirror this host's own apt configuration uses, for the release's main component
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  mirror=$(apt-cache policy 2>/dev/null | awk -v rel="$codename/main" '$3 == rel && $2 ~ /^(https?|file):/ {print $2; exit}')
  [[ -n $mirror ]] || die "no Debian mirror for $codename/main in this host's apt sources: add one, then re-run"
  echo "deb $mirror unstable main" > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$apt_dir/lists" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
  note "fetching the unstable package list into $apt_dir"
  apt-get "${apt_opts[@]}" update -qq
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download libkrunfw5 >/dev/null)
  deb=$(ls -t "$apt_dir"/debs/libkrunfw5_*.deb | head -1)
  note "installing $(basename "$deb")"
  dpkg -i "$deb" >/dev/null
  ldconfig
fi

step "guest-init (static ELF)"
make -s -C "$ROOT/guest-init" OUT="$CACHE/guest-init" BUILD="$CACHE/guest-init-build"
init_hash=$(sha256sum "$CACHE/guest-init/init" | cut -c1-16)
init_copy="$CACHE/guest-init/init-$init_hash"
cp -f "$CACHE/guest-init/init" "$init_copy"
note "$init_copy"

step "libkrun $LIBKRUN_VERSION from crates.io (features net, blk; guest-init injected)"
stamp="$PREFIX/lib/krunbox-libkrun.stamp"
want="libkrun=$LIBKRUN_VERSION init=$init_hash"
if [[ -f $stamp && $(cat "$stamp") == "$want" && -e $PREFIX/lib/libkrun.so.1 ]]; then
  note "present: $PREFIX/lib/libkrun.so.1 ($want)"
else
  command -v cargo >/dev/null || die "cargo is missing: install Rust (rustup, or Debian's cargo package), then re-run"
  src="$CACHE/libkrun-$LIBKRUN_VERSION"
  if [[ ! -f $src/Cargo.toml ]]; then
    # cargo fetches the crate from its own configured registry and checks it against the index
    # the crate pinned by scripts/libkrun-crate/Cargo.toml; its build below is --locked to the crate's own Cargo.lock
    probe="$CACHE/libkrun-fetch"
    rm -rf "$probe" && mkdir -p "$probe" && cp -r "$ROOT/scripts/libkrun-crate/." "$probe/"
    note "fetching the libkrun $LIBKRUN_VERSION crate with cargo"
    (cd "$probe" && cargo fetch -q) || die "cargo cannot fetch libkrun $LIBKRUN_VERSION: is its registry reachable?"
    fetched=$(cd "$probe" && cargo metadata -q --format-version 1 |
      grep -oE '"manifest_path":"[^"]*/libkrun-'"$LIBKRUN_VERSION"'/Cargo.toml"' | head -1 | cut -d'"' -f4)
    [[ -n $fetched && -f $fetched ]] || die "cargo fetched libkrun but its source is not where cargo metadata says"
    rm -rf "$src.part" && cp -r "$(dirname "$fetched")" "$src.part" && mv "$src.part" "$src"
  fi
  note "cargo build --release --locked (first build takes minutes; later ones reuse $src/target)"
  (cd "$src" && KRUN_INIT_BINARY_PATH="$init_copy" cargo build -q --release --locked --features net,blk) ||
    die "cargo build of libkrun failed (see above); a missing crates.io connection or libclang-dev is the usual cause"
  install -m 0755 "$src/target/release/libkrun.so" "$PREFIX/lib/libkrun.so.$LIBKRUN_VERSION"
  ln -sfn "libkrun.so.$LIBKRUN_VERSION" "$PREFIX/lib/libkrun.so.1"
  ln -sfn "libkrun.so.1" "$PREFIX/lib/libkrun.so"
  ldconfig
  echo "$want" > "$stamp"
  note "installed $PREFIX/lib/libkrun.so.$LIBKRUN_VERSION"
fi

((BUILD)) || exit 0

step "build (mvn install: the launcher's jars, and the artifacts in the local Maven repository)"
(cd "$ROOT" && mvn -B -q -ntp -DskipTests install)

step "install the krunbox launcher"
dest="$PREFIX/lib/krunbox"
rm -rf "$dest/lib.new" && mkdir -p "$dest/lib.new"
cp "$ROOT"/shell/target/lib/*.jar "$ROOT"/shell/target/krunbox-shell-*.jar "$dest/lib.new/"
rm -rf "$dest/lib" && mv "$dest/lib.new" "$dest/lib"
# SQLite's JNI library, extracted once: otherwise every start copies it into /tmp
mkdir -p "$dest/native"
unzip -o -q -j "$dest"/lib/sqlite-jdbc-*.jar 'org/sqlite/native/Linux/x86_64/libsqlitejdbc.so' -d "$dest/native"
install -m 0755 "$ROOT/scripts/krunbox-jvm" "$dest/krunbox-jvm"
# the build the launcher runs: a server of another build is replaced by the client
cat "$dest"/lib/*.jar "$dest/krunbox-jvm" | sha256sum | cut -c1-32 > "$dest/krunbox-jvm.id"
# the command on PATH: the native client of the warm server (guest-init/client)
install -m 0755 "$ROOT/guest-init/target/classes/io/krunbox/guestinit/krunbox-client" "$PREFIX/bin/krunbox.new"
mv -f "$PREFIX/bin/krunbox.new" "$PREFIX/bin/krunbox"
note "$PREFIX/bin/krunbox (client) -> $dest/krunbox-jvm (server, build $(cat "$dest/krunbox-jvm.id"))"
# a running server of an earlier build steps aside now (its boxes keep running): a client of this
# build is told apart by any server from this one on, but an older one may not read its call
new_id=$(cat "$dest/krunbox-jvm.id")
for pid in $(pgrep -f -- 'server run --socket .* --identity ' || true); do
  grep -qaF -- "$new_id" "/proc/$pid/cmdline" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
done

step "shell completion (bash, zsh), made from the commands"
mkdir -p /usr/share/bash-completion/completions /usr/share/zsh/vendor-completions
KRUNBOX_SERVER=0 "$PREFIX/bin/krunbox" completion bash > /usr/share/bash-completion/completions/krunbox
KRUNBOX_SERVER=0 "$PREFIX/bin/krunbox" completion zsh > /usr/share/zsh/vendor-completions/_krunbox
note "/usr/share/bash-completion/completions/krunbox, /usr/share/zsh/vendor-completions/_krunbox"

step "demo image (busybox in an OCI layout)"
"$ROOT/scripts/build-demo-image.sh" "$dest/images/demo"

step "class-data sharing archive (faster starts)"
"$ROOT/scripts/build-cds.sh" "$dest"

step "done: try  krunbox run --rm demo echo hello   and   krunbox doctor"
