#!/usr/bin/env bash
# make fresh-check: run the README's two commands, 'make run' then 'make check', as root on a
# fresh Debian 12 system. The system is a minbase bookworm root with git, make and
# ca-certificates, built by mmdebstrap under build/ at every run, with this machine's /proc,
# /sys (bpffs, tracefs, cgroup2) and /dev bound in and a clone of the committed HEAD in /root.
# The root's mounts live in a private mount namespace; the root, its mounts and its processes
# are removed on every exit. Downloaded .debs are kept in build/fresh-cache/: apt checks each
# against the fresh package lists, so the cache saves downloads and changes nothing installed.
# Exit: 0 both passed; 1 one failed (it says which); 2 the root could not be made.
set -euo pipefail

self=$(realpath "$0")
cd "$(dirname "$self")/.."
top=$PWD
suite=bookworm
cache=$top/build/fresh-cache
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "fresh-check: $*" >&2; exit 2; }

# Mount FSTYPE at DIR unless it is mounted there; left mounted, as bpftool and perf do.
host_mount() {
	findmnt -n -t "$1" --mountpoint "$2" >/dev/null && return 0
	mkdir -p "$2"
	mount -t "$1" "$1" "$2" || die "cannot mount $1 at $2"
	echo "fresh-check: mounted $1 at $2 on this machine (left mounted)"
}

# On this machine, before entering the private mount namespace.
if [ -z "${FRESH_CHECK_NS:-}" ]; then
	[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot, mounts): run it as root"
	git rev-parse --verify -q HEAD >/dev/null || die "'$top' is not a git checkout"
	host_mount bpf /sys/fs/bpf
	host_mount tracefs /sys/kernel/tracing
	# cgroup2 anywhere will do: hybrid setups have it at /sys/fs/cgroup/unified.
	if [ -z "$(findmnt -n -t cgroup2)" ]; then
		if mountpoint -q /sys/fs/cgroup; then
			host_mount cgroup2 /sys/fs/cgroup/unified
		else
			host_mount cgroup2 /sys/fs/cgroup
		fi
	fi
	if ! command -v mmdebstrap >/dev/null; then
		echo "fresh-check: installing mmdebstrap"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			mmdebstrap >/dev/null
	fi
	FRESH_CHECK_NS=1 exec unshare --mount --propagation private bash "$self" "$@"
fi

mkdir -p "$cache"
exec 9>build/fresh-check.lock
flock -n 9 || die "another fresh-check is running (build/fresh-check.lock)"
# Roots of a killed run: their mounts died with its namespace, so they are plain directories.
for old in build/fresh-root.*; do
	[ -d "$old" ] && echo "fresh-check: removing $old, left by a killed run" &&
		rm -rf --one-file-system "$old"
done

root=$(mktemp -d "$top/build/fresh-root.XXXXXX")
chmod 755 "$root"
head=$(git rev-parse HEAD)
pg=
times=()
t_all=$SECONDS

# Pids of the processes this run started: those whose root directory is the fresh root, and
# those of the session of the running phase.
our_pids() {
	local p s
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
			echo "${p#/proc/}"
		elif [ -n "$pg" ] && s=$(cat "$p/stat" 2>/dev/null); then
			# shellcheck disable=SC2086
			set -- ${s##*) }	# state ppid pgrp session ...
			[ "${4:-}" = "$pg" ] && echo "${p#/proc/}"
		fi
	done
	return 0
}

cleanup() {
	local rc=$? t=$SECONDS i m pids
	trap '' INT TERM HUP
	for i in $(seq 20); do
		pids=$(our_pids)
		[ -z "$pids" ] && break
		[ "$i" -eq 1 ] && echo "fresh-check: stopping $(wc -w <<<"$pids") processes"
		# shellcheck disable=SC2086
		kill -"$([ "$i" -le 10 ] && echo TERM || echo KILL)" $pids 2>/dev/null
		sleep 0.5
	done
	while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" || echo "fresh-check: cannot unmount $m" >&2
	done < <(findmnt -rn -o TARGET | grep -F "$root/" | sort -r)
	if findmnt -rn -o TARGET | grep -qF "$root"; then
		echo "fresh-check: mounts remain under $root: not removing it" >&2
		rc=2
	else
		rm -rf --one-file-system "$root"
	fi
	times+=("cleanup $((SECONDS - t)) s")
	echo "fresh-check: times: ${times[*]}; total $((SECONDS - t_all)) s"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "fresh-check: interrupted" >&2; exit 130' INT
trap 'echo "fresh-check: terminated" >&2; exit 143' TERM
trap 'echo "fresh-check: hung up" >&2; exit 129' HUP

# Run a command in its own session, so that the cleanup can stop all of it; signals to this
# script stop the wait. Records the phase's time.
phase() {
	local name=$1 t=$SECONDS rc=0
	shift
	echo "fresh-check: $name ..."
	setsid -w "$@" &
	pg=$!
	wait "$pg" || rc=$?
	pg=
	times+=("$name $((SECONDS - t)) s")
	echo "fresh-check: $name: $([ $rc -eq 0 ] && echo ok || echo "failed (exit $rc)")" \
		"in $((SECONDS - t)) s"
	return $rc
}

# A shell command in the root, as a root login on a fresh machine would run it: nothing of this
# environment (not MAKEFLAGS).
in_root=(chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash
	 TERM="${TERM:-dumb}" PATH="$path" /bin/bash -c)

echo "fresh-check: commit $(git rev-parse --short=12 HEAD) (uncommitted changes are not included)"
# shellcheck disable=SC2016 # "$1" is for mmdebstrap's hook shell
phase "root" mmdebstrap --quiet --variant=minbase --include=git,make,ca-certificates \
	--skip=essential/unlink \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
	--setup-hook="sync-in $cache /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives $cache" \
	"$suite" "$root" || die "mmdebstrap could not make a $suite root in $root"

t=$SECONDS
echo "fresh-check: setup ..."
for d in proc sys dev; do
	mount --rbind "/$d" "$root/$d"
done
mount --bind "$cache" "$root/var/cache/apt/archives"
git clone -q --no-checkout "$top" "$root/root/bpfgauge"
git -C "$root/root/bpfgauge" checkout -q --detach "$head"
times+=("setup $((SECONDS - t)) s")

failed=()
phase "make run" "${in_root[@]}" "cd /root/bpfgauge && make run" || failed+=("make run")
phase "make check" "${in_root[@]}" "cd /root/bpfgauge && make check" || failed+=("make check")
"${in_root[@]}" "apt-get -qq autoclean" || true

if [ ${#failed[@]} -gt 0 ]; then
	echo "fresh-check: failed on a fresh $suite root: ${failed[*]}" >&2
	exit 1
fi
echo "fresh-check: 'make run' and 'make check' pass on a fresh $suite root"
