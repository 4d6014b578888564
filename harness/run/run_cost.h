/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A suite's [cost NAME] section (suite_cost.h) as a step of a run: 'bpfgauge cost' on its
 * tracer and workloads (cost/cost_run.h), with the run's --reps, --seconds and --cpu when
 * given and the run's workdir.
 *
 *   run_cost(sc, o, prog, &out)   the step "cost NAME": its metrics cost/NAME/WORKLOAD/...
 *                                 into out.metrics, its entry (name cost/NAME) into the
 *                                 document's benchmarks[]. A workload whose median slowdown
 *                                 is above the budget sets out.over_budget, a cost that
 *                                 cannot measure out.broke (run_step_broke()), each said in
 *                                 one line on stderr; interrupted, it keeps the repetitions
 *                                 done. 0, or -ENOMEM
 */
#ifndef BPFGAUGE_RUN_COST_H
#define BPFGAUGE_RUN_COST_H

struct suite_cost;
struct run_once_opts;
struct run_progress;
struct run_once_out;

int run_cost(const struct suite_cost *sc, const struct run_once_opts *o,
	     struct run_progress *prog, struct run_once_out *out);

#endif
