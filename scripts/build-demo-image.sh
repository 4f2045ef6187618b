#!/usr/bin/env bash
# Builds krunbox's demo image: busybox-static with its applets in an OCI image layout
# (one gzip layer, ~1 MB), tagged "latest". Deterministic: the same busybox gives the same digest.
#   scripts/build-demo-image.sh DEST_DIR
set -euo pipefail

dest=${1:?usage: build-demo-image.sh DEST_DIR}
busybox=${BUSYBOX:-/bin/busybox}
[[ -x $busybox ]] || { echo "build-demo-image.sh: $busybox is missing: apt-get install busybox-static" >&2; exit 1; }
file -L "$busybox" | grep -q 'statically linked' ||
  { echo "build-demo-image.sh: $busybox is not static: apt-get install busybox-static" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,etc,root,tmp,proc,sys,dev,home}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
done
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
EOF
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
gzip -n -9 < "$work/layer.tar" > "$work/layer.tar.gz"

out="$dest.tmp.$$"
rm -rf "$out"
mkdir -p "$out/blobs/sha256"
put() { # file -> prints "digest size"
  local d s
  d=$(sha256sum "$1" | cut -d' ' -f1)
  s=$(stat -c %s "$1")
  cp "$1" "$out/blobs/sha256/$d"
  echo "$d $s"
}
read -r layer_digest layer_size < <(put "$work/layer.tar.gz")

printf '%s' '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/","Labels":{"org.opencontainers.image.title":"krunbox demo (busybox)"}},"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff_id"'"]},"history":[{"created_by":"krunbox scripts/build-demo-image.sh"}]}' > "$work/config.json"
read -r config_digest config_size < <(put "$work/config.json")

printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:'"$config_digest"'","size":'"$config_size"'},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:'"$layer_digest"'","size":'"$layer_size"'}]}' > "$work/manifest.json"
read -r manifest_digest manifest_size < <(put "$work/manifest.json")

printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
printf '%s' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'"$manifest_digest"'","size":'"$manifest_size"',"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}' > "$out/index.json"

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$out" "$dest"
echo "    demo image sha256:$manifest_digest ($(du -sh "$dest" | cut -f1)) -> $dest"
