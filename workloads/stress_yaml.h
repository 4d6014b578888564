/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of YAML that 'stress-ng --metrics --yaml FILE' writes, read without a YAML
 * library: one document ("---" ... "...") of top-level keys, each holding either "key: value"
 * lines or, for 'metrics', a sequence of such mappings, one per stressor ("- stressor: cpu").
 * Comments, flow collections, anchors and multi-line values are not part of that subset.
 *
 *   stress_yaml_metrics(text, stressor, &m)   0, or -EINVAL when the text is not that subset,
 *                                             is truncated (no "..."), has no entry for the
 *                                             stressor or lacks one of the numbers below
 *   stress_metrics_release(&m)
 *
 * Pure: no I/O.
 */
#ifndef BPFGAUGE_STRESS_YAML_H
#define BPFGAUGE_STRESS_YAML_H

#include <jansson.h>

struct stress_metrics {
	double bogo_ops;	/* bogo-ops */
	double ops_per_s;	/* bogo-ops-per-second-real-time */
	double wall_s;		/* wall-clock-time */
	json_t *fields;		/* every numeric field of the stressor's entry, by its YAML key */
};

int stress_yaml_metrics(const char *text, const char *stressor, struct stress_metrics *m);
void stress_metrics_release(struct stress_metrics *m);

#endif
