// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge history changes': change points in each series of run medians (history_cmd.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "changepoint.h"
#include "history.h"
#include "history_cmd.h"

struct report {
	const struct changepoint_opts *opts;
	bool json, colour;
	json_t *series;
	size_t nseries, nchanges, nshort;
};

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* The runs of pts[a, b) with their medians. */
static json_t *side_json(const struct history_point *const *pts, size_t a, size_t b,
			 double median)
{
	json_t *runs = json_array();

	for (size_t i = a; i < b; i++)
		json_array_append_new(runs, json_pack("{s:I s:s s:s s:f}", "run",
						      (json_int_t)pts[i]->run, "time", pts[i]->time,
						      "kernel", pts[i]->kernel, "median",
						      pts[i]->median));
	return json_pack("{s:f s:o}", "median", median, "runs", runs);
}

/* "N runs, FIRST .. LAST, kernel(s) K1, K2" for pts[a, b); each kernel once, in order. */
static void side_text(const struct history_point *const *pts, size_t a, size_t b, char *buf,
		      size_t sz)
{
	size_t nk = 0;
	int off;

	off = snprintf(buf, sz, "%zu run%s, %s .. %s, kernel", b - a, b - a == 1 ? "" : "s",
		       pts[a]->time, pts[b - 1]->time);
	for (size_t i = a; i < b; i++) {
		bool seen = false;

		for (size_t j = a; j < i && !seen; j++)
			seen = !strcmp(pts[j]->kernel, pts[i]->kernel);
		if (seen || off < 0 || (size_t)off >= sz)
			continue;
		off += snprintf(buf + off, sz - off, "%s %s", nk++ ? "," : "",
				pts[i]->kernel[0] ? pts[i]->kernel : "?");
	}
}

static const char *direction(const char *better, double ratio)
{
	if (ratio == 1 || isnan(ratio))
		return "no change";
	return (ratio > 1) == !strcmp(better, "lower") ? "worse" : "better";
}

static void print_change(const struct report *r, const struct history_series *s,
			 const struct history_point *const *pts, const struct changepoint *c)
{
	double ratio = c->after_median / c->before_median;
	const char *dir = direction(s->better, ratio);
	const char *on = !r->colour ? "" : !strcmp(dir, "worse") ? "\033[31m" : "\033[32m";
	char before[512], after[512];

	side_text(pts, c->before_start, c->index, before, sizeof(before));
	side_text(pts, c->index, c->after_end, after, sizeof(after));
	printf("    between %s and %s: median %.4g -> %.4g %s, %sx%.3f (%+.1f%%, %s)%s, "
	       "p = %.3g\n", pts[c->index - 1]->time, pts[c->index]->time, c->before_median,
	       c->after_median, s->unit, on, ratio, (ratio - 1) * 100, dir,
	       r->colour ? "\033[0m" : "", c->p_value);
	printf("      before: %s\n      after:  %s\n", before, after);
}

static json_t *change_json(const struct history_series *s, const struct history_point *const *pts,
			   const struct changepoint *c)
{
	double ratio = c->after_median / c->before_median;

	return json_pack("{s:I s:I s:s s:s s:o s:o s:o s:s s:f s:f}", "index", (json_int_t)c->index,
			 "run", (json_int_t)pts[c->index]->run, "time", pts[c->index]->time,
			 "kernel", pts[c->index]->kernel,
			 "before", side_json(pts, c->before_start, c->index, c->before_median),
			 "after", side_json(pts, c->index, c->after_end, c->after_median),
			 "ratio", num_or_null(ratio), "direction", direction(s->better, ratio),
			 "p_value", c->p_value, "energy", c->q);
}

