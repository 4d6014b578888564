// SPDX-License-Identifier: GPL-2.0
/* What a run prints: its progress on stderr and its metrics on stdout (run_output.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench/benchmark.h"
#include "lib/stats.h"
#include "result/metric.h"
#include "run_output.h"

double run_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

void run_print_metrics(const struct metric_set *ms)
{
	int w = 6;

	for (size_t i = 0; i < ms->n; i++)
		if ((int)strlen(ms->m[i]->name) > w)
			w = strlen(ms->m[i]->name);
	printf("\n%-*s %12s %25s  %s\n", w, "metric", "median", "[p25, p75]", "unit");
	for (size_t i = 0; i < ms->n; i++) {
		const struct metric *m = ms->m[i];
		struct stats_summary s;
		char range[64];

		if (strcmp(m->status, "ok") || !m->n) {
			printf("%-*s %12s  %s\n", w, m->name, m->status, m->reason);
			continue;
		}
		stats_summarize(m->samples, m->n, &s);
		snprintf(range, sizeof(range), "[%.4g, %.4g]", s.p25, s.p75);
		printf("%-*s %12.4g %25s  %s\n", w, m->name, s.median, range, m->unit);
	}
}
