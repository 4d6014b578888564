#!/usr/bin/env bash
# Install the Debian packages bpfgauge needs, only those that are missing.
# Does nothing (and touches no package list) when everything is present.
#   deps.sh          everything: build, BPF programs, tests, workloads, vmtest
#   deps.sh --unit   only what 'make check-unit' needs: no clang, bpftool or BPF tools
set -euo pipefail

# systemtap-sdt-dev: <sys/sdt.h>, for the uprobe target's USDT probe, which the unit tests link too.
# xz-utils and git: ci/libbpf.sh unpacks Debian's libbpf source package and applies its patches
# (git also names the commit in results); libelf-dev and zlib1g-dev build it.
unit_pkgs=(make gcc libc6-dev binutils libelf-dev zlib1g-dev libcriterion-dev
	   libjansson-dev libinih-dev libgsl-dev libsqlite3-dev cpio systemtap-sdt-dev xz-utils git)
pkgs=("${unit_pkgs[@]}" pkg-config llvm bpftool iproute2 bpftrace fio
      stress-ng libxml2-utils sqlite3 qemu-system-x86 busybox-static)
# Commands the build and the tests run that a minbase Debian lacks:
# binutils (nm, readelf), procps (pgrep), python3 (a history test rewrites a result), cpio and
# kmod (modinfo) read back what vmtest builds, zstd unpacks .ko.zst modules for vmtest guests.
pkgs+=(procps python3 kmod zstd)
target=deps
if [ "${1:-}" = --unit ]; then
	pkgs=("${unit_pkgs[@]}")
	target=deps-unit
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# clang 14 crashes on some builtins in BPF code: prefer clang-19, take any clang >= 15.
need_clang=0
if [ $target = deps ]; then
	need_clang=1
	for v in 19 18 17 16 15; do
		command -v "clang-$v" >/dev/null 2>&1 && { need_clang=0; break; }
	done
fi

[ ${#missing[@]} -eq 0 ] && [ $need_clang -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	[ $need_clang -eq 1 ] && missing+=(clang-19)
	echo "deps: missing ${missing[*]}: run 'make $target' as root" >&2
	exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
if [ $need_clang -eq 1 ]; then
	if apt-cache show clang-19 >/dev/null 2>&1; then
		missing+=(clang-19 llvm-19)
	else
		missing+=(clang)
	fi
fi
echo "deps: installing ${missing[*]}" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
