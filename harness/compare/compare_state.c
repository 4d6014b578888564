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
 *
 * Runs are compared only where they had the CPU to themselves: a run whose calls workload
 * (RESULT_CALLS_METRIC, its fastest repetition) never came within FULL_SPEED of the fastest
 * run of all the results compared on the same kernel (both sides and the calibrations) spent
 * all its time on a shared core (another VM on its other hardware thread), which slows
 * system calls as much as calls; it is left out of every metric. When that leaves a side no
 * run, every performance verdict is inconclusive, saying so.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "result/result.h"
#include "result/result_json.h"
#include "result/result_merge.h"
#include "result/run_values.h"

#define FULL_SPEED 0.95

static struct cmp_row *reference_row(struct comparison *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!c->rows[i].is_check && c->rows[i].measured &&
		    !strcmp(c->rows[i].name, RESULT_REFERENCE_METRIC))
			return &c->rows[i];
	return NULL;
}

static bool same_kernel_docs(const json_t *a, const json_t *b)
{
	const json_t *ka = json_object_get(json_object_get(a, "environment"), "kernel");
	const json_t *kb = json_object_get(json_object_get(b, "environment"), "kernel");

	return json_equal(json_object_get(ka, "release"), json_object_get(kb, "release")) &&
	       json_equal(json_object_get(ka, "cmdline"), json_object_get(kb, "cmdline"));
}

static bool same_kernel(const struct comparison *c)
{
	return same_kernel_docs(c->base->doc, c->cur->doc);
}

/* The calls workload's run values (its fastest repetition in each run) into v; 0 when the
 * result has none or its runs cannot be told apart. */
static size_t calls_runs(const json_t *doc, double *v)
{
	bool took;
	size_t k = metric_run_values(result_metric(doc, RESULT_CALLS_METRIC), true, v,
				     RESULT_MAX_RUNS, &took);

	return took && k == result_runs(doc) ? k : 0;
}

static void mask_make(const double *v, size_t k, double best, struct run_mask *m)
{
	memset(m, 0, sizeof(*m));
	if (!k || !(best > 0))
		return;
	m->runs = k;
	for (size_t r = 0; r < k; r++) {
		m->keep[r] = v[r] >= FULL_SPEED * best;
		m->kept += m->keep[r];
		m->reached = fmax(m->reached, v[r] / best);
	}
}

/* The masks of base, new and each calibration: each measured against the fastest run of all
 * the results on its own kernel. */
static void masks_from(struct comparison *c, const json_t **docs, size_t n,
		       double (*v)[RESULT_MAX_RUNS], size_t *k, double *fastest)
{
	for (size_t i = 0; i < n; i++) {
		k[i] = calls_runs(docs[i], v[i]);
		for (size_t r = 0; r < k[i]; r++)
			fastest[i] = fmax(fastest[i], v[i][r]);
	}
	for (size_t i = 0; i < n; i++) {
		double best = 0;

		for (size_t j = 0; j < n; j++)
			if (same_kernel_docs(docs[i], docs[j]))
				best = fmax(best, fastest[j]);
		mask_make(v[i], k[i], best, i == 0 ? &c->base_mask : i == 1 ? &c->new_mask :
			  &c->cal_masks[i - 2]);
	}
	c->fastest = c->base_mask.runs && c->new_mask.runs;
	for (size_t i = 0; i < c->nr_cals; i++)
		c->fastest &= c->cal_masks[i].runs > 0;
}

int compare_run_masks(struct comparison *c)
{
	size_t n = 2 + c->nr_cals, *k = calloc(n, sizeof(*k));
	const json_t **docs = calloc(n, sizeof(*docs));
	double (*v)[RESULT_MAX_RUNS] = calloc(n, sizeof(*v)), *fastest = calloc(n, sizeof(double));
	int err = -ENOMEM;

	c->cal_masks = calloc(c->nr_cals ? c->nr_cals : 1, sizeof(*c->cal_masks));
	if (k && docs && v && fastest && c->cal_masks) {
		docs[0] = c->base->doc;
		docs[1] = c->cur->doc;
		for (size_t i = 0; i < c->nr_cals; i++)
			docs[2 + i] = c->cals[i]->doc;
		masks_from(c, docs, n, v, k, fastest);
		err = 0;
	}
	free(k);
	free(docs);
	free(v);
	free(fastest);
	return err;
}

size_t compare_left_out(const struct run_mask *m)
{
	return m->runs - m->kept;
}

size_t compare_cal_left_out(const struct comparison *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nr_cals; i++)
		n += compare_left_out(&c->cal_masks[i]);
	return n;
}

/* Every performance verdict inconclusive, saying why (state); the machine's rows keep theirs. */
static void not_comparable(struct comparison *c, const char *state)
{
	c->machine_differs = true;
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_row *r = &c->rows[i];

		if (r->is_check || !r->measured || result_is_machine_metric(r->name))
			continue;
		r->verdict = VERDICT_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "not comparable: %s", state);
	}
}

/* No run of a side had the CPU to itself: say so, and how close its best run came. */
static bool shared_throughout(struct comparison *c)
{
	const struct run_mask *m = run_mask_none(&c->new_mask) ? &c->new_mask :
				   run_mask_none(&c->base_mask) ? &c->base_mask : NULL;
	char state[200];

	if (!m)
		return false;
	snprintf(state, sizeof(state), "the CPU was shared throughout the %s run%s (%s at x%.2f "
		 "of the fastest run at best)", m == &c->new_mask ? "new" : "base",
		 m->runs == 1 ? "" : "s", RESULT_CALLS_METRIC, m->reached);
	not_comparable(c, state);
	if (c->nr_warnings < COMPARE_MAX_WARNINGS)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "%s: another VM on the core's other hardware thread, or another load, "
			 "slows system calls as much; its performance verdicts are inconclusive. "
			 "Run again, or several runs (run --runs K)", state);
	return true;
}

static void machine_rows(struct comparison *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_row *r = &c->rows[i];

		if (r->is_check || !r->measured || strcmp(r->name, RESULT_CALLS_METRIC) ||
		    (r->verdict != VERDICT_REGRESSED && r->verdict != VERDICT_IMPROVED))
			continue;
		r->verdict = VERDICT_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "x%.3f: the machine's own speed (a shared CPU), "
			 "not the kernel's", r->mc.ratio);
	}
}

void compare_machine_state(struct comparison *c)
{
	struct cmp_row *ref = reference_row(c);
	char state[160];
	double x;

	machine_rows(c);
	if (ref)
		c->machine_speed = ref->mc.ratio;
	if (shared_throughout(c) || !ref ||
	    (ref->verdict != VERDICT_REGRESSED && ref->verdict != VERDICT_IMPROVED))
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
	snprintf(ref->why, sizeof(ref->why), "%s (the reference workload: the machine's own "
		 "speed, not the kernel's)", state);
	not_comparable(c, state);
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
	if (compare_left_out(&c->base_mask) + compare_left_out(&c->new_mask) +
	    compare_cal_left_out(c))
		strbuf_addf(sb, "; runs left out as the CPU was shared throughout them (%s below "
			    "%.0f%% of the fastest run): base %zu, new %zu, calibrations %zu",
			    RESULT_CALLS_METRIC, 100 * FULL_SPEED, compare_left_out(&c->base_mask),
			    compare_left_out(&c->new_mask), compare_cal_left_out(c));
}
