/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log2 latency histograms read from the kernel (bpf/hist.h), summarised and printed.
 *
 *   hist_read_percpu(map_fd, key, &h)  sum a per-CPU array/hash element over all CPUs
 *   hist_percentile(&h, 0.99, &lo, &hi)   estimated from the buckets: linear within the
 *                                      bucket that holds it, whose values narrowed to the
 *                                      exact [min, max] are [lo, hi] (NULL: not wanted); never
 *                                      outside [min, max]
 *   hist_mean(&h)                      exact: sum / count
 *   hist_print(f, &h, title)           the familiar bucket/count/bar table and a summary line
 *   hist_to_json(&h)                   {count, sum, mean, min, max, p50, p90, p99,
 *                                      percentiles[{q, ns, low_ns, high_ns}], buckets[]}
 */
#ifndef BPFGAUGE_HIST_USER_H
#define BPFGAUGE_HIST_USER_H

#include <stdio.h>
#include <linux/types.h>
#include <jansson.h>

#include "hist.h"

int hist_read_percpu(int map_fd, const void *key, struct hist *out);
void hist_add(struct hist *dst, const struct hist *src);
double hist_mean(const struct hist *h);
double hist_percentile(const struct hist *h, double q, double *low, double *high);
/* "312 ns", "4.1 us", "12.0 ms", "2.50 s" */
void hist_fmt_ns(double ns, char *buf, size_t sz);
void hist_print(FILE *f, const struct hist *h, const char *title);
json_t *hist_to_json(const struct hist *h);

#endif
