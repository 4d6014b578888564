#!/usr/bin/env bash
# Fetch a Debian kernel package and extract it for 'bpfgauge vmtest':
#   ci/fetch-kernel.sh [SUITE:]PACKAGE DIR  ->  DIR/PACKAGE/{boot/vmlinuz-*,boot/config-*,lib/modules/*}
# PACKAGE comes from this machine's apt sources; SUITE:PACKAGE (trixie:linux-image-cloud-amd64,
# sid:..., trixie-backports:...) from that Debian suite, through a private apt configuration
# under DIR/.apt-SUITE (its own sources list, lists and cache; the machine's apt sources are
# never changed; apt checks what it fetches against the archive's signed index). A metapackage
# (linux-image-cloud-amd64) stands for the image package it depends on today.
# Packages of 7.x split a kernel: linux-image-R is a small package that depends on
# linux-binary-R (usr/lib/modules/R/vmlinuz), linux-modules-R and linux-base-R (its config):
# those are fetched too and laid out as the old single package was.
# Prints the extracted directory; does nothing but print it when it is already there.
# DIR/NAME/package holds the package's name and version (dpkg-deb -f).
set -euo pipefail

spec=${1:?usage: ci/fetch-kernel.sh [SUITE:]PACKAGE DIR}
dest=${2:?usage: ci/fetch-kernel.sh [SUITE:]PACKAGE DIR}
die() { echo "fetch-kernel: $*" >&2; exit 2; }

suite=
pkg=$spec
case "$spec" in *:*) suite=${spec%%:*} pkg=${spec#*:} ;; esac
apt=()
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)	# the downloads run in a directory of their own
if [ -n "$suite" ]; then
	case "$suite" in *[!a-z0-9-]*) die "'$suite' is not a Debian suite name" ;; esac
	ad=$dest/.apt-$suite
	# A stable release's kernels are updated in its security suite.
	lines=("deb http://deb.debian.org/debian $suite main")
	case "$suite" in sid|unstable|experimental|*-backports) ;;
	*) lines+=("deb http://deb.debian.org/debian-security $suite-security main") ;; esac
	# shellcheck source=ci/private-apt.sh
	. "$(dirname "$0")/private-apt.sh"
	private_apt "$ad" "${lines[@]}"
	# Lists older than a day are read again; offline, the old ones serve (none: an error).
	if [ -z "$(find "$ad/updated" -mtime -1 2>/dev/null)" ]; then
		if private_apt_update "$ad" "$ad/update.log"; then
			touch "$ad/updated"
		elif [ -f "$ad/updated" ]; then
			echo "fetch-kernel: cannot read Debian $suite's package lists again;" \
			     "using those of $(date -r "$ad/updated" +%F)" >&2
		else
			why=$(tail -1 "$ad/update.log")
			rm -rf "$ad"
			die "cannot read Debian $suite's package lists: $why"
		fi
	fi
elif ! apt-cache show "$pkg" >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -qq >&2
	fi
fi
apt-cache "${apt[@]}" show "$pkg" >/dev/null 2>&1 ||
	die "no package '$pkg' in the package lists of ${suite:-this machine}"

depends() { # PACKAGE PREFIX: the first dependency of PACKAGE named PREFIX-[0-9]...
	apt-cache "${apt[@]}" depends "$1" 2>/dev/null |
		sed -n "s/^ *Depends: \($2-[0-9][^ ]*\)$/\1/p" | head -1
}
# Follow metapackages down to the package of one kernel: linux-image-6.1.0-NN-..., 7.2.13+...
for _ in 1 2 3; do
	dep=$(depends "$pkg" linux-image)
	case "$pkg" in linux-image-[0-9]*) [ -z "$dep" ] && break ;; esac
	[ -n "$dep" ] || break
	pkg=$dep
done

out="$dest/$pkg"
if [ -f "$out/package" ]; then
	echo "$out"
	exit 0
fi
tmp=$(mktemp -d "$dest/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fetch() { # PACKAGE...: downloaded into $tmp and extracted into $tmp/root
	echo "fetch-kernel: downloading $*${suite:+ from $suite}" >&2
	(cd "$tmp" && apt-get -q "${apt[@]}" download "$@" >"$tmp/download.log" 2>&1) ||
		die "'apt-get download $*' failed: $(tail -1 "$tmp/download.log")"
	for p in "$@"; do
		dpkg-deb -x "$tmp/${p}_"*.deb "$tmp/root"
	done
}
fetch "$pkg"
deb=$(ls "$tmp/${pkg}_"*.deb)
if ! ls "$tmp"/root/boot/vmlinuz-* >/dev/null 2>&1; then
	parts=()
	for part in linux-binary linux-modules linux-base; do
		p=$(depends "$pkg" "$part")
		[ -n "$p" ] && parts+=("$p")
	done
	[ ${#parts[@]} -gt 0 ] || die "'$pkg' has no boot/vmlinuz-* and depends on no linux-binary-*"
	fetch "${parts[@]}"
fi
# The layout vmtest reads: boot/vmlinuz-R and boot/config-R beside lib/modules/R. Packages of
# merged-/usr releases (trixie on) ship usr/lib/modules/R, holding vmlinuz and config in 7.x.
mkdir -p "$tmp/root/boot" "$tmp/root/lib/modules"
for m in "$tmp"/root/usr/lib/modules/*/; do
	[ -d "$m" ] || continue
	r=$(basename "$m")
	if [ -f "$m/vmlinuz" ]; then mv "$m/vmlinuz" "$tmp/root/boot/vmlinuz-$r"; fi
	if [ -f "$m/config" ]; then mv "$m/config" "$tmp/root/boot/config-$r"; fi
	mkdir -p "$tmp/root/lib/modules/$r"
	cp -a "$m/." "$tmp/root/lib/modules/$r/"
done
ls "$tmp"/root/boot/vmlinuz-* >/dev/null 2>&1 || die "'$pkg' holds no vmlinuz: not a kernel image"
# Only what a guest needs: the image, its config and modules (not System.map, not docs).
rm -rf "$tmp/root/usr" "$tmp"/root/boot/System.map-* "$tmp"/root/lib/modules/*/System.map
dpkg-deb -f "$deb" Package Version > "$tmp/root/package"
rm -rf "$out"
mv "$tmp/root" "$out"
echo "$out"
