#!/usr/bin/env bash
# Builds service images from Debian's own packages, for the compose end-to-end test, the
# security tests' real workloads and for trying krunbox with real servers: web (nginx), kv
# (redis-server), db (postgresql-15), jre (Debian's Java 17 runtime) and py (Python 3.11).
# Each is an OCI image layout: the demo image's busybox layer, then one layer holding the
# packages' files (unpacked with dpkg-deb, not installed) and exactly the shared libraries
# their programs need (from the packages' own library dependencies, else from this host).
#   scripts/build-service-images.sh [CACHE_DIR]   prints the directory holding web/, kv/ and db/
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${1:-${KRUNBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krunbox}/service-images}
for tool in dpkg-deb apt-get apt-cache readelf sha256sum gzip tar /bin/busybox; do
  command -v "$tool" >/dev/null || { echo "build-service-images.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

declare -A PACKAGES=(
  [web]="nginx nginx-common redis-tools postgresql-client-15"
  [kv]="redis-server redis-tools"
  [db]="postgresql-15 postgresql-client-15 tzdata"
  [jre]="openjdk-17-jre-headless"
  [py]="python3.11-minimal libpython3.11-minimal"
)
IMAGES=(web kv db jre py)
version() {
  apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/{print $2}'
}
key=$( { for image in "${IMAGES[@]}"; do for p in ${PACKAGES[$image]}; do echo "$p=$(version "$p")"; done; done
         sha256sum "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)
out="$cache/$key"
if [[ -f $out/done ]]; then
  echo "$out"
  exit 0
fi
for image in "${IMAGES[@]}"; do
  for p in ${PACKAGES[$image]}; do
    [[ -n $(version "$p") && $(version "$p") != "(none)" ]] ||
      { echo "build-service-images.sh: apt does not know $p (apt-get update?)" >&2; exit 1; }
  done
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debs="$cache/debs"
mkdir -p "$debs"
download() { # packages... -> into $debs (kept: a second build downloads nothing)
  local need=()
  for p in "$@"; do
    compgen -G "$debs/${p}_*.deb" >/dev/null || need+=("$p")
  done
  if ((${#need[@]})); then
    (cd "$debs" && apt-get -q -o APT::Sandbox::User=root download "${need[@]}" >/dev/null) ||
      { echo "build-service-images.sh: apt-get download ${need[*]} failed" >&2; exit 1; }
  fi
}
libdeps() { # packages... -> their direct lib* dependencies
  apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$@" |
    awk '/ Depends: lib/{print $2}' | grep -v '^libllvm' | sort -u
}

# The demo image's busybox layer is the base of every service image: shared, never copied twice.
demo="$ROOT/runtime/target/demo-image"
[[ -d $demo ]] || demo=/usr/local/lib/krunbox/images/demo
[[ -d $demo ]] || { echo "build-service-images.sh: the demo image is missing (scripts/setup.sh builds it)" >&2; exit 1; }
demo_manifest=$(grep -o '"digest":"sha256:[0-9a-f]*"' "$demo/index.json" | head -1 | cut -d: -f3 | tr -d '"')
base_digest=$(grep -o '"layers":\[{[^]]*' "$demo/blobs/sha256/$demo_manifest" | grep -o 'sha256:[0-9a-f]*' | cut -d: -f2)
base_size=$(stat -c %s "$demo/blobs/sha256/$base_digest")
base_diff=$(gzip -dc "$demo/blobs/sha256/$base_digest" | sha256sum | cut -d' ' -f1)

# copies the shared libraries every ELF file under $1 needs (and they need) into $1
close_libraries() {
  local root=$1 libs=$2 changed=1 f lib found d
  while ((changed)); do
    changed=0
    while IFS= read -r -d '' f; do
      [[ $(head -c4 "$f" 2>/dev/null | od -An -c | tr -d ' ') == 177ELF ]] || continue
      for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
        found=
        for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib; do
          [[ -e $root/$d/$lib ]] && { found=1; break; }
        done
        [[ -n $found ]] && continue
        # a program's own libraries beside it (the JVM's lib/, found through $ORIGIN)
        [[ -n $(find "$root" -name "$lib" -print -quit) ]] && continue
        for d in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu; do
          if [[ -e $libs/$d/$lib ]]; then found=$libs/$d/$lib; break; fi
        done
        if [[ -z $found ]]; then
          for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
            if [[ -e $d/$lib ]]; then found=$d/$lib; break; fi
          done
        fi
        [[ -n $found ]] || { echo "build-service-images.sh: $lib (needed by ${f#"$root"}) is in no package here" >&2; exit 1; }
        mkdir -p "$root/usr/lib/x86_64-linux-gnu"
        cp -L "$found" "$root/usr/lib/x86_64-linux-gnu/$lib"
        changed=1
      done
    done < <(find "$root" -type f \( -perm -u+x -o -name '*.so*' \) -print0)
  done
  mkdir -p "$root/lib64"
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
}

tree_web() { # $1 root
  local r=$1
  rm -rf "$r/etc/nginx/sites-enabled" "$r/etc/nginx/sites-available" "$r/etc/nginx/modules-enabled"
  mkdir -p "$r/var/lib/nginx" "$r/var/log/nginx" "$r/run" "$r/usr/share/nginx/html"
  cat > "$r/etc/nginx/nginx.conf" <<'EOF'
daemon off;
user nobody nogroup;
worker_processes 1;
error_log stderr;
pid /run/nginx.pid;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  server {
    listen 80;
    root /usr/share/nginx/html;
    location / { index index.html; }
  }
}
EOF
  echo "served by nginx" > "$r/usr/share/nginx/html/index.html"
  CONFIG='"Cmd":["/usr/sbin/nginx"],"ExposedPorts":{"80/tcp":{}}'
}
tree_kv() {
  local r=$1
  rm -rf "$r/etc/init.d" "$r/lib/systemd" "$r/usr/lib/systemd"
  CONFIG='"Cmd":["redis-server","--bind","0.0.0.0","--protected-mode","no","--save","","--appendonly","no"],"ExposedPorts":{"6379/tcp":{}}'
}
tree_db() {
  local r=$1
  rm -f "$r"/usr/lib/postgresql/15/lib/llvmjit*.so
  rm -rf "$r/usr/lib/postgresql/15/lib/bitcode"
  mkdir -p "$r/var/lib/postgresql/data" "$r/run/postgresql" "$r/usr/local/bin"
  cat >> "$r/etc/passwd" <<'EOF'
postgres:x:101:101:PostgreSQL:/var/lib/postgresql:/bin/sh
EOF
  cat >> "$r/etc/group" <<'EOF'
postgres:x:101:
EOF
  # initdb on first start (the data directory is a volume), then postgres in the foreground
  cat > "$r/usr/local/bin/db-start" <<'EOF'
#!/bin/sh
set -e
data=${PGDATA:-/var/lib/postgresql/data}
mkdir -p "$data" /run/postgresql
chown postgres:postgres "$data" /run/postgresql
chmod 0700 "$data"
if [ ! -s "$data/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?db-start: set POSTGRES_PASSWORD}"
  printf '%s\n' "$POSTGRES_PASSWORD" > /run/postgresql/pw
  chown postgres /run/postgresql/pw
  su -s /bin/sh postgres -c "initdb -D '$data' -U postgres --pwfile=/run/postgresql/pw -A scram-sha-256 --locale=C -E UTF8 >/dev/null"
  rm -f /run/postgresql/pw
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$data/pg_hba.conf"
fi
exec su -s /bin/sh postgres -c "exec postgres -D '$data' -c listen_addresses='*' -c dynamic_shared_memory_type=mmap -c unix_socket_directories=/run/postgresql"
EOF
  chmod 0755 "$r/usr/local/bin/db-start"
  CONFIG='"Cmd":["/usr/local/bin/db-start"],"ExposedPorts":{"5432/tcp":{}},"Volumes":{"/var/lib/postgresql/data":{}}'
}

tree_jre() {
  local r=$1
  rm -rf "$r/usr/lib/jvm/java-17-openjdk-amd64/legal" "$r/usr/lib/jvm/java-17-openjdk-amd64/man"
  mkdir -p "$r/usr/bin"
  ln -sfn ../lib/jvm/java-17-openjdk-amd64/bin/java "$r/usr/bin/java"
  CONFIG='"Cmd":["java","-version"]'
}
tree_py() {
  local r=$1
  ln -sfn python3.11 "$r/usr/bin/python3"
  CONFIG='"Cmd":["python3","-c","print(42)"]'
}

put() { # file -> "digest size", the blob placed in $layout
  local d s
  d=$(sha256sum "$1" | cut -d' ' -f1)
  s=$(stat -c %s "$1")
  cp "$1" "$layout/blobs/sha256/$d"
  echo "$d $s"
}

mkdir -p "$out.tmp"
for image in "${IMAGES[@]}"; do
  read -r -a pkgs <<<"${PACKAGES[$image]}"
  mapfile -t libpkgs < <(libdeps "${pkgs[@]}")
  download "${pkgs[@]}" "${libpkgs[@]}"
  root="$work/$image/root"
  libs="$work/$image/libs"
  mkdir -p "$root/etc" "$libs"
  for p in "${pkgs[@]}"; do dpkg-deb -x "$debs/${p}_"*.deb "$root"; done
  for p in "${libpkgs[@]}"; do dpkg-deb -x "$debs/${p}_"*.deb "$libs"; done
  # passwd and group come from the base layer; an image that adds a user writes the whole file
  gzip -dc "$demo/blobs/sha256/$base_digest" | tar -x -C "$root" ./etc/passwd ./etc/group
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/lintian" "$root/etc/init.d" "$root/etc/logrotate.d"
  CONFIG=
  "tree_$image" "$root"
  close_libraries "$root" "$libs"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/$image/layer.tar" .
  diff_id=$(sha256sum "$work/$image/layer.tar" | cut -d' ' -f1)
  gzip -n -6 < "$work/$image/layer.tar" > "$work/$image/layer.tar.gz"

  layout="$out.tmp/$image"
  mkdir -p "$layout/blobs/sha256"
  cp "$demo/blobs/sha256/$base_digest" "$layout/blobs/sha256/"
  read -r layer_digest layer_size < <(put "$work/$image/layer.tar.gz")
  env='"Env":["PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
  printf '%s' '{"architecture":"amd64","os":"linux","config":{'"$env,$CONFIG"',"WorkingDir":"/","Labels":{"org.opencontainers.image.title":"krunbox '"$image"' ('"${pkgs[0]}"' '"$(version "${pkgs[0]}")"')"}},"rootfs":{"type":"layers","diff_ids":["sha256:'"$base_diff"'","sha256:'"$diff_id"'"]},"history":[{"created_by":"krunbox scripts/build-demo-image.sh"},{"created_by":"krunbox scripts/build-service-images.sh: '"${pkgs[*]}"'"}]}' > "$work/$image/config.json"
  read -r config_digest config_size < <(put "$work/$image/config.json")
  printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$config_digest"'","size":'"$config_size"'},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$base_digest"'","size":'"$base_size"'},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]}' > "$work/$image/manifest.json"
  read -r manifest_digest manifest_size < <(put "$work/$image/manifest.json")
  printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$layout/oci-layout"
  printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$manifest_digest"'","size":'"$manifest_size"',"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' > "$layout/index.json"
  echo "    $image image sha256:$manifest_digest ($(du -sh "$layout" | cut -f1)): ${pkgs[*]}" >&2
done
touch "$out.tmp/done"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
