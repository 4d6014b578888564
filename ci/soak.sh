#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak: whether compare's verdicts hold across runs on this machine (docs/compare.md,
# "Measured here"). Records a calibration and a baseline of SUITE, then PAIRS pairs of new
# results of NEW_RUNS runs each, one plain and one with inject_extra_pct = 10 on
# attach-overhead's syscall workload (its throughput 1/1.1 of the plain one's), and INJECT3
# with 3%, GAP seconds apart; compares every new result with the baseline and the
# calibration, and prints:
#   A/A: how many plain runs exit 1, how many metric comparisons were called changed;
#   power: in how many injected results the syscall throughput was called regressed, and
#   whether the interval held the true ratio;
#   how many were inconclusive because the CPU was shared throughout the new result.
# With the defaults and the quick suite, about 45 minutes; the machine should do nothing else.
#
#   SUITE=quick PAIRS=20 INJECT3=4 CAL_RUNS=10 BASE_RUNS=5 NEW_RUNS=1 GAP=10
#   SOAK_DIR=build/soak-TIME
#
# The results stay in SOAK_DIR (a new directory) for 'bpfgauge compare' by hand.
set -euo pipefail

SUITE=${SUITE:-quick}
PAIRS=${PAIRS:-20}
INJECT3=${INJECT3:-4}
CAL_RUNS=${CAL_RUNS:-10}
BASE_RUNS=${BASE_RUNS:-5}
NEW_RUNS=${NEW_RUNS:-1}
GAP=${GAP:-10}
DIR=${SOAK_DIR:-build/soak-$(date -u +%Y%m%dT%H%M%SZ)}
B=$(pwd)/build/bpfgauge

die() { echo "soak: $*" >&2; exit 2; }
[ -x "$B" ] || die "no $B: run 'make' first"
[ -f "suites/$SUITE.suite" ] || die "no suite 'suites/$SUITE.suite'"
grep -q '^\[bench attach-overhead\]$' "suites/$SUITE.suite" ||
	die "suite '$SUITE' has no [bench attach-overhead] section to inject a cost into"
[ ! -e "$DIR" ] || die "'$DIR' exists: results are never overwritten"
mkdir -p "$DIR/i10" "$DIR/i3"
# The injected suites keep the suite's name, so that its calibration applies to them.
for p in 10 3; do
	sed "s/^\[bench attach-overhead\]$/[bench attach-overhead]\ninject_extra_pct = $p/" \
		"suites/$SUITE.suite" > "$DIR/i$p/$SUITE.suite"
done

step() { echo "soak: $(date -u +%T) $*" >&2; }
step "calibration: $CAL_RUNS runs of $SUITE"
"$B" run "suites/$SUITE.suite" --runs "$CAL_RUNS" --gap "$GAP" -o "$DIR/cal.json" >/dev/null
sleep "$GAP"
step "baseline: $BASE_RUNS runs"
"$B" run "suites/$SUITE.suite" --runs "$BASE_RUNS" --gap "$GAP" -o "$DIR/base.json" >/dev/null
n=0
single() {
	sleep "$GAP"
	n=$((n + 1))
	step "run $n: $1"
	if [ "$NEW_RUNS" -gt 1 ]; then
		set -- "$1" "$2" --runs "$NEW_RUNS" --gap "$GAP"
	fi
	"$B" run "${@:2}" -o "$(printf '%s/%03d-%s.json' "$DIR" "$n" "$1")" >/dev/null
}
for _ in $(seq "$PAIRS"); do
	single aa "suites/$SUITE.suite"
	single i10 "$DIR/i10/$SUITE.suite"
done
for _ in $(seq "$INJECT3"); do
	single i3 "$DIR/i3/$SUITE.suite"
done

step "comparing"
python3 - "$B" "$DIR" <<'EOF'
import glob, json, os, subprocess, sys

b, out = sys.argv[1], sys.argv[2]
metric = 'attach-overhead/syscall/untraced_ops_per_s'
for kind, truth in (('aa', None), ('i10', 1 / 1.1), ('i3', 1 / 1.03)):
    files = sorted(glob.glob(os.path.join(out, '[0-9][0-9][0-9]-%s.json' % kind)))
    exits = called = total = flagged = held = shared = 0
    ratios = []
    for f in files:
        p = subprocess.run([b, 'compare', '--json', '--calibration', os.path.join(out, 'cal.json'),
                            os.path.join(out, 'base.json'), f], capture_output=True, text=True)
        d = json.loads(p.stdout)
        rows = [m for m in d['metrics'] if m.get('presence') == 'both'
                and m.get('ratio') is not None and not m['name'].startswith('machine/')]
        total += len(rows)
        called += sum(m['verdict'] in ('regressed', 'improved') for m in rows)
        exits += p.returncode == 1
        shared += any('CPU was shared throughout the new' in w for w in d['warnings'])
        s = next(m for m in d['metrics'] if m['name'] == metric)
        flagged += s['verdict'] == 'regressed'
        if s.get('ratio') is not None:
            ratios.append(s['ratio'])
        held += bool(truth) and s.get('ci_lo') is not None and s['ci_lo'] <= truth <= s['ci_hi']
        print('%s exit %d, syscall %s x%.3f [%.3f, %.3f]' % (os.path.basename(f), p.returncode,
              s['verdict'], s['ratio'], s['ci_lo'], s['ci_hi']))
    if not files:
        continue
    if truth:
        print('%s: syscall called regressed in %d of %d (median ratio x%.3f); the interval '
              'held %.3f in %d; the CPU shared throughout the new run in %d' %
              (kind, flagged, len(files), sorted(ratios)[len(ratios) // 2] if ratios else 0,
               truth, held, shared))
    else:
        print('A/A: %d of %d exit 1; %d of %d metric comparisons called changed (%.1f%%); '
              'the CPU shared throughout the new run in %d' %
              (exits, len(files), called, total, 100.0 * called / max(total, 1), shared))
EOF
