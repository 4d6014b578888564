#!/usr/bin/env bash
# Install the Debian packages bpfgauge needs, only those that are missing.
# Does nothing (and touches no package list) when everything is present.
set -euo pipefail

pkgs=(make gcc pkg-config llvm libbpf-dev bpftool libelf-dev zlib1g-dev
      libcriterion-dev libjansson-dev systemtap-sdt-dev iproute2 bpftrace fio stress-ng
      libinih-dev libxml2-utils libgsl-dev libsqlite3-dev sqlite3
      qemu-system-x86 busybox-static xz-utils)
# Commands the build and the tests run that a minbase Debian lacks: git (the commit in results),
# binutils (nm, readelf), procps (pgrep), python3 (a history test rewrites a result), cpio and
# kmod (modinfo) read back what vmtest builds, zstd unpacks .ko.zst modules for vmtest guests.
pkgs+=(git binutils procps python3 cpio kmod zstd)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# clang 14 crashes on some builtins in BPF code: prefer clang-19, take any clang >= 15.
need_clang=1
for v in 19 18 17 16 15; do
	command -v "clang-$v" >/dev/null 2>&1 && { need_clang=0; break; }
done

[ ${#missing[@]} -eq 0 ] && [ $need_clang -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	[ $need_clang -eq 1 ] && missing+=(clang-19)
	echo "deps: missing ${missing[*]}: run 'make deps' as root" >&2
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
