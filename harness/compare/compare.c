// SPDX-License-Identifier: GPL-2.0
/* compare_pair(): the rows of a comparison of two results, with their verdicts. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration.h"
#include "compare.h"
#include "result/result.h"
#include "result/result_json.h"
#include "result/result_merge.h"

/* The metric's threshold: the NEW result's suite globs, else --threshold, else the suite's
 * default, else 5%. */
static double metric_threshold(const json_t *doc, const char *metric, double override)
{
	const json_t *suite = json_object_get(doc, "suite"), *pct;
	const char *glob;

	json_object_foreach(json_object_get(suite, "thresholds_pct"), glob, pct)
		if (json_is_number(pct) && !fnmatch(glob, metric, 0))
			return json_number_value(pct);
	if (!isnan(override))
		return override;
	pct = json_object_get(suite, "threshold_pct");
	return json_is_number(pct) ? json_number_value(pct) : 5;
}

static bool check_bad(const char *status)
{
	return !strcmp(status, "fail") || !strcmp(status, "unsupported") ||
	       !strcmp(status, "error");
}

/* Whether two texts are the same but for their numbers (pids, counts, addresses). */
static bool same_but_numbers(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			while (isxdigit((unsigned char)*a) || *a == '.')
				a++;
			while (isxdigit((unsigned char)*b) || *b == '.')
				b++;
			continue;
		}
		if (*a++ != *b++)
			return false;
	}
	return !*a && !*b;
}

static void check_verdict(struct cmp_row *r)
{
	const char *bs = r->base_status, *ns = r->new_status;

	if (!strcmp(bs, ns)) {
		r->verdict = VERDICT_UNCHANGED;
		if (!same_but_numbers(r->base_reason, r->new_reason))
			snprintf(r->why, sizeof(r->why), "reason: %s -> %s", r->base_reason,
				 r->new_reason);
		return;
	}
	if (!strcmp(bs, "pass") && check_bad(ns))
		r->verdict = VERDICT_REGRESSED;
	else if (check_bad(bs) && !strcmp(ns, "pass"))
		r->verdict = VERDICT_IMPROVED;
	else
		r->verdict = VERDICT_INCONCLUSIVE;
	snprintf(r->why, sizeof(r->why), "%s -> %s%s%s", bs, ns, r->new_reason[0] ? ": " : "",
		 r->new_reason);
}

/*
 * A metric row whose benchmark broke on a side, in the shape of a check's status change: fine
 * -> broken regressed (whatever the metric said: the benchmark no longer runs), broken -> ok
 * with samples improved, broken on both sides unchanged, anything else inconclusive.
 */
static void broken_verdict(struct cmp_row *r)
{
	size_t nn = json_array_size(json_object_get(r->cur, "samples"));

	if (r->base_error && r->new_error) {
		r->verdict = VERDICT_UNCHANGED;
		if (same_but_numbers(r->base_error, r->new_error))
			snprintf(r->why, sizeof(r->why), "broken on both sides: %s", r->new_error);
		else
			snprintf(r->why, sizeof(r->why), "broken on both sides: %s -> %s",
				 r->base_error, r->new_error);
	} else if (r->new_error) {
		r->verdict = VERDICT_REGRESSED;
		snprintf(r->why, sizeof(r->why), "%s -> broken: %s", r->base_status, r->new_error);
	} else {
		r->verdict = !strcmp(r->new_status, "ok") && nn ? VERDICT_IMPROVED :
			     VERDICT_INCONCLUSIVE;
		snprintf(r->why, sizeof(r->why), "broken (%s) -> %s%s%s", r->base_error,
			 r->new_status, r->new_reason[0] ? ": " : "", r->new_reason);
	}
}

const char *result_bench_error(const struct loaded_result *r, const char *metric)
{
	return json_string_value(json_object_get(result_bench_entry(r->doc, metric), "error"));
}

/* The errors of a metric row's benchmark; a side that broke says "broken" and why. */
static void mark_broken(const struct comparison *c, struct cmp_row *r)
{
	r->base_error = result_bench_error(c->base, r->name);
	r->new_error = result_bench_error(c->cur, r->name);
	/* Missing where its benchmark broke: not a metric the suite left out. */
	if ((r->presence == ONLY_BASE && r->new_error) ||
	    (r->presence == ONLY_NEW && r->base_error))
		r->presence = IN_BOTH;
	if (r->base_error) {
		r->base_status = "broken";
		r->base_reason = r->base_error;
	}
	if (r->new_error) {
		r->new_status = "broken";
		r->new_reason = r->new_error;
	}
}

static void fill_row(struct cmp_row *r, bool is_check, const json_t *b, const json_t *n)
{
	r->is_check = is_check;
	r->base = b;
	r->cur = n;
	r->presence = b && n ? IN_BOTH : b ? ONLY_BASE : ONLY_NEW;
	r->name = result_str(b ? b : n, "name");
	r->base_status = result_str(b, "status");
	r->new_status = result_str(n, "status");
	r->base_reason = result_str(b, "reason");
	r->new_reason = result_str(n, "reason");
	r->unit = result_str(b ? b : n, "unit");
	r->higher_is_better = !strcmp(result_str(n ? n : b, "better"), "higher");
	r->verdict = VERDICT_INCONCLUSIVE;
}

