// SPDX-License-Identifier: GPL-2.0
/* run_cost(): a suite's [cost NAME] section as a step of a run (run_cost.h). */
#include <errno.h>
#include <stdio.h>

#include "lib/clock.h"
#include "cost/cost_report.h"
#include "cost/cost_result.h"
#include "cost/cost_run.h"
#include "run_cost.h"
#include "run_once.h"
#include "run_output.h"
#include "suite_cost.h"
#include "suite_cpu.h"

/* The section's entry of benchmarks[]: what it ran, as benchmarks' entries say it. */
static json_t *cost_entry(const struct suite_cost *sc, const struct cost *c, const char *name)
{
	json_t *e = json_pack("{s:s s:s s:i s:f s:i}", "name", name, "command", sc->command,
			      "reps", c->reps, "seconds", c->o.seconds, "cpu", c->o.cpu);

	if (e && sc->budget_pct >= 0)
		json_object_set_new(e, "budget_pct", json_real(sc->budget_pct));
	return e;
}

/* Each workload into the entry: skipped and why, or whether it was over the budget. */
static void cost_workloads(const struct suite_cost *sc, const struct cost *c,
			   const struct cost_row *rows, json_t *entry)
{
	json_t *ws = json_array();

	for (int i = 0; i < c->nr; i++) {
		json_t *w = json_pack("{s:s}", "name", c->names[i]);

		if (c->ws[i].skipped[0])
			json_object_set_new(w, "skipped", json_string(c->ws[i].skipped));
		else if (sc->budget_pct >= 0)
			json_object_set_new(w, "over_budget",
					    json_boolean(cost_workload_over(c, rows, i,
									    sc->budget_pct)));
		json_array_append_new(ws, w);
	}
	json_object_set_new(entry, "workloads", ws);
}

int run_cost(const struct suite_cost *sc, const struct run_once_opts *o,
	     struct run_progress *prog, struct run_once_out *out)
{
	/* The run's --reps, --seconds and --cpu over the section's, as for benchmarks. */
	struct cost c = { .names = sc->workloads, .nr = sc->nr_workloads,
			  .reps = o->reps ? o->reps : sc->reps,
			  .o = { .seconds = o->seconds > 0 ? o->seconds : sc->seconds,
				 .cpu = o->cpu != SUITE_CPU_UNSET ? o->cpu : sc->cpu,
				 .workdir = o->workdir },
			  .ready_after = sc->ready_after, .ready_timeout = sc->ready_timeout,
			  .stats_fd = -1, .t.log_fd = -1 };
	struct cost_row rows[COST_MAX_WORKLOADS];
	char name[64], what[64], why[512] = "";
	size_t first = out->metrics.n;
	double t0 = clock_now_s();
	int err, nr_over = 0;
	json_t *entry;

	snprintf(name, sizeof(name), "cost/%s", sc->name);
	snprintf(what, sizeof(what), "cost %s", sc->name);
	run_step_begin(prog, what);
	entry = cost_entry(sc, &c, name);
	if (!entry || json_array_append_new(json_object_get(out->doc, "benchmarks"), entry))
		return -ENOMEM;
	/* Its progress on the run's step line, not over it. */
	c.progress = run_bench_progress;
	c.progress_priv = prog;
	err = cost_run(&c, sc->words.we_wordv, why, sizeof(why));
	/* Also of a run that broke (made "error" below), or was interrupted after a repetition. */
	if ((err != -EINTR || c.reps_done) && cost_metrics(&c, name, &out->metrics)) {
		cost_release(&c);
		return -ENOMEM;
	}
	if (!err) {
		cost_summarize(&c, rows);
		cost_workloads(sc, &c, rows, entry);
		nr_over = cost_over_budget(&c, rows, sc->budget_pct);
	}
	run_step_end(prog, clock_now_s() - t0, err == -EINTR ? "interrupted" : err ? "broke" :
		     nr_over ? "over budget" : "done");
	for (int i = 0; nr_over && i < c.nr; i++)
		if (cost_workload_over(&c, rows, i, sc->budget_pct))
			fprintf(stderr, "bpfgauge run: cost '%s' over budget: workload '%s' slowed "
				"down %.4g%% (median), budget %g%%\n", sc->name, c.names[i],
				rows[i].slowdown_pct.median, sc->budget_pct);
	out->over_budget |= nr_over > 0;
	snprintf(what, sizeof(what), "cost '%s'", sc->name);
	if (err && err != -EINTR)
		run_step_broke(out, entry, first, what, err, why);
	cost_release(&c);
	return 0;
}
