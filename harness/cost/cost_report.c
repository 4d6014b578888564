// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost_report.h"

void cost_summarize(const struct cost *c, struct cost_row *rows)
{
	for (int i = 0; i < c->nr; i++) {
		const struct cost_workload *cw = &c->ws[i];
		double u[COST_MAX_REPS], t[COST_MAX_REPS], pct[COST_MAX_REPS], add[COST_MAX_REPS];
		double st[COST_MAX_REPS], ns = 0;
		size_t n = 0;

		memset(&rows[i], 0, sizeof(rows[i]));
		if (cw->skipped[0])
			continue;
		for (int r = 0; r < c->reps_done && n < COST_MAX_REPS; r++) {
			const struct bench_sample *a = &c->conds[COST_UNTRACED].samples[r];
			const struct bench_sample *b = &c->conds[COST_TRACED].samples[r];
			const struct bench_sample *s = &c->conds[COST_ATTRIBUTED].samples[r];

			if (!a->ok || !b->ok || !s->ok)
				continue;
			u[n] = a->extra[i];
			t[n] = b->extra[i];
			st[n] = s->extra[i];
			pct[n] = cost_slowdown_pct(u[n], t[n]);
			add[n] = bench_added_ns(u[n], t[n]);
			n++;
		}
		stats_summarize(u, n, &rows[i].untraced);
		stats_summarize(t, n, &rows[i].traced);
		stats_summarize(pct, n, &rows[i].slowdown_pct);
		stats_summarize(add, n, &rows[i].added_ns);
		stats_summarize(st, n, &rows[i].with_stats);
		for (int p = 0; p < cw->nr_progs; p++)
			ns += cw->progs[p].run_ns;
		rows[i].prog_ns_per_op = cw->traced_ops > 0 ? ns / cw->traced_ops : NAN;
		rows[i].tracer_cpu_pct = cw->traced_s > 0 && cw->cpu_known
						 ? cw->tracer_cpu_us / 1e4 / cw->traced_s
						 : NAN;
	}
}

static int by_run_ns(const void *a, const void *b)
{
	const struct cost_prog *x = a, *y = b;

	return (x->run_ns < y->run_ns) - (x->run_ns > y->run_ns);
}

/* The workload's programs, the most CPU first (a sorted copy). */
static int progs_sorted(const struct cost_workload *cw, struct cost_prog *out)
{
	memcpy(out, cw->progs, cw->nr_progs * sizeof(*out));
	qsort(out, cw->nr_progs, sizeof(*out), by_run_ns);
	return cw->nr_progs;
}

/* How a bracketed run was measured, and how far the machine drifted meanwhile. */
static void bracket_note(const struct cost *c, FILE *f)
{
	char why[64];
	int shown = 0;

	if (c->bracket)
		snprintf(why, sizeof(why), "--bracket");
	else
		snprintf(why, sizeof(why), "the tracer took %.1f s to be ready", c->ready_s);
	fprintf(f,
		"Bracketed (%s): the tracer started once, for all\n"
		"%d traced repetitions, between %d untraced ones before and %d after (+1 warm-up\n"
		"each, discarded); each traced run paired with the geometric mean of its\n"
		"repetition's untraced runs before and after: a steady drift cancels in the\n"
		"median, not in the p25..p75 spread.\n",
		why, c->reps_done, c->reps_done, c->reps_done);
	for (int i = 0; i < c->nr; i++)
		if (isfinite(c->ws[i].drift_pct))
			fprintf(f, "%s %s %+.1f%%",
				shown++ ? "," : "Drift, untraced after vs before:",
				c->ws[i].w->name, c->ws[i].drift_pct);
	if (shown)
		fprintf(f, ".\n");
	for (int i = 0; i < c->nr; i++)
		if (fabs(c->ws[i].drift_pct) > COST_DRIFT_WARN_PCT)
			fprintf(f,
				"warning: %s drifted %+.1f%% while the tracer ran: its slowdown\n"
				"is uncertain by about that much\n",
				c->ws[i].w->name, c->ws[i].drift_pct);
}