/* The rows of one list (checks or metrics): base's order, then those only in new. */
static void add_rows(struct comparison *c, const char *key)
{
	const json_t *barr = json_object_get(c->base->doc, key);
	const json_t *narr = json_object_get(c->cur->doc, key), *e;
	size_t i, first = c->n;

	json_array_foreach(barr, i, e)
		fill_row(&c->rows[c->n++], key[0] == 'c', e,
			 result_named(narr, result_str(e, "name")));
	json_array_foreach(narr, i, e)
		if (!result_named(barr, result_str(e, "name")))
			fill_row(&c->rows[c->n++], key[0] == 'c', NULL, e);
	for (i = first; i < c->n && key[0] == 'm'; i++) {
		mark_broken(c, &c->rows[i]);
		c->broken_base += !!c->rows[i].base_error;
		c->broken_new += !!c->rows[i].new_error;
	}
}

int compare_pair(const struct loaded_result *base, const struct loaded_result *cur,
		 const struct compare_settings *set, struct comparison *c)
{
	size_t cap = 0, m = 0;
	struct metric_cmp **mc = NULL;
	int err = 0;

	memset(c, 0, sizeof(*c));
	c->base = base;
	c->cur = cur;
	c->set = *set;
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "metrics" : "checks";

		cap += json_array_size(json_object_get(base->doc, key)) +
		       json_array_size(json_object_get(cur->doc, key));
	}
	c->rows = calloc(cap ? cap : 1, sizeof(*c->rows));
	mc = calloc(cap ? cap : 1, sizeof(*mc));
	if (!c->rows || !mc) {
		err = -ENOMEM;
		goto cleanup;
	}
	c->machine_speed = NAN;
	c->base_runs = result_runs(base->doc);
	c->new_runs = result_runs(cur->doc);
	c->cals = calloc(set->nr_cals ? set->nr_cals : 1, sizeof(*c->cals));
	if (!c->cals) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < set->nr_cals; i++) {
		if (!calibration_applies(&set->cals[i], base, cur))
			continue;
		c->cals[c->nr_cals++] = &set->cals[i];
		c->cal_runs += result_runs(set->cals[i].doc);
	}
	err = compare_run_masks(c);
	if (err)
		goto cleanup;
	add_rows(c, "checks");
	add_rows(c, "metrics");
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_row *r = &c->rows[i];
		struct compare_opts o = { .threshold_pct = 5, .alpha = set->alpha,
					  .resamples = set->resamples, .level = set->level,
					  .seed = set->seed };

		if (r->presence != IN_BOTH) {
			r->presence == ONLY_BASE ? c->only_base++ : c->only_new++;
			continue;
		}
		if (r->is_check) {
			check_verdict(r);
			continue;
		}
		r->threshold_pct = o.threshold_pct = metric_threshold(cur->doc, r->name,
								      set->threshold_pct);
		if (r->base_error || r->new_error) {
			broken_verdict(r);
			continue;
		}
		err = compare_metric_row(c, r, &o);
		if (err)
			goto cleanup;
		/* The machine's metrics are not the kernel's: not in Holm's m. */
		if (r->measured && !result_is_machine_metric(r->name))
			mc[m++] = &r->mc;
	}
	if (c->only_base + c->only_new == c->n) {
		err = -ENODATA;
		goto cleanup;
	}
	metric_cmp_holm(mc, m);
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_row *r = &c->rows[i];
		struct compare_opts o = { .threshold_pct = r->threshold_pct, .alpha = set->alpha,
					  .resamples = set->resamples, .level = set->level,
					  .seed = set->seed };

		if (r->measured) {
			metric_cmp_decide(&r->mc, r->higher_is_better, &o);
			r->verdict = r->mc.verdict;
			snprintf(r->why, sizeof(r->why), "%s", r->mc.why);
		}
	}
	compare_machine_state(c);
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].presence == IN_BOTH)
			c->count[c->rows[i].verdict]++;
	compare_warn_power(c, mc, m);
	compare_warn_speed(c);
	compare_warn_broken(c);
	err = env_diff(json_object_get(base->doc, "environment"),
		       json_object_get(cur->doc, "environment"), &c->env, &c->nr_env);
cleanup:
	free(mc);
	if (err)
		comparison_release(c);
	return err;
}

void comparison_release(struct comparison *c)
{
	free(c->rows);
	free(c->env);
	free(c->cals);
	free(c->cal_masks);
	c->rows = NULL;
	c->env = NULL;
	c->cals = NULL;
	c->cal_masks = NULL;
	c->n = c->nr_env = 0;
}

bool comparison_regressed(const struct comparison *c)
{
	return c->count[VERDICT_REGRESSED] > 0;
}
