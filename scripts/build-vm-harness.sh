#!/usr/bin/env bash
# Builds the test harness for krunbox's VM path: Debian's cloud kernel (unpacked from its
# .deb, not installed) and a small busybox initramfs that loads the virtio modules, mounts
# the virtio-fs share tagged "rootfs" and switch_roots into /.krunbox/init, as libkrun's
# kernel does. Used by the tests only; QEMU runs it in software emulation (TCG).
#   scripts/build-vm-harness.sh [CACHE_DIR]     prints the directory holding vmlinuz and initrd.gz
set -euo pipefail
cache=${1:-${KRUNBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/krunbox}/vm-harness}
mkdir -p "$cache"
for tool in dpkg-deb cpio gzip /bin/busybox; do
  command -v "$tool" >/dev/null || { echo "build-vm-harness.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done

pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[[ -n $pkg ]] || { echo "build-vm-harness.sh: apt does not know linux-image-cloud-amd64 (apt-get update?)" >&2; exit 1; }
out="$cache/$pkg-control"   # -control: this initramfs mounts the control share
if [[ -f $out/vmlinuz && -f $out/initrd.gz ]]; then
  echo "$out"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >/dev/null)
dpkg-deb -x "$work"/"$pkg"_*.deb "$work/kernel"
kver=${pkg#linux-image-}
mods="$work/kernel/lib/modules/$kver/kernel"

init="$work/initramfs"
mkdir -p "$init"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$init/bin/busybox"
for applet in sh mount umount insmod switch_root mkdir echo cat sleep poweroff; do
  ln -s busybox "$init/bin/$applet"
done
# load order matters: each module after the ones it needs
order=(drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev
  drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci fs/fuse/fuse fs/fuse/virtiofs
  net/core/failover drivers/net/net_failover drivers/net/virtio_net)
for m in "${order[@]}"; do
  cp "$mods/$m.ko" "$init/modules/"
  echo "$(basename "$m").ko" >> "$init/modules/order"
done
cat > "$init/init" <<'INIT'
#!/bin/sh
# The harness's first stage: what libkrun's kernel does before it runs the box's init.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules/order); do insmod /modules/$m 2>/dev/null; done
if ! mount -t virtiofs rootfs /newroot; then
  echo "harness: cannot mount the virtio-fs root" > /dev/console
  poweroff -f
fi
# the box's control directory (config, init; its run/ writable), as guest-init mounts it under libkrun
mount -t virtiofs -o ro kbctl /newroot/.krunbox && mount -t virtiofs kbrun /newroot/.krunbox/run
umount /proc /sys
umount /dev
exec switch_root /newroot /.krunbox/init
INIT
chmod 0755 "$init/init"

mkdir -p "$out.tmp"
cp "$work/kernel/boot/vmlinuz-$kver" "$out.tmp/vmlinuz"
(cd "$init" && find . | cpio -o -H newc --quiet | gzip -9) > "$out.tmp/initrd.gz"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
