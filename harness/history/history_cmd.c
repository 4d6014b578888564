// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge history add/show/changes': the command line over history.h and changepoint.h. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "changepoint.h"
#include "history.h"
#include "history_cmd.h"
#include "lib/numbers.h"
#include "result/result_load.h"
#include "result/result_merge.h"

static const char history_usage[] =
	"usage: bpfgauge history add [--db PATH] RESULT...\n"
	"       bpfgauge history show [--db PATH] [--metric NAME] [--json]\n"
	"       bpfgauge history changes [--db PATH] [--metric NAME] [--alpha P] [--min-size N]\n"
	"                                [--json]\n"
	"\n"
	"Keep results in an SQLite history and find where a metric shifted. Runs are grouped by\n"
	"environment (host, architecture, CPU model and count, virtualization; not the kernel:\n"
	"a kernel upgrade on one machine is what history shows), and ordered by the time in\n"
	"each result. See docs/history.md.\n"
	"\n"
	"  add RESULT...     store results (validated first; one bad file adds none). A result\n"
	"                    already in the history is skipped with a message.\n"
	"  show              the metrics known, with how many runs have them; with --metric,\n"
	"                    its runs per environment: time, kernel, median, [p25, p75], samples\n"
	"  changes           change points in each metric's run medians per environment:\n"
	"                    E-divisive means with a permutation test (999 shuffles, seed 1),\n"
	"                    applied recursively; before/after medians, ratio, p-value, and the\n"
	"                    runs on each side\n"
	"\n"
	"  --db PATH         the history (default " HISTORY_DEFAULT_PATH "; 'add' creates it)\n"
	"  --metric NAME     one metric (names as in results: BENCH/VARIANT/MEASURE)\n"
	"  --alpha P         significance level of each split (default 0.01)\n"
	"  --min-size N      fewest runs on each side of a change point (default 3)\n"
	"  --json            print JSON instead of a table\n"
	"\n"
	"examples:\n"
	"  bpfgauge history add results/*.json\n"
	"  bpfgauge history show --metric attach-overhead/raw_tracepoint/ns_per_event\n"
	"  bpfgauge history changes --json | jq '.series[].change_points[]'\n"
	"\n"
	"Exit codes: 0 success (change points found or not); 2 bad usage, a result that is not\n"
	"valid (nothing is added), or a history that is missing or not a bpfgauge history.\n";

struct history_args {
	const char *db, *metric;
	bool json, colour;
	struct changepoint_opts cp;
};

static int usage_error(const char *fmt, const char *what)
{
	fputs("bpfgauge history: ", stderr);
	fprintf(stderr, fmt, what);
	fputs("; see 'bpfgauge history --help'\n", stderr);
	return 2;
}

