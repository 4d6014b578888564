// SPDX-License-Identifier: GPL-2.0
/* result_merge(): several runs of one suite in one environment as one result document. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "result_json.h"
#include "result_merge.h"

/* What must be the same in every run of a merged document, as dotted environment keys. */
static const char *const same_env[] = {
	"kernel.release", "kernel.machine", "cpu.model", "cpu.count",
	"virtualization.cpuid_vendor", "guest.accelerator",
};

static const json_t *at(const json_t *obj, const char *dotted)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(dotted, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - dotted), dotted);
		obj = json_object_get(obj, key);
		dotted = dot + 1;
	}
	return json_object_get(obj, dotted);
}

static void say(char *err, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sz, fmt, ap);
	va_end(ap);
}

size_t result_runs(const json_t *doc)
{
	size_t n = json_array_size(json_object_get(doc, "runs"));

	return n ? n : 1;
}

size_t metric_run_medians(const json_t *m, double *out, size_t cap)
{
	const json_t *meds = json_object_get(m, "run_medians"), *v;
	const json_t *samples = json_object_get(m, "samples");
	size_t i, n = 0;

	if (strcmp(result_str(m, "status"), "ok") || !json_array_size(samples))
		return 0;
	if (json_is_array(meds) && json_array_size(meds)) {
		json_array_foreach(meds, i, v)
			if (json_is_number(v) && n < cap)
				out[n++] = json_number_value(v);
		return n;
	}
	if (!cap)
		return 0;
	{
		size_t ns = json_array_size(samples);
		double *s = malloc(ns * sizeof(*s));

		if (!s)
			return 0;
		json_array_foreach(samples, i, v)
			s[i] = json_number_value(v);
		out[0] = stats_quantile(s, ns, 0.5);
		free(s);
	}
	return 1;
}

json_t *result_runs_of(const json_t *doc)
{
	const json_t *own = json_object_get(doc, "runs");

	if (json_array_size(own))
		return json_deep_copy(own);
	return json_pack("[{s:O s:O s:b}]",
		"time", at(doc, "environment.time") ?: json_null(),
		"duration_s", json_object_get(doc, "duration_s") ?: json_null(),
		"interrupted", json_is_true(json_object_get(doc, "interrupted")));
}

/* The run entries of a document appended to runs. */
static int append_runs(json_t *runs, const json_t *doc)
{
	json_t *own = result_runs_of(doc);
	int err = own ? json_array_extend(runs, own) : -1;

	json_decref(own);
	return err;
}

/* Runs first..first+k-1 of the merged document, as words: "run 3", "runs 3-5". */
static void run_words(char *buf, size_t sz, size_t first, size_t k)
{
	if (k == 1)
		snprintf(buf, sz, "run %zu", first + 1);
	else
		snprintf(buf, sz, "runs %zu-%zu", first + 1, first + k);
}

static json_t *with_reason(const json_t *e, const char *key, const char *words, size_t total)
{
	json_t *copy = json_deep_copy(e);
	char buf[768];

	snprintf(buf, sizeof(buf), "%s (in %s of %zu)", result_str(e, key), words, total);
	json_object_set_new(copy, key, json_string(buf));
	return copy;
}

/* Whether every run has the metric with the same status and reason. */
static bool same_everywhere(json_t *const *docs, size_t n, const json_t *m)
{
	for (size_t d = 0; d < n; d++) {
		const json_t *o = result_named(json_object_get(docs[d], "metrics"),
					       result_str(m, "name"));

		if (!o || strcmp(result_str(o, "status"), result_str(m, "status")) ||
		    strcmp(result_str(o, "reason"), result_str(m, "reason")))
			return false;
	}
	return true;
}

/* The entry of a metric for the first run where it was not measured (status not "ok", no
 * samples, missing), saying which run; NULL when it was measured in every run. */
static json_t *unmeasured(json_t *const *docs, size_t n, const size_t *first_run, size_t total,
			  const char *name)
{
	double med[RESULT_MAX_RUNS];

	for (size_t d = 0; d < n; d++) {
		const json_t *m = result_named(json_object_get(docs[d], "metrics"), name), *any = m;
		size_t k = result_runs(docs[d]);
		char words[64], why[128];

		if (m && metric_run_medians(m, med, RESULT_MAX_RUNS) == k)
			continue;
		run_words(words, sizeof(words), first_run[d], k);
		if (m && strcmp(result_str(m, "status"), "ok"))
			return same_everywhere(docs, n, m) ? json_deep_copy(m) :
			       with_reason(m, "reason", words, total);
		for (size_t e = 0; e < n && !any; e++)
			any = result_named(json_object_get(docs[e], "metrics"), name);
		snprintf(why, sizeof(why), "%s in %s of %zu", m ? "no samples" : "missing", words,
			 total);
		return json_pack("{s:s s:s s:s s:s s:[] s:s}", "name", name, "unit",
				 result_str(any, "unit"), "better", result_str(any, "better"),
				 "status", "error", "samples", "reason", why);
	}
	return NULL;
}