void cost_print(const struct cost *c, const struct cost_row *rows, double budget, FILE *f)
{
	fprintf(f, "%-14s %11s %11s %22s %12s %12s %10s\n", "workload", "untraced/s", "traced/s",
		"slowdown % [p25,p75]", "added ns/op", "progs ns/op", "tracer CPU");
	for (int i = 0; i < c->nr; i++) {
		const struct cost_workload *cw = &c->ws[i];
		const struct cost_row *r = &rows[i];
		struct cost_prog ps[COST_MAX_PROGS];
		char sl[48], cpu[16];
		int n;

		if (cw->skipped[0]) {
			fprintf(f, "%-14s skipped: %s\n", cw->w->name, cw->skipped);
			continue;
		}
		snprintf(sl, sizeof(sl), "%.2f [%.2f,%.2f]", r->slowdown_pct.median,
			 r->slowdown_pct.p25, r->slowdown_pct.p75);
		if (isfinite(r->tracer_cpu_pct))
			snprintf(cpu, sizeof(cpu), "%.1f%%", r->tracer_cpu_pct);
		else
			snprintf(cpu, sizeof(cpu), "unknown");
		fprintf(f, "%-14s %11.4g %11.4g %22s %12.1f %12.1f %10s%s\n", cw->w->name,
			r->untraced.median, r->traced.median, sl, r->added_ns.median,
			r->prog_ns_per_op, cpu,
			cost_workload_over(c, rows, i, budget) ? "  OVER BUDGET" : "");
		n = progs_sorted(cw, ps);
		for (int p = 0; p < n && p < 3; p++) {
			double runs_per_op = cw->traced_ops ? ps[p].runs / cw->traced_ops : 0;

			/* The hook last: a uprobe's path is as long as it is. */
			fprintf(f, "    %-16s %-15s %7.2f runs/op %7.1f ns/run %5.2f%% CPU  %s\n",
				ps[p].name, ps[p].type, runs_per_op,
				ps[p].runs ? (double)ps[p].run_ns / ps[p].runs : 0,
				cw->traced_s ? ps[p].run_ns / 1e7 / cw->traced_s : 0,
				ps[p].hook[0] ? ps[p].hook : "(unknown)");
		}
		if (n > 3 || cw->progs_lost)
			fprintf(f, "    (%d more program%s%s)\n", n > 3 ? n - 3 : 0,
				n - 3 == 1 ? "" : "s",
				cw->progs_lost ? ", and more not counted" : "");
	}
	fprintf(f, "\n");
	if (c->bracketed)
		bracket_note(c, f);
	else
		fprintf(f,
			"%d repetitions (+1 warm-up, discarded), the tracer started before each\n"
			"traced run, each paired with its repetition's untraced run.\n",
			c->reps_done);
	fprintf(f,
		"Slowdown: how much longer an operation takes.\n"
		"Programs and 'progs ns/op' (the run time the kernel counted in the tracer's\n"
		"programs per operation) come from separate runs with the kernel's run-time stats\n"
		"on, which add two clock reads to each program run. What 'added ns/op' holds\n"
		"beyond 'progs ns/op' is the tracer's cost outside its programs: the hooks\n"
		"themselves (a tracepoint's perf-event path, the syscall slow path), its\n"
		"processes, wakeups, caches. Programs count runs for every process: on a busy\n"
		"machine, runs per operation and 'progs ns/op' include other processes'. 'tracer\n"
		"CPU': its processes, %% of one CPU.\n");
	if (!c->stats_seen)
		fprintf(f, "note: no program reported run time: the kernel counts none here\n");
	if (budget < 0)
		fprintf(f, "No --budget: no verdict.\n");
	else
		fprintf(f, "Budget %.2f%%: %d workload(s) over it.\n", budget,
			cost_over_budget(c, rows, budget));
}

