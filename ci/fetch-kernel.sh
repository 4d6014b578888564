#!/usr/bin/env bash
# Fetch a Debian kernel package and extract it for 'bpfgauge vmtest':
#   ci/fetch-kernel.sh PACKAGE DIR  ->  DIR/PACKAGE/{boot/vmlinuz-*,boot/config-*,lib/modules/*}
# A metapackage (linux-image-cloud-amd64) stands for the image package it depends on today.
# Prints the extracted directory; does nothing but print it when it is already there.
# DIR/NAME/package holds the package's name and version (dpkg-deb -f).
set -euo pipefail

pkg=${1:?usage: ci/fetch-kernel.sh PACKAGE DIR}
dest=${2:?usage: ci/fetch-kernel.sh PACKAGE DIR}

if ! apt-cache show "$pkg" >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >&2
	fi
	apt-cache show "$pkg" >/dev/null 2>&1 ||
		{ echo "fetch-kernel: no package '$pkg' in the package lists" >&2; exit 2; }
fi
# Follow metapackages down to the package that ships the image: linux-image-6.1.0-NN-...
for _ in 1 2 3; do
	dep=$(apt-cache depends "$pkg" 2>/dev/null |
	      sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1)
	case "$pkg" in linux-image-[0-9]*) [ -z "$dep" ] && break ;; esac
	[ -n "$dep" ] || break
	pkg=$dep
done

out="$dest/$pkg"
if [ -f "$out/package" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "fetch-kernel: downloading $pkg" >&2
(cd "$tmp" && apt-get download -q "$pkg" >&2 2>/dev/null) ||
	{ echo "fetch-kernel: 'apt-get download $pkg' failed" >&2; exit 2; }
deb=$(ls "$tmp"/*.deb)
dpkg-deb -x "$deb" "$tmp/root"
ls "$tmp"/root/boot/vmlinuz-* >/dev/null 2>&1 ||
	{ echo "fetch-kernel: '$pkg' has no boot/vmlinuz-*: not a kernel image" >&2; exit 2; }
# Only what a guest needs: the image, its config and modules (not System.map, not docs).
rm -rf "$tmp/root/usr" "$tmp"/root/boot/System.map-*
dpkg-deb -f "$deb" Package Version > "$tmp/root/package"
rm -rf "$out"
mv "$tmp/root" "$out"
echo "$out"