/* One metric over all runs: pooled samples and run medians, or the first run where it was
 * not measured. NULL on ENOMEM. */
static json_t *merge_metric(json_t *const *docs, size_t n, const size_t *first_run,
			    size_t total, const char *name)
{
	json_t *out = unmeasured(docs, n, first_run, total, name), *samples, *meds;
	double *pool, med[RESULT_MAX_RUNS];
	struct stats_summary s;
	size_t np = 0, cap = 0;
	const json_t *m = NULL;

	if (out)
		return out;
	for (size_t d = 0; d < n; d++)
		cap += json_array_size(json_object_get(result_named(json_object_get(docs[d],
			"metrics"), name), "samples"));
	samples = json_array();
	meds = json_array();
	pool = malloc((cap ? cap : 1) * sizeof(*pool));
	if (!samples || !meds || !pool)
		goto done;
	for (size_t d = 0; d < n; d++) {
		const json_t *v;
		size_t k, i;

		m = result_named(json_object_get(docs[d], "metrics"), name);
		k = metric_run_medians(m, med, RESULT_MAX_RUNS);
		for (i = 0; i < k; i++)
			if (json_array_append_new(meds, json_real(med[i])))
				goto done;
		json_array_foreach(json_object_get(m, "samples"), i, v) {
			pool[np++] = json_number_value(v);
			if (json_array_append(samples, (json_t *)v))
				goto done;
		}
	}
	stats_summarize(pool, np, &s);
	out = json_pack("{s:s s:s s:s s:s s:O s:O s:f s:f s:f}", "name", name, "unit",
			result_str(m, "unit"), "better", result_str(m, "better"), "status", "ok",
			"samples", samples, "run_medians", meds, "median", s.median, "p25", s.p25, "p75",
			s.p75);
done:
	json_decref(samples);
	json_decref(meds);
	free(pool);
	return out;
}

/* Whether a check's status or a benchmark's error is one to keep over a fine one. */
static bool bad_value(const char *key, const char *value)
{
	return !strcmp(key, "error") ? value[0] != '\0' : strcmp(value, "pass") != 0;
}

/*
 * The entries of a list (checks by "status", benchmarks by "error") over all runs: each the
 * entry of the first run where it was bad (a check that did not pass, a benchmark that broke),
 * else the first run's; every run where 'key' said otherwise is noted in 'note' ("in run 3 of
 * 5: fail"), so that a flaky check or benchmark shows in a baseline.
 */
static json_t *merge_list(json_t *const *docs, size_t n, const size_t *first_run,
			  size_t total, const char *list, const char *key, const char *note)
{
	json_t *out = json_array(), *e;
	const json_t *first;
	size_t i;

	json_array_foreach(json_object_get(docs[0], list), i, first) {
		const char *name = result_str(first, "name");
		const json_t *pick = first;
		char *value, buf[1024];

		for (size_t d = 0; d < n && !bad_value(key, result_str(pick, key)); d++) {
			const json_t *o = result_named(json_object_get(docs[d], list), name);

			if (o && bad_value(key, result_str(o, key)))
				pick = o;
		}
		e = json_deep_copy(pick);
		value = strdup(result_str(pick, key));
		if (!e || !value || json_array_append_new(out, e)) {
			free(value);
			json_decref(out);
			return NULL;
		}
		for (size_t d = 0; d < n; d++) {
			const json_t *o = result_named(json_object_get(docs[d], list), name);
			char words[64];

			if (!o || !strcmp(result_str(o, key), value))
				continue;
			run_words(words, sizeof(words), first_run[d], result_runs(docs[d]));
			snprintf(buf, sizeof(buf), "%s%sin %s of %zu: %s", result_str(e, note),
				 result_str(e, note)[0] ? "; " : "", words, total,
				 result_str(o, key)[0] ? result_str(o, key) : "no error");
			json_object_set_new(e, note, json_string(buf));
		}
		free(value);
	}
	return out;
}

bool result_run_same(const json_t *a, const json_t *b)
{
	return json_equal(json_object_get(a, "time"), json_object_get(b, "time")) &&
	       json_equal(json_object_get(a, "duration_s"), json_object_get(b, "duration_s"));
}

