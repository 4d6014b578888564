#!/usr/bin/env bash
# Run a suite on this host and in a QEMU guest on each kernel of ci/kernels.txt, then compare
# them all in one matrix (docs/vmtest.md):
#   ci/vmtest-kernels.sh [SUITE]     SUITE: default probe (the checks only)
# Results go to results/vmtest-TIME/ (OUT=DIR to choose): host.json and one per kernel.
# Exit: 0; 2 when a kernel cannot be fetched or booted (the others still run).
set -uo pipefail

cd "$(dirname "$0")/.."
suite=${1:-probe}
out=${OUT:-results/vmtest-$(date -u +%Y%m%dT%H%M%SZ)}
bin=build/bpfgauge
status=0

make -s "$bin" || exit 2
mkdir -p "$out"
echo "== host $(uname -r)" >&2
"$bin" run "$suite" -o "$out/host.json" >/dev/null || [ $? -eq 1 ] || status=2
results=("$out/host.json")

while read -r pkg; do
	case "$pkg" in ''|'#'*) continue ;; esac
	dir=$(bash ci/fetch-kernel.sh "$pkg" build/kernels) || { status=2; continue; }
	image=$(ls "$dir"/boot/vmlinuz-* | head -1)
	name=$(basename "$dir")
	echo "== $name" >&2
	if "$bin" vmtest --kernel "$image" --suite "$suite" -o "$out/$name.json" >/dev/null ||
	   [ $? -eq 1 ]; then
		results+=("$out/$name.json")
	else
		status=2
	fi
done < ci/kernels.txt

"$bin" compare --matrix "${results[@]}" || true
exit $status
