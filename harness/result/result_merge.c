// SPDX-License-Identifier: GPL-2.0
/* result_merge(): several runs of one suite in one environment as one result document. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
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

static const char *str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
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

	if (strcmp(str(m, "status"), "ok") || !json_array_size(samples))
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

/* The run entries of a document: its "runs", or one made from its time and duration. */
static int append_runs(json_t *runs, const json_t *doc)
{
	const json_t *own = json_object_get(doc, "runs");

	if (json_array_size(own))
		return json_array_extend(runs, (json_t *)own);
	return json_array_append_new(runs, json_pack("{s:O s:O s:b}",
		"time", at(doc, "environment.time") ?: json_null(),
		"duration_s", json_object_get(doc, "duration_s") ?: json_null(),
		"interrupted", json_is_true(json_object_get(doc, "interrupted"))));
}

static const json_t *find_named(const json_t *arr, const char *name)
{
	const json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(str(e, "name"), name))
			return e;
	return NULL;
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

	snprintf(buf, sizeof(buf), "%s (in %s of %zu)", str(e, key), words, total);
	json_object_set_new(copy, key, json_string(buf));
	return copy;
}

/* Whether every run has the metric with the same status and reason. */
static bool same_everywhere(json_t *const *docs, size_t n, const json_t *m)
{
	for (size_t d = 0; d < n; d++) {
		const json_t *o = find_named(json_object_get(docs[d], "metrics"), str(m, "name"));

		if (!o || strcmp(str(o, "status"), str(m, "status")) ||
		    strcmp(str(o, "reason"), str(m, "reason")))
			return false;
	}
	return true;
}

/* One metric over all runs: pooled samples and run medians, or the first run where it was
 * not measured. */
static json_t *merge_metric(json_t *const *docs, size_t n, const size_t *first_run,
			    size_t total, const char *name)
{
	json_t *out = NULL, *samples = json_array(), *meds = json_array();
	double *pool = NULL, runmed[RESULT_MAX_RUNS];
	struct stats_summary s;
	size_t np = 0;

	for (size_t d = 0; d < n; d++) {
		const json_t *m = find_named(json_object_get(docs[d], "metrics"), name), *v;
		size_t k = result_runs(docs[d]), got, i;
		char words[64];

		run_words(words, sizeof(words), first_run[d], k);
		got = m ? metric_run_medians(m, runmed, RESULT_MAX_RUNS) : 0;
		if (!m || got != k) {
			const json_t *any = m;

			for (size_t e = 0; e < n && !any; e++)
				any = find_named(json_object_get(docs[e], "metrics"), name);
			if (m && strcmp(str(m, "status"), "ok")) {
				out = same_everywhere(docs, n, m) ? json_deep_copy(m) :
				      with_reason(m, "reason", words, total);
			} else {
				char why[128];

				snprintf(why, sizeof(why), "%s in %s of %zu",
					 m ? "no samples" : "missing", words, total);
				out = json_pack("{s:s s:s s:s s:s s:[] s:s}", "name", name,
						"unit", str(any, "unit"), "better", str(any, "better"),
						"status", "error", "samples", "reason", why);
			}
			goto done;
		}
		for (i = 0; i < k; i++)
			json_array_append_new(meds, json_real(runmed[i]));
		json_array_foreach(json_object_get(m, "samples"), i, v) {
			double *grown = realloc(pool, (np + 1) * sizeof(*pool));

			if (!grown)
				goto done;
			pool = grown;
			pool[np++] = json_number_value(v);
			json_array_append(samples, (json_t *)v);
		}
		if (!out)
			out = json_pack("{s:s s:s s:s s:s}", "name", name, "unit", str(m, "unit"),
					"better", str(m, "better"), "status", "ok");
	}
	if (!out || !np) {
		json_decref(out);
		out = NULL;
		goto done;
	}
	stats_summarize(pool, np, &s);
	json_object_set(out, "samples", samples);
	json_object_set(out, "run_medians", meds);
	json_object_set_new(out, "median", json_real(s.median));
	json_object_set_new(out, "p25", json_real(s.p25));
	json_object_set_new(out, "p75", json_real(s.p75));
done:
	json_decref(samples);
	json_decref(meds);
	free(pool);
	return out;
}

/* Entries of a list (checks or benchmarks) from the first run; where a later run differs in
 * 'key' (status, error), the first run's reason or error says so. */
static json_t *merge_list(json_t *const *docs, size_t n, const size_t *first_run,
			  size_t total, const char *list, const char *key, const char *note)
{
	json_t *out = json_deep_copy(json_object_get(docs[0], list)), *e;
	size_t i;

	json_array_foreach(out, i, e) {
		for (size_t d = 1; d < n; d++) {
			const json_t *o = find_named(json_object_get(docs[d], list), str(e, "name"));
			char words[64], buf[1024];

			if (!o || !strcmp(str(o, key), str(e, key)))
				continue;
			run_words(words, sizeof(words), first_run[d], result_runs(docs[d]));
			snprintf(buf, sizeof(buf), "%s%sin %s of %zu: %s", str(e, note),
				 str(e, note)[0] ? "; " : "", words, total,
				 str(o, key)[0] ? str(o, key) : "no error");
			json_object_set_new(e, note, json_string(buf));
			if (!strcmp(key, "error") && !json_object_get(e, "error"))
				json_object_set_new(e, "error", json_string(buf));
		}
	}
	return out;
}

const char *result_env_mismatch(const json_t *a, const json_t *b, bool kernel)
{
	for (size_t k = kernel ? 0 : 1; k < sizeof(same_env) / sizeof(same_env[0]); k++) {
		const json_t *va = at(a, same_env[k]), *vb = at(b, same_env[k]);

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

		if (strcmp(str(json_object_get(docs[d], "suite"), "name"),
			   str(json_object_get(docs[0], "suite"), "name"))) {
			say(err, errsz, "result %zu is of suite '%s', result 1 of '%s': the runs "
			    "of one baseline must be of one suite", d + 1,
			    str(json_object_get(docs[d], "suite"), "name"),
			    str(json_object_get(docs[0], "suite"), "name"));
			return -1;
		}
		if (!key)
			continue;
		ta = at(e0, key) ? json_dumps(at(e0, key), JSON_ENCODE_ANY) : NULL;
		tb = at(ed, key) ? json_dumps(at(ed, key), JSON_ENCODE_ANY) : NULL;
		say(err, errsz, "result %zu has %s %s, result 1 %s: the runs of one baseline "
		    "must come from one environment", d + 1, key, tb ? tb : "(absent)",
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
		say(err, errsz, "%zu results: a baseline holds 1 to %d runs", n, RESULT_MAX_RUNS);
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
		say(err, errsz, "%zu runs in all: a baseline holds at most %d", total,
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
	/* Metrics in the order of their first appearance, run by run. */
	for (size_t d = 0; d < n; d++) {
		json_array_foreach(json_object_get(docs[d], "metrics"), i, e) {
			json_t *m;

			if (find_named(metrics, str(e, "name")))
				continue;
			m = merge_metric(docs, n, first_run, total, str(e, "name"));
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
	json_decref(out);
	json_decref(runs);
	json_decref(metrics);
	return NULL;
}
