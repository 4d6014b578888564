/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-metric comparison of a base and a new set of samples, as 'bpfgauge compare' reports it:
 * the ratio of medians with a seeded bootstrap CI, the Mann-Whitney p-value, Holm over the
 * metrics compared together, and a verdict. docs/compare.md explains the rules.
 *
 *   metric_cmp_measure(base, nb, cur, nn, o, c)  ratio, CI, U, p (p_adj = p until Holm;
 *                                                resamples below 2000 count as 2000): the
 *                                                repetitions of one run on each side
 *   metric_cmp_runs(base, kb, cur, kn, noise, o, c)   the same from run values, the run as
 *                                                the unit of replication: the ratio of their
 *                                                geometric means, a t interval and test on
 *                                                the log scale with the spread of the runs
 *                                                of both sides pooled with 'noise' (a
 *                                                calibration's); -EDOM without a degree of
 *                                                freedom or with a run value not above 0
 *   metric_cmp_holm(c, n)                        Holm-Bonferroni: sets each p_adj
 *   metric_cmp_decide(c, higher_is_better, o)    the verdict, and why when inconclusive
 *   verdict_name(v)                              "unchanged", "improved", "regressed", ...
 *   mannwhitney_min_p(na, nb)                    smallest attainable two-sided p (no ties)
 */
#ifndef BPFGAUGE_VERDICT_H
#define BPFGAUGE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

enum verdict { VERDICT_UNCHANGED, VERDICT_IMPROVED, VERDICT_REGRESSED, VERDICT_INCONCLUSIVE };

struct compare_opts {
	double threshold_pct;	/* the metric's regression threshold (suite's; default 5) */
	double alpha;		/* significance level after Holm (default 0.01) */
	int resamples;		/* bootstrap resamples (default 10000, at least 2000) */
	double level;		/* confidence level of the interval (default 0.95) */
	unsigned long seed;	/* bootstrap RNG seed (default fixed: 1), so reruns print the same */
};
#define COMPARE_OPTS_DEFAULT { .threshold_pct = 5, .alpha = 0.01, .resamples = 10000, \
			       .level = 0.95, .seed = 1 }
#define COMPARE_MIN_SAMPLES 5

/* Run-to-run noise measured elsewhere (calibrations): the sum of squared deviations of log
 * run values from the mean of their own set, and its degrees of freedom (runs - sets). */
struct run_noise {
	double ss;
	int df;
};

struct metric_cmp {
	size_t nb, nn;			/* samples of base and new */
	bool by_runs;			/* from run values (metric_cmp_runs) */
	size_t kb, kn;			/* runs of base and new */
	int df;				/* by_runs: degrees of freedom of the pooled spread */
	double sd_pct;			/* by_runs: run-to-run sd of log run values, in % */
	bool fastest;			/* by_runs: the run values are fastest repetitions
					   (ops/s), not medians (run_values.h) */
	double base_median, new_median;
	double ratio, ci_lo, ci_hi;	/* median(new)/median(base) and its bootstrap CI; NAN when
					   there is no ratio (see why) */
	double u, p;			/* Mann-Whitney U (of new) and its two-sided p-value */
	double p_adj;			/* after Holm over the set (metric_cmp_holm) */
	enum verdict verdict;
	char why[256];			/* one line: why inconclusive, or empty */
};

/* Fills everything but p_adj and verdict: ratio, CI (seeded percentile bootstrap of the ratio
 * of medians, base and new resampled independently, GSL's gsl_rng_mt19937), U and p.
 * 0, or -EINVAL when a side has no samples. */
int metric_cmp_measure(const double *base, size_t nb, const double *cur, size_t nn,
		       const struct compare_opts *o, struct metric_cmp *c);
int metric_cmp_runs(const double *base, size_t kb, const double *cur, size_t kn,
		    const struct run_noise *noise, const struct compare_opts *o,
		    struct metric_cmp *c);
/* Holm-Bonferroni over n comparisons: sets each p_adj (monotone, capped at 1). */
void metric_cmp_holm(struct metric_cmp *const *c, size_t n);
/* The verdict from ratio, CI and p_adj, for a metric where 'higher_is_better' or not. */
void metric_cmp_decide(struct metric_cmp *c, bool higher_is_better, const struct compare_opts *o);
const char *verdict_name(enum verdict v);	/* "unchanged", "improved", ... */
/* The smallest two-sided p-value Mann-Whitney can give with na and nb samples (no ties):
 * 2 / C(na+nb, na). Lets the caller warn that with m metrics, Holm and alpha, too few
 * repetitions can never reach significance (and say how many would). */
double mannwhitney_min_p(size_t na, size_t nb);

#endif