/* A run given twice (a result and a merge that holds it): its spread would count twice. */
static int same_run_twice(const json_t *runs, char *err, size_t errsz)
{
	for (size_t i = 0; i < json_array_size(runs); i++)
		for (size_t j = i + 1; j < json_array_size(runs); j++)
			if (result_run_same(json_array_get(runs, i), json_array_get(runs, j))) {
				say(err, errsz, "runs %zu and %zu are the same run (started %s): "
				    "each run may count once", i + 1, j + 1,
				    result_str(json_array_get(runs, i), "time"));
				return -1;
			}
	return 0;
}

const char *result_env_mismatch(const json_t *a, const json_t *b, bool kernel)
{
	for (size_t k = 0; k < sizeof(same_env) / sizeof(same_env[0]); k++) {
		const json_t *va = at(a, same_env[k]), *vb = at(b, same_env[k]);

		if (!kernel && !strncmp(same_env[k], "kernel.release", 14))
			continue;
		if (!json_equal((json_t *)va, (json_t *)vb) && (va || vb))
			return same_env[k];
	}
	return NULL;
}

/* Whether every run is of the first one's suite and environment; says which is not. */
static int same_kind(json_t *const *docs, size_t n, char *err, size_t errsz)
{
	for (size_t d = 1; d < n; d++) {
		const json_t *e0 = json_object_get(docs[0], "environment");
		const json_t *ed = json_object_get(docs[d], "environment");
		const char *key = result_env_mismatch(e0, ed, true);
		char *ta, *tb;

		if (strcmp(result_str(json_object_get(docs[d], "suite"), "name"),
			   result_str(json_object_get(docs[0], "suite"), "name"))) {
			say(err, errsz, "result %zu is of suite '%s', result 1 of '%s': the runs "
			    "merged into one result must be of one suite", d + 1,
			    result_str(json_object_get(docs[d], "suite"), "name"),
			    result_str(json_object_get(docs[0], "suite"), "name"));
			return -1;
		}
		if (!key)
			continue;
		ta = at(e0, key) ? json_dumps(at(e0, key), JSON_ENCODE_ANY) : NULL;
		tb = at(ed, key) ? json_dumps(at(ed, key), JSON_ENCODE_ANY) : NULL;
		say(err, errsz, "result %zu has %s %s, result 1 %s: the runs merged into one "
		    "result must come from one environment", d + 1, key, tb ? tb : "(absent)",
		    ta ? ta : "(absent)");
		free(ta);
		free(tb);
		return -1;
	}
	return 0;
}

json_t *result_merge(json_t *const *docs, size_t n, char *err, size_t errsz)
{
	size_t first_run[RESULT_MAX_RUNS], total = 0, i;
	json_t *out, *runs, *metrics, *e;
	double duration = 0;
	bool interrupted = false;

	if (!n || n > RESULT_MAX_RUNS) {
		say(err, errsz, "%zu results: one result holds 1 to %d runs", n, RESULT_MAX_RUNS);
		return NULL;
	}
	if (same_kind(docs, n, err, errsz))
		return NULL;
	for (size_t d = 0; d < n; d++) {
		first_run[d] = total;
		total += result_runs(docs[d]);
		duration += json_number_value(json_object_get(docs[d], "duration_s"));
		interrupted |= json_is_true(json_object_get(docs[d], "interrupted"));
	}
	if (total > RESULT_MAX_RUNS) {
		say(err, errsz, "%zu runs in all: one result holds at most %d", total,
		    RESULT_MAX_RUNS);
		return NULL;
	}
	out = json_deep_copy(docs[0]);
	runs = json_array();
	metrics = json_array();
	if (!out || !runs || !metrics)
		goto nomem;
	for (size_t d = 0; d < n; d++)
		if (append_runs(runs, docs[d]))
			goto nomem;
	if (same_run_twice(runs, err, errsz))
		goto fail;
	/* Metrics in the order of their first appearance, run by run. */
	for (size_t d = 0; d < n; d++) {
		json_array_foreach(json_object_get(docs[d], "metrics"), i, e) {
			json_t *m;

			if (result_named(metrics, result_str(e, "name")))
				continue;
			m = merge_metric(docs, n, first_run, total, result_str(e, "name"));
			if (!m || json_array_append_new(metrics, m))
				goto nomem;
		}
	}
	json_object_set_new(out, "checks", merge_list(docs, n, first_run, total, "checks",
						      "status", "reason"));
	json_object_set_new(out, "benchmarks", merge_list(docs, n, first_run, total,
							  "benchmarks", "error", "error"));
	json_object_set_new(out, "runs", runs);
	json_object_set_new(out, "metrics", metrics);
	json_object_set_new(out, "duration_s", json_real(duration));
	json_object_set_new(out, "interrupted", json_boolean(interrupted));
	return out;
nomem:
	say(err, errsz, "out of memory merging %zu results", n);
fail:
	json_decref(out);
	json_decref(runs);
	json_decref(metrics);
	return NULL;
}
