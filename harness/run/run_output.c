// SPDX-License-Identifier: GPL-2.0
/* What a run prints: its progress on stderr and its metrics on stdout (run_output.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench/benchmark.h"
#include "result/run_values.h"
#include "lib/stats.h"
#include "result/result_merge.h"
#include "run_output.h"

void run_bench_progress(struct bench_ctx *c, const char *fmt, ...)
{
	struct run_progress *p = c->priv;
	va_list ap;

	if (!p->live)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s: ", p->step, p->steps, p->step_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void run_step_begin(struct run_progress *p, const char *name)
{
	p->step++;
	snprintf(p->step_name, sizeof(p->step_name), "%s", name);
	if (p->live)
		fprintf(stderr, "\r\033[K[%d/%d] %s", p->step, p->steps, name);
	else
		fprintf(stderr, "[%d/%d] %s ...\n", p->step, p->steps, name);
}

void run_step_end(struct run_progress *p, double seconds, const char *what)
{
	if (p->live)
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "[%d/%d] %s: %s in %.1f s\n", p->step, p->steps, p->step_name, what,
		seconds);
}

/* The spread of a metric's run values (a throughput's fastest repetition, else the median:
 * result/run_values.h), all runs: the standard deviation of their logarithms, in % (about
 * the run-to-run change of a typical run), or NAN with fewer than 2 runs. */
static double run_spread_pct(const json_t *m)
{
	double med[RESULT_MAX_RUNS], mean, ss;
	size_t n = metric_run_values(m, true, med, RESULT_MAX_RUNS, NULL);

	if (n < 2 || stats_log_moments(med, n, &mean, &ss))
		return NAN;
	return 100 * sqrt(ss / (n - 1));
}

void run_print_metrics(const json_t *metrics)
{
	const json_t *m;
	bool runs = false;
	size_t i;
	int w = 6;

	if (!json_array_size(metrics))
		return;
	json_array_foreach(metrics, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));

		if ((int)strlen(name) > w)
			w = strlen(name);
		runs |= json_array_size(json_object_get(m, "run_medians")) > 1;
	}
	printf("\n%-*s %12s %25s  %-6s%s\n", w, "metric", "median", "[p25, p75]", "unit",
	       runs ? "  run-to-run" : "");
	json_array_foreach(metrics, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *status = json_string_value(json_object_get(m, "status"));
		const char *reason = json_string_value(json_object_get(m, "reason"));
		double spread = run_spread_pct(m);
		char range[64], sd[32] = "";

		if (strcmp(status, "ok") || !json_array_size(json_object_get(m, "samples"))) {
			printf("%-*s %12s  %s\n", w, name, status, reason ? reason : "no samples");
			continue;
		}
		snprintf(range, sizeof(range), "[%.4g, %.4g]",
			 json_number_value(json_object_get(m, "p25")),
			 json_number_value(json_object_get(m, "p75")));
		if (!isnan(spread))
			snprintf(sd, sizeof(sd), "  sd %.1f%%", spread);
		printf("%-*s %12.4g %25s  %-6s%s\n", w, name,
		       json_number_value(json_object_get(m, "median")), range,
		       json_string_value(json_object_get(m, "unit")), sd);
	}
}