static int parse_args(int argc, char **argv, struct history_args *a, bool changes)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "metric", required_argument, NULL, 'm' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "min-size", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	long min_size;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((opt == 'a' || opt == 's') && !changes)
			return usage_error("'%s' is an option of 'history changes'",
					   opt == 'a' ? "--alpha" : "--min-size");
		switch (opt) {
		case 'd': a->db = optarg; break;
		case 'm': a->metric = optarg; break;
		case 'j': a->json = true; break;
		case 'a':
			if (parse_double(optarg, 0, 1, &a->cp.alpha) || !(a->cp.alpha > 0) ||
			    !(a->cp.alpha < 1))
				return usage_error("--alpha '%s' is not a number between 0 and 1",
						   optarg);
			break;
		case 's':
			if (parse_long(optarg, 2, 1000, &min_size))
				return usage_error("--min-size '%s' is not a number from 2 to 1000",
						   optarg);
			a->cp.min_size = min_size;
			break;
		case 'h': fputs(history_usage, stdout); return 1;
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

static int cmd_add(int argc, char **argv, struct history_args *a)
{
	struct loaded_result *r = NULL;
	struct history *h = NULL;
	char err[1024];
	bool existed = access(a->db, F_OK) == 0, began = false;
	size_t n = argc - optind, added = 0;
	int ret = 2;

	if (a->metric || a->json)
		return usage_error("'%s' is an option of 'history show' and 'history changes'",
				   a->metric ? "--metric" : "--json");
	if (!n)
		return usage_error("%s", "'history add' needs result files");
	r = calloc(n, sizeof(*r));
	if (!r)
		goto cleanup;
	/* Every file is read and validated before the history is touched. */
	for (size_t i = 0; i < n; i++) {
		if (result_load(argv[optind + i], &r[i], err, sizeof(err))) {
			fprintf(stderr, "bpfgauge history: %s; nothing added\n", err);
			goto cleanup;
		}
		/* A point of the history is one run: a merge would be one point of many. */
		if (result_runs(r[i].doc) > 1) {
			fprintf(stderr, "bpfgauge history: '%s' holds %zu runs (a baseline, a "
				"calibration or run --runs): add the result of each run instead; "
				"nothing added\n", argv[optind + i], result_runs(r[i].doc));
			goto cleanup;
		}
	}
	if (history_open(a->db, true, &h, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge history: %s\n", err);
		goto cleanup;
	}
	if (history_begin(h)) {
		fprintf(stderr, "bpfgauge history: cannot start a transaction in '%s'\n", a->db);
		goto cleanup;
	}
	began = true;
	for (size_t i = 0; i < n; i++) {
		long long run;
		char key[384];
		int st = history_add(h, &r[i], &run, err, sizeof(err));

		if (st < 0) {
			fprintf(stderr, "bpfgauge history: %s; nothing added\n", err);
			goto cleanup;
		}
		if (st > 0) {
			printf("skipped '%s': already in the history as run %lld\n", r[i].path,
			       run);
			continue;
		}
		added++;
		history_env_key(json_object_get(r[i].doc, "environment"), key, sizeof(key));
		printf("added '%s' as run %lld: %s, %zu metrics (%s)\n", r[i].path, run,
		       r[i].label, json_array_size(json_object_get(r[i].doc, "metrics")), key);
	}
	if (history_commit(h)) {
		fprintf(stderr, "bpfgauge history: cannot commit to '%s'; nothing added\n", a->db);
		goto cleanup;
	}
	began = false;
	printf("%s: %zu added, %zu skipped, %lld runs\n", a->db, added, n - added,
	       history_runs(h));
	ret = 0;
cleanup:
	if (began)
		history_rollback(h);
	history_close(h);
	/* A history this command created and could not fill is not left behind. */
	if (ret && !existed)
		unlink(a->db);
	for (size_t i = 0; r && i < n; i++)
		result_unload(&r[i]);
	free(r);
	return ret;
}

static json_t *num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static void show_metrics_text(struct history *h, const struct history_args *a,
			      const struct history_metric_info *l, size_t n)
{
	int w = 6;

	if (!n) {
		printf("no metrics in '%s' (%lld runs)\n", a->db, history_runs(h));
		return;
	}
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(l[i].name) > w)
			w = strlen(l[i].name);
	printf("%-*s %-8s %-6s %6s %9s %13s\n", w, "metric", "unit", "better", "runs", "measured",
	       "environments");
	for (size_t i = 0; i < n; i++)
		printf("%-*s %-8s %-6s %6zu %9zu %13zu\n", w, l[i].name, l[i].unit, l[i].better,
		       l[i].runs, l[i].measured, l[i].environments);
	printf("\n%zu metrics in %lld runs; 'bpfgauge history show --metric NAME' lists one\n", n,
	       history_runs(h));
}

static int show_metrics(struct history *h, const struct history_args *a)
{
	struct history_metric_info *l;
	size_t n;
	json_t *doc, *arr;

	if (history_metrics(h, &l, &n))
		return -EIO;
	if (!a->json) {
		show_metrics_text(h, a, l, n);
		free(l);
		return 0;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s s:s s:s s:I s:I s:I}", "name", l[i].name,
						     "unit", l[i].unit, "better", l[i].better,
						     "runs", (json_int_t)l[i].runs,
						     "measured", (json_int_t)l[i].measured,
						     "environments",
						     (json_int_t)l[i].environments));
	doc = json_pack("{s:s s:I s:o}", "db", a->db, "runs", (json_int_t)history_runs(h),
			"metrics", arr);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
	free(l);
	return 0;
}

static json_t *point_json(const struct history_point *p)
{
	json_t *o = json_pack("{s:I s:s s:s s:s s:s s:s}", "run", (json_int_t)p->run, "time",
			      p->time, "kernel", p->kernel, "suite", p->suite, "path", p->path,
			      "status", p->status);

	if (p->reason[0])
		json_object_set_new(o, "reason", json_string(p->reason));
	json_object_set_new(o, "n", json_integer(p->n));
	json_object_set_new(o, "median", num_or_null(p->median));
	json_object_set_new(o, "p25", num_or_null(p->p25));
	json_object_set_new(o, "p75", num_or_null(p->p75));
	return o;
}

