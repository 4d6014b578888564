// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "bench/runner.h"
#include "cost_result.h"
#include "result/env.h"
#include "result/metric.h"
#include "run/run_result.h"
#include "run/suite.h"

/* The four metrics of workload i, one sample per repetition measured in every condition. */
static int add_metrics(const struct cost *c, int i, const char *prefix, struct metric_set *set)
{
	static const struct {
		const char *measure, *unit;
		enum metric_better better;
	} kinds[] = {
		{ "untraced_ops_per_s", "ops/s", BETTER_HIGHER },
		{ "traced_ops_per_s", "ops/s", BETTER_HIGHER },
		{ "slowdown_pct", "%", BETTER_LOWER },
		{ "added_ns", "ns", BETTER_LOWER },
	};
	struct metric *m[4];
	char name[128];

	/* Named as given: a run that broke before setting its workloads up has no ws[i].w. */
	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "%s/%s/%s", prefix, c->names[i], kinds[k].measure);
		m[k] = metric_get(set, name, kinds[k].unit, kinds[k].better);
		if (!m[k])
			return -1;
	}
	if (c->ws[i].skipped[0]) {
		for (int k = 0; k < 4; k++)
			metric_unavailable(m[k], "skipped", c->ws[i].skipped);
		return 0;
	}
	for (int r = 0; r < c->reps_done; r++) {
		const struct bench_sample *u = &c->conds[COST_UNTRACED].samples[r];
		const struct bench_sample *t = &c->conds[COST_TRACED].samples[r];

		if (!u->ok || !t->ok)
			continue;
		if (metric_add(m[0], u->extra[i]) || metric_add(m[1], t->extra[i]) ||
		    metric_add(m[2], cost_slowdown_pct(u->extra[i], t->extra[i])) ||
		    metric_add(m[3], bench_added_ns(u->extra[i], t->extra[i])))
			return -1;
	}
	return 0;
}

int cost_metrics(const struct cost *c, const char *prefix, struct metric_set *set)
{
	for (int i = 0; i < c->nr; i++)
		if (add_metrics(c, i, prefix, set))
			return -1;
	return 0;
}

json_t *cost_result(const struct cost *c)
{
	struct suite s = { .path = "(bpfgauge cost)", .name = "cost",
			   .threshold_pct = COST_THRESHOLD_PCT };
	struct metric_set set = {};
	json_t *doc, *metrics;
	size_t len = 0;

	/* The tracer's command line, as far as it fits. */
	if (c->cmd.object)
		snprintf(s.description, sizeof(s.description), "object %s", c->cmd.object);
	for (char **a = c->cmd.argv; a && *a && len < sizeof(s.description) - 1; a++)
		len += snprintf(s.description + len, sizeof(s.description) - len, "%s%s",
				a == c->cmd.argv ? "" : " ", *a);
	/* Two methods' numbers are not one series: the description tells them apart. */
	len = strlen(s.description);
	if (c->bracketed)
		snprintf(s.description + len, sizeof(s.description) - len, " [bracketed]");
	doc = run_result_new(&s, env_collect());
	if (!doc)
		return NULL;
	metrics = json_object_get(doc, "metrics");
	if (cost_metrics(c, "cost", &set)) {
		metric_set_release(&set);
		json_decref(doc);
		return NULL;
	}
	for (size_t i = 0; i < set.n; i++)
		json_array_append_new(metrics, metric_to_json(set.m[i]));
	metric_set_release(&set);
	return doc;
}
