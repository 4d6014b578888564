/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmark metrics: {name, unit, better, samples[]}, named BENCH/VARIANT/MEASURE
 * (e.g. "attach-overhead/uprobe/ns_per_event"). A metric that could not be measured here
 * keeps no samples and says why (status "unsupported" or "skipped", and a reason).
 *
 *   metric_get(set, name, unit, better)   find or add a metric; NULL on ENOMEM. The pointer
 *                                         stays valid until metric_set_release()
 *   metric_find(set, name)                the metric of that name, or NULL
 *   metric_add(m, value)                  append one sample (one repetition)
 *   metric_unavailable(m, status, why)    mark it not measured here, with the reason
 *   metric_to_json(m)                     with median, p25, p75 computed from the samples
 */
#ifndef BPFGAUGE_METRIC_H
#define BPFGAUGE_METRIC_H

#include <stddef.h>
#include <jansson.h>

enum metric_better {
	BETTER_LOWER,
	BETTER_HIGHER,
};

struct metric {
	char name[128];
	char unit[16];		/* "ns", "ops/s", "%", "events/s", ... */
	enum metric_better better;
	double *samples;
	size_t n, cap;
	char status[16];	/* "ok", "unsupported", "skipped", "error" */
	char reason[512];	/* why, when not "ok" (a probe check's reason fits) */
};

struct metric_set {
	struct metric **m;	/* each allocated on its own, so that pointers stay valid */
	size_t n, cap;
};

struct metric *metric_get(struct metric_set *set, const char *name, const char *unit,
			  enum metric_better better);
struct metric *metric_find(const struct metric_set *set, const char *name);
int metric_add(struct metric *m, double value);
void metric_unavailable(struct metric *m, const char *status, const char *why);
json_t *metric_to_json(const struct metric *m);
void metric_set_release(struct metric_set *set);

#endif