static void show_series_text(const struct history_args *a, const struct history_series *l,
			     size_t n)
{
	printf("%s (%s, %s is better)\n", a->metric, l[0].unit, l[0].better);
	for (size_t i = 0; i < n; i++) {
		int kw = 6;

		for (size_t j = 0; j < l[i].n; j++)
			if ((int)strlen(l[i].points[j].kernel) > kw)
				kw = strlen(l[i].points[j].kernel);
		printf("\n%s%s%s: %zu run%s\n", a->colour ? "\033[1m" : "", l[i].env_key,
		       a->colour ? "\033[0m" : "", l[i].n, l[i].n == 1 ? "" : "s");
		printf("  %-20s  %-*s %12s  %-25s %4s\n", "time", kw, "kernel", "median",
		       "[p25, p75]", "n");
		for (size_t j = 0; j < l[i].n; j++) {
			const struct history_point *p = &l[i].points[j];
			char range[64];

			if (!p->n) {
				printf("  %-20s  %-*s %12s  %s\n", p->time, kw, p->kernel,
				       p->status, p->reason);
				continue;
			}
			snprintf(range, sizeof(range), "[%.4g, %.4g]", p->p25, p->p75);
			printf("  %-20s  %-*s %12.4g  %-25s %4zu\n", p->time, kw, p->kernel,
			       p->median, range, p->n);
		}
	}
}

static int show_series(struct history *h, const struct history_args *a)
{
	struct history_series *l;
	json_t *doc, *arr;
	size_t n;

	if (history_series(h, a->metric, &l, &n))
		return -EIO;
	if (!n) {
		fprintf(stderr, "bpfgauge history: no metric '%s' in '%s'; 'bpfgauge history show' "
			"lists them\n", a->metric, a->db);
		return -ENOENT;
	}
	if (!a->json) {
		show_series_text(a, l, n);
		history_series_free(l, n);
		return 0;
	}
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *runs = json_array();

		for (size_t j = 0; j < l[i].n; j++)
			json_array_append_new(runs, point_json(&l[i].points[j]));
		json_array_append_new(arr, json_pack("{s:s s:o}", "environment", l[i].env_key,
						     "runs", runs));
	}
	doc = json_pack("{s:s s:s s:s s:s s:o}", "db", a->db, "metric", a->metric, "unit",
			l[0].unit, "better", l[0].better, "series", arr);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
	history_series_free(l, n);
	return 0;
}

static int open_or_say(const struct history_args *a, struct history **h)
{
	char err[1024];

	if (history_open(a->db, false, h, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge history: %s\n", err);
		return 2;
	}
	return 0;
}

static int cmd_show(int argc, char **argv, struct history_args *a)
{
	struct history *h;
	int ret;

	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (open_or_say(a, &h))
		return 2;
	ret = a->metric ? show_series(h, a) : show_metrics(h, a);
	if (ret == -EIO)
		fprintf(stderr, "bpfgauge history: cannot read '%s'\n", a->db);
	history_close(h);
	return ret ? 2 : 0;
}

static int cmd_changes(int argc, char **argv, struct history_args *a)
{
	struct history *h;
	int ret;

	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (open_or_say(a, &h))
		return 2;
	ret = history_changes_print(h, a->db, a->metric, &a->cp, a->json, a->colour);
	history_close(h);
	return ret ? 2 : 0;
}

int cmd_history(int argc, char **argv)
{
	struct history_args a = { .db = HISTORY_DEFAULT_PATH, .cp = CHANGEPOINT_OPTS_DEFAULT };
	const char *sub = argc > 1 ? argv[1] : NULL;
	int ret;

	if (!sub || !strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		fputs(history_usage, sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	if (strcmp(sub, "add") && strcmp(sub, "show") && strcmp(sub, "changes"))
		return usage_error("unknown subcommand '%s' (add, show, changes)", sub);
	ret = parse_args(argc - 1, argv + 1, &a, !strcmp(sub, "changes"));
	if (ret)
		return ret == 1 ? 0 : ret;
	a.colour = isatty(STDOUT_FILENO) && !a.json;
	/* getopt's optind now indexes argv + 1. */
	if (!strcmp(sub, "add"))
		return cmd_add(argc - 1, argv + 1, &a);
	if (!strcmp(sub, "show"))
		return cmd_show(argc - 1, argv + 1, &a);
	return cmd_changes(argc - 1, argv + 1, &a);
}
