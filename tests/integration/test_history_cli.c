// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge history' on results made from one real 'bpfgauge run': twelve copies with
 * distinct times and a step in one metric's samples. What the binary prints is checked
 * against medians computed here with GSL and against the database read with the sqlite3 CLI.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "integration.h"
#include "support.h"

#define NFILES 12
#define STEP_AT 6
#define NSAMPLES 5
#define METRIC "attach-overhead/raw_tracepoint/ns_per_event"

static char dir[64];
/* Per file: the samples written into METRIC, and its time. */
static double samples[NFILES][NSAMPLES];
static char times[NFILES][32];

static void cleanup_dir(void)
{
	if (!dir[0])
		return;
	test_dir_remove(dir);
}

static char *run_out(int *status, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", dir);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	return sh(cmd, status);
}

/* The binary by an absolute path: commands run in the temporary directory. */
static const char *bin(void)
{
	static char path[4096];

	if (!path[0] && !realpath(bpfgauge_bin(), path))
		cr_assert_fail("no binary at '%s'", bpfgauge_bin());
	return path;
}

static double sorted_quantile(const double *v, size_t n, double q)
{
	double s[NFILES > NSAMPLES ? NFILES : NSAMPLES];

	memcpy(s, v, n * sizeof(*s));
	gsl_sort(s, 1, n);
	return gsl_stats_quantile_from_sorted_data(s, 1, n, q);
}

/*
 * One real result, then NFILES copies rNN.json: METRIC's samples around 100 ns, 130 ns from
 * file STEP_AT on (1% noise); times one day apart, written in a shuffled order of names so
 * that the order of the files on the command line is not the time order.
 */
static void make_results(void)
{
	static const int day_of[NFILES] = { 5, 1, 9, 3, 12, 7, 2, 11, 4, 10, 6, 8 };
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	json_t *base, *doc, *m;
	char path[128], *out;
	int st;
	size_t i;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF for the real run");
	snprintf(dir, sizeof(dir), "/tmp/bpfgauge-history-XXXXXX");
	test_dir_make(dir);
	out = run_out(&st, "printf '[suite]\\nreps = 3\\nseconds = 0.1\\n[checks]\\nrun = none\\n"
		      "[bench attach-overhead]\\nvariants = raw_tracepoint\\n' > tiny.suite && "
		      "%s run ./tiny.suite -o base.json 2>&1", bin());
	cr_assert_eq(st, 0, "bpfgauge run failed: %s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/base.json", dir);
	base = json_load_file(path, 0, NULL);
	cr_assert_not_null(base);
	gsl_rng_set(rng, 7);
	for (int f = 0; f < NFILES; f++) {
		int day = day_of[f], k = day - 1;
		json_t *arr = json_array();

		doc = json_deep_copy(base);
		snprintf(times[k], sizeof(times[k]), "2026-10-%02dT08:00:00Z", day);
		json_object_set_new(json_object_get(doc, "environment"), "time",
				    json_string(times[k]));
		for (int s = 0; s < NSAMPLES; s++) {
			double level = k >= STEP_AT ? 130 : 100;

			samples[k][s] = level * (1 + gsl_ran_gaussian(rng, 0.01));
			json_array_append_new(arr, json_real(samples[k][s]));
		}
		json_array_foreach(json_object_get(doc, "metrics"), i, m)
			if (!strcmp(json_string_value(json_object_get(m, "name")), METRIC))
				json_object_set(m, "samples", arr);
		json_decref(arr);
		snprintf(path, sizeof(path), "%s/r%02d.json", dir, f);
		cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0);
		json_decref(doc);
	}
	json_decref(base);
	gsl_rng_free(rng);
}

static json_t *run_json(int *st, const char *args)
{
	char *out = run_out(st, "%s history %s 2>/dev/null", bin(), args);
	json_t *doc = json_loads(out, 0, NULL);

	cr_assert_not_null(doc, "'history %s' printed no JSON: %s", args, out);
	free(out);
	return doc;
}

static long sql_count(const char *db, const char *query)
{
	int st;
	char *out = run_out(&st, "sqlite3 '%s' \"%s\"", db, query);
	long n = strtol(out, NULL, 10);

	cr_assert_eq(st, 0, "sqlite3: %s", out);
	free(out);
	return n;
}

static void add_all(const char *db)
{
	int st;
	char *out = run_out(&st, "%s history add --db %s r*.json 2>&1", bin(), db);

	cr_assert_eq(st, 0, "%s", out);
	cr_assert(strstr(out, "12 added, 0 skipped, 12 runs"), "%s", out);
	free(out);
}

