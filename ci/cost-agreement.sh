#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak-cost: whether 'bpfgauge cost' of one of the project's tools, run as any tracer is
# (a separate process in its own cgroup, started before each traced run), agrees with what
# the tool-overhead benchmark measures of the same tool loaded inside bpfgauge. PAIRS pairs of
# runs, the order of each pair swapped every other pair: a tool-overhead run of
# syscall-latency on the syscall workload, and a cost run of
#   bpfgauge trace syscall-latency -p <bpfgauge's pid> -d 600
# on the same workload, REPS repetitions of RUN_SECONDS each. Per pair it prints both medians with
# their p25..p75 and whether those intervals overlap, for the ns added per syscall and for the
# slowdown (tool-overhead's throughput loss p as a slowdown: p / (1 - p)); then the share of
# pairs that overlap and the median ratio cost / tool-overhead. About 30 s a pair here; the
# machine should do nothing else. Absolute ns move with the machine's speed from one run to
# the next (docs/compare.md), the slowdown less.
#
#   PAIRS=10 REPS=9 RUN_SECONDS=0.2 SOAK_DIR=build/soak-cost-TIME
set -euo pipefail

PAIRS=${PAIRS:-10}
REPS=${REPS:-9}
RUN_SECONDS=${RUN_SECONDS:-0.2}
DIR=${SOAK_DIR:-build/soak-cost-$(date -u +%Y%m%dT%H%M%SZ)}
B=$(pwd)/build/bpfgauge

die() { echo "soak-cost: $*" >&2; exit 2; }
[ -x "$B" ] || die "no $B: run 'make' first"
[ ! -e "$DIR" ] || die "'$DIR' exists: results are never overwritten"
mkdir -p "$DIR"
head="[suite]
reps = $REPS
seconds = $RUN_SECONDS
[checks]
run = none"
printf '%s\n[bench tool-overhead]\nvariants = syscall-latency\n' "$head" > "$DIR/tool.suite"
printf '%s\n[cost own]\ncommand = %s\nworkloads = syscall\n' "$head" \
	"sh -c 'exec $B trace syscall-latency -p \$PPID -d 600'" > "$DIR/cost.suite"

step() { echo "soak-cost: $(date -u +%T) $*" >&2; }
for i in $(seq "$PAIRS"); do
	order="tool cost"
	[ $((i % 2)) = 1 ] || order="cost tool"
	for kind in $order; do
		step "pair $i: $kind"
		"$B" run "$DIR/$kind.suite" -o "$(printf '%s/%03d-%s.json' "$DIR" "$i" "$kind")" \
			>/dev/null
	done
done

python3 - "$DIR" "$PAIRS" <<'EOF'
import json, os, statistics, sys

out, pairs = sys.argv[1], int(sys.argv[2])

def metrics(i, kind):
    with open(os.path.join(out, '%03d-%s.json' % (i, kind))) as f:
        return {m['name']: m for m in json.load(f)['metrics']}

def triple(m, f=lambda x: x):
    return [f(m[k]) for k in ('median', 'p25', 'p75')]

def overlap(a, b):
    return a[1] <= b[2] and b[1] <= a[2]

slow = lambda p: 100 * p / (100 - p)
agree = {'ns': 0, 'slowdown': 0}
ratios = {'ns': [], 'slowdown': []}
for i in range(1, pairs + 1):
    t, c = metrics(i, 'tool'), metrics(i, 'cost')
    got = {
        'ns': (triple(t['tool-overhead/syscall-latency/ns_per_event']),
               triple(c['cost/own/syscall/added_ns'])),
        'slowdown': (triple(t['tool-overhead/syscall-latency/pct_throughput'], slow),
                     triple(c['cost/own/syscall/slowdown_pct'])),
    }
    line = []
    for k, (a, b) in got.items():
        agree[k] += overlap(a, b)
        ratios[k].append(b[0] / a[0])
        line.append('%s tool %.1f [%.1f, %.1f] cost %.1f [%.1f, %.1f]%s' %
                    (k, *a, *b, '' if overlap(a, b) else ' (apart)'))
    print('pair %d: %s' % (i, '; '.join(line)))
for k in ('ns', 'slowdown'):
    print('%s: the intervals overlap in %d of %d pairs; cost / tool-overhead median x%.3f '
          '(pairs x%.3f to x%.3f)' % (k, agree[k], pairs, statistics.median(ratios[k]),
                                      min(ratios[k]), max(ratios[k])))
EOF
