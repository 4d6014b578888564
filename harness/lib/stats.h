/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics over a handful of samples (benchmark repetitions).
 *   stats_quantile(v, n, 0.5)   linear interpolation between order statistics (type 7)
 *   stats_summary(v, n, &s)     median, p25, p75, min, max
 *   stats_log_moments(v, n, &mean, &ss)   mean of the natural logarithms and the sum of
 *                               their squared deviations from it; -EDOM when a value is not
 *                               above 0 (run-to-run noise is modelled on the log scale)
 *   stats_wilson(k, n, &lo, &hi)   95% interval of a share: k of n independent samples
 *                               (Wilson's score interval, inside [0, 1] even for k = 0 or n)
 */
#ifndef BPFGAUGE_STATS_H
#define BPFGAUGE_STATS_H

#include <stddef.h>

#define STATS_Z95 1.959964	/* the normal quantile of a two-sided 95% interval */

struct stats_summary {
	double median, p25, p75, min, max;
	size_t n;
};

double stats_quantile(const double *v, size_t n, double q);
void stats_summarize(const double *v, size_t n, struct stats_summary *s);
int stats_log_moments(const double *v, size_t n, double *mean, double *ss);
void stats_wilson(double k, double n, double *lo, double *hi);

#endif