static int series_changes(struct report *r, const char *metric, const struct history_series *s)
{
	const struct history_point **pts = calloc(s->n ? s->n : 1, sizeof(*pts));
	double *v = calloc(s->n ? s->n : 1, sizeof(*v));
	size_t n = 0, ncps = 0, need = changepoint_min_len(r->opts);
	struct changepoint *cps = NULL;
	json_t *list = json_array();
	int err = -ENOMEM;

	if (!pts || !v || !list)
		goto cleanup;
	/* Runs where the metric could not be measured have no median: they are left out. */
	for (size_t i = 0; i < s->n; i++) {
		if (!s->points[i].n)
			continue;
		pts[n] = &s->points[i];
		v[n++] = s->points[i].median;
	}
	err = changepoint_detect(v, n, r->opts, &cps, &ncps);
	if (err)
		goto cleanup;
	r->nseries++;
	r->nchanges += ncps;
	r->nshort += n < need;
	for (size_t i = 0; i < ncps; i++)
		json_array_append_new(list, change_json(s, pts, &cps[i]));
	if (r->json) {
		json_array_append_new(r->series, json_pack("{s:s s:s s:s s:s s:I s:s s:I s:O}",
			"metric", metric, "unit", s->unit, "better", s->better,
			"environment", s->env_key, "runs", (json_int_t)n,
			"status", n < need ? "too few runs" : "ok", "min_runs", (json_int_t)need,
			"change_points", list));
		goto cleanup;
	}
	printf("  %s: %zu run%s with samples", s->env_key, n, n == 1 ? "" : "s");
	if (n < need) {
		printf(": too few for change points (needs %zu: 2 x --min-size %zu)\n", need,
		       r->opts->min_size);
		goto cleanup;
	}
	printf(", %zu change point%s\n", ncps, ncps == 1 ? "" : "s");
	for (size_t i = 0; i < ncps; i++)
		print_change(r, s, pts, &cps[i]);
cleanup:
	json_decref(list);
	free(cps);
	free(pts);
	free(v);
	return err;
}

static int metric_changes(struct report *r, struct history *h, const char *db, const char *metric)
{
	struct history_series *l;
	size_t n;
	int err;

	err = history_series(h, metric, &l, &n);
	if (err) {
		fprintf(stderr, "bpfgauge history: cannot read '%s'\n", db);
		return err;
	}
	if (!n) {
		fprintf(stderr, "bpfgauge history: no metric '%s' in '%s'; 'bpfgauge history show' "
			"lists them\n", metric, db);
		return -ENOENT;
	}
	if (!r->json)
		printf("%s%s%s (%s, %s is better)\n", r->colour ? "\033[1m" : "", metric,
		       r->colour ? "\033[0m" : "", l[0].unit, l[0].better);
	for (size_t i = 0; i < n && !err; i++)
		err = series_changes(r, metric, &l[i]);
	history_series_free(l, n);
	return err;
}

int history_changes_print(struct history *h, const char *db, const char *metric,
			  const struct changepoint_opts *opts, bool json, bool colour)
{
	struct report r = { .opts = opts, .json = json, .colour = colour };
	struct history_metric_info *names = NULL;
	size_t n = 0;
	int err = 0;

	r.series = json_array();
	if (metric) {
		err = metric_changes(&r, h, db, metric);
	} else if (history_metrics(h, &names, &n)) {
		fprintf(stderr, "bpfgauge history: cannot read '%s'\n", db);
		err = -EIO;
	}
	for (size_t i = 0; i < n && !err; i++)
		err = metric_changes(&r, h, db, names[i].name);
	if (err)
		goto cleanup;
	if (json) {
		json_t *doc = json_pack("{s:s s:{s:s s:f s:I s:I s:I} s:I s:O}", "db", db,
			"method", "name", "e-divisive means, permutation test, recursive",
			"alpha", opts->alpha,
			"permutations", (json_int_t)opts->permutations,
			"min_size", (json_int_t)opts->min_size, "seed", (json_int_t)opts->seed,
			"change_points", (json_int_t)r.nchanges, "series", r.series);

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	} else if (!r.nseries) {
		printf("no metrics in '%s' yet; 'bpfgauge history add RESULT...' adds runs\n", db);
	} else {
		printf("\n%zu change point%s in %zu series (alpha %g, %u permutations, at least "
		       "%zu runs a side)", r.nchanges, r.nchanges == 1 ? "" : "s", r.nseries,
		       opts->alpha, opts->permutations, opts->min_size);
		if (r.nshort)
			printf("; %zu series too short", r.nshort);
		printf("\n");
	}
cleanup:
	json_decref(r.series);
	free(names);
	return err;
}
