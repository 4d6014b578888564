// SPDX-License-Identifier: GPL-2.0
/*
 * compare_metric_row(): a metric that both results have, compared: run by run, repetition by
 * repetition, or by the statuses when a side has no samples (docs/compare.md).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration.h"
#include "compare.h"
#include "lib/stats.h"
#include "result/result_merge.h"
#include "result/run_values.h"

/* Samples as doubles (the loader checked they are numbers); NULL with *n 0 when none. */
static double *samples_of(const json_t *m, size_t *n)
{
	const json_t *arr = json_object_get(m, "samples"), *v;
	double *out;
	size_t i;

	*n = json_array_size(arr);
	out = *n ? malloc(*n * sizeof(*out)) : NULL;
	if (!out) {
		*n = 0;
		return NULL;
	}
	json_array_foreach(arr, i, v)
		out[i] = json_number_value(v);
	return out;
}

static bool metric_bad(const char *status)
{
	return !strcmp(status, "unsupported") || !strcmp(status, "error");
}

/* Both sides' run values, by the fastest repetition only when both (and the calibrations,
 * asked with the same) can be: never one side by its fastest and the other by its medians. */
static bool run_values(const struct comparison *c, const struct cmp_row *r, double *bm,
		       size_t *kb, double *nm, size_t *kn)
{
	bool fb, fn;

	*kb = metric_run_values(r->base, c->fastest, bm, RESULT_MAX_RUNS, &fb);
	*kn = metric_run_values(r->cur, c->fastest, nm, RESULT_MAX_RUNS, &fn);
	if (fb == fn)
		return fb;
	*kb = metric_run_values(r->base, false, bm, RESULT_MAX_RUNS, NULL);
	*kn = metric_run_values(r->cur, false, nm, RESULT_MAX_RUNS, NULL);
	return false;
}

/*
 * A metric measured on both sides: run by run when there is a spread of runs to go by (either
 * side of several runs, or a calibration of this machine class), over the runs that had the
 * CPU to themselves (the masks), else repetition by repetition. -EDOM when it had to go run
 * by run and a run value is not above 0: no ratio of runs, and repetitions of several runs
 * pooled are not independent samples; -ECHILD when leaving out runs left one run a side and
 * no calibration.
 */
static int measure_row(const struct comparison *c, struct cmp_row *r,
		       const struct compare_opts *o)
{
	double bm[RESULT_MAX_RUNS], nm[RESULT_MAX_RUNS];
	size_t kb, kn, nb, nn;
	bool fastest = run_values(c, r, bm, &kb, nm, &kn), several = kb > 1 || kn > 1;
	struct run_noise noise = calibration_noise(c->cals, c->cal_masks, c->nr_cals, c->cur,
						   r->name, fastest);
	double *bv, *nv;
	int err;

	kb = run_mask_apply(&c->base_mask, bm, kb);
	kn = run_mask_apply(&c->new_mask, nm, kn);
	if (several || noise.df > 0) {
		err = metric_cmp_runs(bm, kb, nm, kn, &noise, o, &r->mc);
		if (err == -EDOM && several)
			return kb + kn - 2 + noise.df < 1 ? -ECHILD : err;
		if (!err) {
			r->mc.nb = json_array_size(json_object_get(r->base, "samples"));
			r->mc.nn = json_array_size(json_object_get(r->cur, "samples"));
			r->mc.fastest = fastest;
			return 0;
		}
	}
	bv = samples_of(r->base, &nb);
	nv = samples_of(r->cur, &nn);
	err = bv && nv ? metric_cmp_measure(bv, nb, nv, nn, o, &r->mc) : -ENOMEM;
	free(bv);
	free(nv);
	return err;
}

int compare_metric_row(const struct comparison *c, struct cmp_row *r,
		       const struct compare_opts *o)
{
	size_t nb = json_array_size(json_object_get(r->base, "samples"));
	size_t nn = json_array_size(json_object_get(r->cur, "samples"));
	bool b_ok = !strcmp(r->base_status, "ok") && nb, n_ok = !strcmp(r->new_status, "ok") && nn;
	const char *breason = r->base_reason[0] ? r->base_reason :
			      !strcmp(r->base_status, "ok") && !nb ? "no samples" : "";
	const char *nreason = r->new_reason[0] ? r->new_reason :
			      !strcmp(r->new_status, "ok") && !nn ? "no samples" : "";
	bool same = !strcmp(r->base_status, r->new_status) && strcmp(r->base_status, "ok");
	int err;

	if (b_ok && n_ok) {
		err = measure_row(c, r, o);
		r->measured = !err;
		if (err == -EDOM || err == -ECHILD) {
			snprintf(r->why, sizeof(r->why), "%s", err == -EDOM ?
				 "a run value is not above 0: no ratio of runs" :
				 "one run a side once the runs on a shared CPU are left out, and "
				 "no calibration: no run-to-run spread to go by");
			return 0;
		}
		if (err && err != -ENOMEM)
			snprintf(r->why, sizeof(r->why), "cannot compare the samples: %s",
				 strerror(-err));
		return err == -ENOMEM ? err : 0;
	}
	/* Not measured on either side, with the same status: nothing changed. */
	if (same)
		r->verdict = VERDICT_UNCHANGED;
	else if (b_ok && metric_bad(r->new_status))
		r->verdict = VERDICT_REGRESSED;
	else if (metric_bad(r->base_status) && n_ok)
		r->verdict = VERDICT_IMPROVED;
	else
		r->verdict = VERDICT_INCONCLUSIVE;
	if (same)
		snprintf(r->why, sizeof(r->why), "%s on both sides%s%s", r->base_status,
			 nreason[0] ? ": " : "", nreason);
	else
		snprintf(r->why, sizeof(r->why), "%s%s%s%s -> %s%s%s", r->base_status,
			 breason[0] ? " (" : "", breason, breason[0] ? ")" : "", r->new_status,
			 nreason[0] ? ": " : "", nreason);
	return 0;
}
