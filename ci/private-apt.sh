# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A private apt configuration for one Debian suite, sourced by ci/libbpf.sh and
# ci/fetch-kernel.sh: its own sources list, package lists and cache under a directory of the
# caller's; the machine's apt sources are never read nor changed, its keyring checks what is
# fetched against the archive's signed index.
#   private_apt DIR LINE...        writes DIR/sources.list (one LINE each: "deb[-src] URL SUITE
#                                  main"), makes DIR/lists and DIR/cache, and sets the array
#                                  'apt' of options for apt-get and apt-cache
#   private_apt_update DIR LOG     apt-get update into DIR/lists, its output in LOG; 1 when it
#                                  fails. A suite's Release file past its Valid-Until date (a
#                                  mirror that serves a snapshot: a CI's, or this machine's,
#                                  whose own apt configuration turns that check off) is used
#                                  all the same, saying so on stderr: its signature still counts.

private_apt() {
	local dir=$1
	shift
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	printf '%s\n' "$@" > "$dir/sources.list"
	apt=(-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
	     -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache"
	     -o Dir::State::status=/dev/null)
	# Lists read earlier from an expired Release file (below) are read the same way again.
	if [ -f "$dir/valid-until-off" ]; then
		apt+=(-o Acquire::Check-Valid-Until=false)
	fi
}

private_apt_update() {
	local dir=$1 log=$2
	if apt-get -q "${apt[@]}" update >"$log" 2>&1; then
		return 0
	fi
	grep -q 'is expired' "$log" || return 1
	echo "apt: $(grep -m1 -o 'Release file for [^ ]* is expired[^.]*' "$log");" \
	     "using it all the same (its signature is checked; a mirror snapshot?)" >&2
	apt+=(-o Acquire::Check-Valid-Until=false)
	apt-get -q "${apt[@]}" update >"$log" 2>&1 && touch "$dir/valid-until-off"
}