Test(history, show_lists_the_series_in_time_order, .fini = cleanup_dir)
{
	json_t *doc, *runs, *r;
	char *out;
	const char *prev_pos = NULL;
	int st;
	size_t i;

	make_results();
	add_all("h.db");
	cr_assert_eq(sql_count("h.db", "PRAGMA user_version"), 1);
	cr_assert_eq(sql_count("h.db", "SELECT count(*) FROM samples WHERE metric = '" METRIC "'"),
		     NFILES * NSAMPLES);
	doc = run_json(&st, "show --db h.db --json --metric " METRIC);
	cr_assert_eq(st, 0);
	cr_assert_eq(json_array_size(json_object_get(doc, "series")), 1);
	runs = json_object_get(json_array_get(json_object_get(doc, "series"), 0), "runs");
	cr_assert_eq(json_array_size(runs), NFILES);
	json_array_foreach(runs, i, r) {
		cr_assert_str_eq(json_string_value(json_object_get(r, "time")), times[i]);
		cr_assert_eq(json_integer_value(json_object_get(r, "n")), NSAMPLES);
		cr_assert_float_eq(json_number_value(json_object_get(r, "median")),
				   sorted_quantile(samples[i], NSAMPLES, 0.5), 1e-9);
		cr_assert_float_eq(json_number_value(json_object_get(r, "p25")),
				   sorted_quantile(samples[i], NSAMPLES, 0.25), 1e-9);
		cr_assert_float_eq(json_number_value(json_object_get(r, "p75")),
				   sorted_quantile(samples[i], NSAMPLES, 0.75), 1e-9);
	}
	json_decref(doc);
	/* The table: every time once, in time order. */
	out = run_out(&st, "%s history show --db h.db --metric " METRIC, bin());
	cr_assert_eq(st, 0);
	for (int k = 0; k < NFILES; k++) {
		const char *pos = strstr(out, times[k]);

		cr_assert(pos && pos > prev_pos, "'%s' missing or out of order:\n%s", times[k],
			  out);
		cr_assert_null(strstr(pos + 1, times[k]));
		prev_pos = pos;
	}
	free(out);
}

Test(history, changes_finds_the_step, .fini = cleanup_dir)
{
	double med[NFILES];
	json_t *doc, *series, *s, *cps, *c;
	size_t i, found = 0;
	int st;

	make_results();
	add_all("h.db");
	for (int k = 0; k < NFILES; k++)
		med[k] = sorted_quantile(samples[k], NSAMPLES, 0.5);
	doc = run_json(&st, "changes --db h.db --json");
	cr_assert_eq(st, 0);
	series = json_object_get(doc, "series");
	cr_assert_geq(json_array_size(series), 3);
	json_array_foreach(series, i, s) {
		const char *name = json_string_value(json_object_get(s, "metric"));

		cps = json_object_get(s, "change_points");
		cr_assert_eq(json_integer_value(json_object_get(s, "runs")), NFILES);
		if (strcmp(name, METRIC)) {
			/* The other metrics are the real run's samples twelve times over. */
			cr_assert_eq(json_array_size(cps), 0, "'%s' changed", name);
			continue;
		}
		found++;
		cr_assert_eq(json_array_size(cps), 1);
		c = json_array_get(cps, 0);
		cr_assert_eq(json_integer_value(json_object_get(c, "index")), STEP_AT);
		cr_assert_str_eq(json_string_value(json_object_get(c, "time")), times[STEP_AT]);
		cr_assert_float_eq(json_number_value(json_object_get(json_object_get(c, "before"),
								     "median")),
				   sorted_quantile(med, STEP_AT, 0.5), 1e-9);
		cr_assert_float_eq(json_number_value(json_object_get(json_object_get(c, "after"),
								     "median")),
				   sorted_quantile(med + STEP_AT, NFILES - STEP_AT, 0.5), 1e-9);
		cr_assert_float_eq(json_number_value(json_object_get(c, "ratio")),
				   sorted_quantile(med + STEP_AT, NFILES - STEP_AT, 0.5) /
				   sorted_quantile(med, STEP_AT, 0.5), 1e-9);
		cr_assert_str_eq(json_string_value(json_object_get(c, "direction")), "worse");
		cr_assert_leq(json_number_value(json_object_get(c, "p_value")), 0.01);
		cr_assert_eq(json_array_size(json_object_get(json_object_get(c, "after"), "runs")),
			     NFILES - STEP_AT);
	}
	cr_assert_eq(found, 1);
	cr_assert_eq(json_integer_value(json_object_get(doc, "change_points")), 1);
	json_decref(doc);
}

