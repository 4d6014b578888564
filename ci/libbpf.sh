#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The libbpf bpfgauge is built with: Debian's newest libbpf source package (of SUITE, sid by
# default), fetched through a private apt configuration under DIR (its own sources list,
# package lists and cache: the machine's apt sources are never read or changed; apt checks
# the files against the archive's signed index with the machine's keyring), built static:
#   ci/libbpf.sh DIR  ->  DIR/root/include/bpf/*.h, DIR/root/lib/libbpf.a,
#                         DIR/root/include/linux/bpf.h (the UAPI it was released with: newer
#                         attach types than Debian 12's linux-libc-dev, for programs and checks),
#                         DIR/source: "libbpf VERSION (Debian SUITE)"
# Does nothing when DIR/source is there (make's rule for the archive runs it once).
# Needs: apt-get, tar, xz, make, a C compiler, libelf-dev and zlib1g-dev (ci/deps.sh).
set -euo pipefail

dir=${1:?usage: ci/libbpf.sh DIR}
suite=${LIBBPF_SUITE:-sid}
[ -f "$dir/source" ] && [ -f "$dir/root/lib/libbpf.a" ] && [ -f "$dir/root/include/linux/bpf.h" ] &&
	exit 0
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
die() { echo "libbpf: $*" >&2; exit 2; }

rm -rf "$dir/apt" "$dir/src" "$dir/obj" "$dir/root" "$dir/source"
mkdir -p "$dir/src"
# shellcheck source=ci/private-apt.sh
. "$(dirname "$0")/private-apt.sh"
private_apt "$dir/apt" "deb-src http://deb.debian.org/debian $suite main"
log="$dir/apt/log"
echo "libbpf: fetching Debian $suite's libbpf source package (private apt lists in $dir/apt)" >&2
private_apt_update "$dir/apt" "$log" ||
	die "cannot read Debian $suite's package lists (network?): $(tail -1 "$log")"
(cd "$dir/src" && apt-get -q "${apt[@]}" source --download-only libbpf >>"$log" 2>&1) ||
	die "cannot fetch libbpf's source package from $suite: $(tail -1 "$log")"
dsc=$(ls "$dir"/src/libbpf_*.dsc)
version=$(sed -n 's/^Version: //p' "$dsc")
tar -C "$dir/src" -xf "$(ls "$dir"/src/libbpf_*.orig.tar.*)"
tar -C "$dir/src" -xf "$(ls "$dir"/src/libbpf_*.debian.tar.*)"
src=$(ls -d "$dir"/src/libbpf-*/)
# Debian's own patches, in order, when the package carries any. The tree sits inside this
# checkout: without a ceiling, git apply would resolve paths from its top and skip them all.
if [ -f "$dir/src/debian/patches/series" ]; then
	{ grep -v '^\s*\(#\|$\)' "$dir/src/debian/patches/series" || true; } | while read -r p _; do
		(cd "$src" && GIT_CEILING_DIRECTORIES="$dir/src" git apply -p1 \
			"$dir/src/debian/patches/$p") || die "Debian's patch '$p' does not apply"
	done
fi
echo "libbpf: building libbpf $version static" >&2
# Its own flags: not those of the make that called this (CFLAGS=... on its command line).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$src/src" -j"$(nproc)" BUILD_STATIC_ONLY=1 OBJDIR="$dir/obj" DESTDIR="$dir/root" \
	PREFIX=/ LIBDIR=/lib install install_uapi_headers >>"$log" 2>&1 || die "building libbpf $version failed: see $log"
rm -rf "$dir/src" "$dir/obj" "$dir/apt/cache"
echo "libbpf $version (Debian $suite)" > "$dir/source"