static json_t *summary_json(const struct stats_summary *s)
{
	return json_pack("{s:f s:f s:f}", "median", s->median, "p25", s->p25, "p75", s->p75);
}

/* A number, or null when it is not known. */
static json_t *maybe(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {"command": [ARGS]} or {"object": FILE} */
static json_t *tracer_json(const struct tracer_cmd *cmd)
{
	json_t *args = json_array();

	if (cmd->object) {
		json_decref(args);
		return json_pack("{s:s}", "object", cmd->object);
	}
	for (char **a = cmd->argv; a && *a; a++)
		json_array_append_new(args, json_string(*a));
	return json_pack("{s:o}", "command", args);
}

json_t *cost_json(const struct cost *c, const struct cost_row *rows, double budget)
{
	json_t *ws = json_array(), *doc;

	for (int i = 0; i < c->nr; i++) {
		const struct cost_workload *cw = &c->ws[i];
		const struct cost_row *r = &rows[i];
		struct cost_prog ps[COST_MAX_PROGS];
		json_t *progs = json_array(), *w;
		int n = progs_sorted(cw, ps);

		if (cw->skipped[0]) {
			json_array_append_new(ws, json_pack("{s:s s:s}", "name", cw->w->name,
							    "skipped", cw->skipped));
			json_decref(progs);
			continue;
		}
		for (int p = 0; p < n; p++)
			json_array_append_new(
				progs,
				json_pack("{s:s s:s s:s s:I s:I s:f s:f s:f}", "name", ps[p].name,
					  "type", ps[p].type, "hook", ps[p].hook, "runs",
					  (json_int_t)ps[p].runs, "run_ns",
					  (json_int_t)ps[p].run_ns, "runs_per_op",
					  cw->traced_ops ? ps[p].runs / cw->traced_ops : 0.0,
					  "ns_per_run",
					  ps[p].runs ? (double)ps[p].run_ns / ps[p].runs : 0.0,
					  "cpu_pct",
					  cw->traced_s ? ps[p].run_ns / 1e7 / cw->traced_s : 0.0));
		w = json_pack("{s:s s:o s:o s:o s:o s:o s:o s:o s:o s:b}", "name", cw->w->name,
			      "untraced_ops_per_s", summary_json(&r->untraced), "traced_ops_per_s",
			      summary_json(&r->traced), "with_stats_ops_per_s",
			      summary_json(&r->with_stats), "slowdown_pct",
			      summary_json(&r->slowdown_pct), "added_ns_per_op",
			      summary_json(&r->added_ns), "progs_ns_per_op",
			      maybe(r->prog_ns_per_op), "tracer_cpu_pct", maybe(r->tracer_cpu_pct),
			      "programs", progs, "programs_lost", cw->progs_lost);
		if (c->bracketed)
			json_object_set_new(w, "drift_pct", maybe(cw->drift_pct));
		if (budget >= 0)
			json_object_set_new(w, "over_budget",
					    json_boolean(cost_workload_over(c, rows, i, budget)));
		json_array_append_new(ws, w);
	}
	doc = json_pack("{s:o s:s s:f s:i s:f s:i s:o}", "tracer", tracer_json(&c->cmd), "method",
			c->bracketed ? "bracketed" : "interleaved", "ready_s", c->ready_s, "reps",
			c->reps_done, "seconds", c->o.seconds, "cpu", c->o.cpu, "workloads", ws);
	if (budget >= 0)
		json_object_set_new(doc, "budget_pct", json_real(budget));
	return doc;
}

bool cost_workload_over(const struct cost *c, const struct cost_row *rows, int i, double budget)
{
	return budget >= 0 && !c->ws[i].skipped[0] && rows[i].slowdown_pct.median > budget;
}

int cost_over_budget(const struct cost *c, const struct cost_row *rows, double budget)
{
	int over = 0;

	for (int i = 0; i < c->nr; i++)
		over += cost_workload_over(c, rows, i, budget);
	return over;
}
