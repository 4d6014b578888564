// SPDX-License-Identifier: GPL-2.0
/*
 * compare_machine_state(): like with like. Every run times the reference workload (the
 * machine's own speed, without the kernel: workloads/reference.c) after each repetition; when
 * it ran at another speed in NEW than in BASE, beyond its threshold and significantly, the
 * two runs saw the machine in different states (a VM's host busier, another load on the
 * machine) and their numbers cannot be told apart from that: every performance verdict is
 * then inconclusive, saying how much slower or faster the machine was. Only on one kernel
 * with one command line, though: another kernel may itself change how fast user space runs
 * (its Spectre mitigations, its timer), and a slowdown it causes must stay a regression, so
 * between kernels the change is a warning and the verdicts stand. The reference itself is
 * never a regression or an improvement: it measures the machine, not the kernel.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "result/result.h"

static struct cmp_row *reference_row(struct comparison *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!c->rows[i].is_check && c->rows[i].measured &&
		    !strcmp(c->rows[i].name, RESULT_REFERENCE_METRIC))
			return &c->rows[i];
	return NULL;
}

static bool same_kernel(const struct comparison *c)
{
	const json_t *b = json_object_get(json_object_get(c->base->doc, "environment"), "kernel");
	const json_t *n = json_object_get(json_object_get(c->cur->doc, "environment"), "kernel");

	return json_equal(json_object_get(b, "release"), json_object_get(n, "release")) &&
	       json_equal(json_object_get(b, "cmdline"), json_object_get(n, "cmdline"));
}

void compare_machine_state(struct comparison *c)
{
	struct cmp_row *ref = reference_row(c);
	char state[160];
	double x;

	if (!ref)
		return;
	c->machine_speed = ref->mc.ratio;
	if (ref->verdict != VERDICT_REGRESSED && ref->verdict != VERDICT_IMPROVED)
		return;
	x = c->machine_speed < 1 ? 1 / c->machine_speed : c->machine_speed;
	snprintf(state, sizeof(state), "this machine ran x%.2f %s during the new run than "
		 "during the base", x, c->machine_speed < 1 ? "slower" : "faster");
	ref->verdict = VERDICT_INCONCLUSIVE;
	if (!same_kernel(c)) {
		snprintf(ref->why, sizeof(ref->why), "%s (the reference workload), on another "
			 "kernel or command line", state);
		if (c->nr_warnings < COMPARE_MAX_WARNINGS)
			snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
				 "%s (%s x%.3f, CI %.3f-%.3f), on another kernel or command line: "
				 "the machine may have been in another state, or the new kernel "
				 "slows user space itself (mitigations, timer); the verdicts stand",
				 state, RESULT_REFERENCE_METRIC, ref->mc.ratio, ref->mc.ci_lo,
				 ref->mc.ci_hi);
		return;
	}
	c->machine_differs = true;
	snprintf(ref->why, sizeof(ref->why), "%s (the reference workload: the machine's own "
		 "speed, not the kernel's)", state);
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_row *r = &c->rows[i];

		if (r == ref || r->is_check || !r->measured)
			continue;
		r->verdict = VERDICT_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "not comparable: %s", state);
	}
	if (c->nr_warnings < COMPARE_MAX_WARNINGS)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "%s (%s x%.3f, CI %.3f-%.3f): its performance verdicts are inconclusive. "
			 "Compare runs made while the machine ran at the same speed, or against a "
			 "baseline of several runs that saw this state too", state,
			 RESULT_REFERENCE_METRIC, ref->mc.ratio, ref->mc.ci_lo, ref->mc.ci_hi);
}

void compare_noise_text(const struct comparison *c, struct strbuf *sb)
{
	size_t runs = 0, reps = 0;

	for (size_t i = 0; i < c->n; i++) {
		runs += c->rows[i].measured && c->rows[i].mc.by_runs;
		reps += c->rows[i].measured && !c->rows[i].mc.by_runs;
	}
	strbuf_addf(sb, "base %zu run%s, new %zu run%s: ", c->base_runs,
		    c->base_runs == 1 ? "" : "s", c->new_runs, c->new_runs == 1 ? "" : "s");
	if (!runs) {
		strbuf_adds(sb, "compared repetition by repetition, which does not see how much "
			    "two runs differ on this machine; for verdicts that hold across runs, "
			    "compare with a baseline of several runs (run --runs K) or calibrate "
			    "(bpfgauge calibrate SUITE)");
		return;
	}
	strbuf_addf(sb, "%zu metric%s compared run by run, with the run-to-run noise of ", runs,
		    runs == 1 ? "" : "s");
	if (c->base_runs > 1 || c->new_runs > 1)
		strbuf_addf(sb, "these runs%s", c->nr_cals ? " and of " : "");
	if (c->nr_cals)
		strbuf_addf(sb, "%zu calibration%s of this machine class (%zu runs: %s%s)",
			    c->nr_cals, c->nr_cals == 1 ? "" : "s", c->cal_runs, c->cals[0]->path,
			    c->nr_cals > 1 ? ", ..." : "");
	if (reps)
		strbuf_addf(sb, "; %zu by repetitions (no run-to-run noise known for them)", reps);
}