Test(history, same_result_twice_is_not_duplicated, .fini = cleanup_dir)
{
	char *out;
	int st;

	make_results();
	add_all("h.db");
	/* The same file, and the same document written out again with other spacing. */
	out = run_out(&st, "python3 -c 'import json,sys; json.dump(json.load(open(\"r03.json\")), "
		      "open(\"again.json\", \"w\"))' && %s history add --db h.db r03.json "
		      "again.json 2>&1", bin());
	cr_assert_eq(st, 0, "%s", out);
	cr_assert(strstr(out, "skipped 'r03.json': already in the history"), "%s", out);
	cr_assert(strstr(out, "skipped 'again.json': already in the history"), "%s", out);
	cr_assert(strstr(out, "0 added, 2 skipped, 12 runs"), "%s", out);
	free(out);
	cr_assert_eq(sql_count("h.db", "SELECT count(*) FROM runs"), NFILES);
	cr_assert_eq(sql_count("h.db", "SELECT count(*) FROM metrics WHERE name = '" METRIC "'"),
		     NFILES);
}

Test(history, bad_input_exits_2_and_changes_nothing, .fini = cleanup_dir)
{
	char *out;
	int st;

	make_results();
	add_all("h.db");
	/* A bad result among good ones: result_load's message, nothing added. */
	out = run_out(&st, "cp h.db before.db && sed 's/\"samples\": \\[/\"samples\": [\"x\", /' "
		      "base.json > bad.json && %s history add --db h.db base.json bad.json 2>&1 "
		      "&& echo added", bin());
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "'bad.json' is not a bpfgauge result: metrics[0].samples[0]"), "%s",
		  out);
	free(out);
	out = run_out(&st, "cmp h.db before.db");
	cr_assert_eq(st, 0, "the history changed: %s", out);
	free(out);
	/* A time that would not sort as time. */
	out = run_out(&st, "sed 's/\"time\": \"[^\"]*\"/\"time\": \"25.11.2026 10:00\"/' "
		      "base.json > when.json && %s history add --db h.db when.json 2>&1", bin());
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "'when.json' has environment.time '25.11.2026 10:00', not "
			 "YYYY-mm-ddTHH:MM:SSZ"), "%s", out);
	free(out);
	cr_assert_eq(sql_count("h.db", "SELECT count(*) FROM runs"), NFILES);
	/* Garbage where the history should be. */
	out = run_out(&st, "head -c 4096 /dev/urandom > junk.db && cp junk.db junk0.db && "
		      "%s history show --db junk.db 2>&1", bin());
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "'junk.db' is not a bpfgauge history"), "%s", out);
	cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "not one line: %s", out);
	free(out);
	out = run_out(&st, "%s history add --db junk.db r00.json 2>&1; echo \"exit $?\"; "
		      "cmp junk.db junk0.db && echo same", bin());
	cr_assert(strstr(out, "exit 2\n") && strstr(out, "same"), "%s", out);
	free(out);
	/* Another application's SQLite file, and no file at all. */
	out = run_out(&st, "sqlite3 other.db 'CREATE TABLE t (x)' && %s history changes "
		      "--db other.db 2>&1", bin());
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "'other.db' is not a bpfgauge history"), "%s", out);
	free(out);
	out = run_out(&st, "%s history show --db none.db 2>&1; ls none.db 2>&1",
		      bin());
	cr_assert(strstr(out, "no history at 'none.db'"), "%s", out);
	cr_assert(strstr(out, "No such file"), "show created it: %s", out);
	free(out);
}

Test(history, too_few_runs_are_said, .fini = cleanup_dir)
{
	char *out;
	int st;

	make_results();
	out = run_out(&st, "%s history add --db few.db r00.json r01.json r02.json r03.json "
		      ">/dev/null && %s history changes --db few.db --metric " METRIC,
		      bin(), bin());
	cr_assert_eq(st, 0, "%s", out);
	cr_assert(strstr(out, "4 runs with samples: too few for change points (needs 6"), "%s",
		  out);
	free(out);
	/* Twelve runs are too few for sides of 7. */
	out = run_out(&st, "%s history add --db few.db r*.json >/dev/null && %s history changes "
		      "--db few.db --min-size 7 --json", bin(), bin());
	cr_assert_eq(st, 0, "%s", out);
	cr_assert(strstr(out, "\"status\": \"too few runs\""), "%s", out);
	cr_assert(strstr(out, "\"min_runs\": 14"), "%s", out);
	cr_assert_null(strstr(out, "\"index\""), "%s", out);
	free(out);
}
