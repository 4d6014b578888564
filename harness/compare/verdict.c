// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts of 'bpfgauge compare' (docs/compare.md): a change is called only when it is both
 * significant (Mann-Whitney p after Holm below alpha) and large (the whole bootstrap CI of the
 * ratio of medians beyond the threshold); "unchanged" needs the whole CI inside the threshold.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "lib/stats.h"
#include "mannwhitney.h"
#include "verdict.h"

#define MIN_RESAMPLES 2000

static bool all_zero(const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0)
			return false;
	return true;
}

int metric_cmp_measure(const double *base, size_t nb, const double *cur, size_t nn,
		       const struct compare_opts *o, struct metric_cmp *c)
{
	int resamples = o->resamples < MIN_RESAMPLES ? MIN_RESAMPLES : o->resamples;
	int err;

	if (!nb || !nn)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->nb = nb;
	c->nn = nn;
	c->base_median = stats_quantile(base, nb, 0.5);
	c->new_median = stats_quantile(cur, nn, 0.5);
	c->verdict = VERDICT_INCONCLUSIVE;
	err = mannwhitney(cur, nn, base, nb, &c->u, &c->p);
	if (err)
		return err;
	c->p_adj = c->p;
	if (all_zero(base, nb) && all_zero(cur, nn)) {
		c->ratio = c->ci_lo = c->ci_hi = 1;
		return 0;
	}
	if (c->base_median <= 0 || c->new_median < 0) {
		c->ratio = c->ci_lo = c->ci_hi = NAN;
		return 0;
	}
	c->ratio = c->new_median / c->base_median;
	return bootstrap_ratio_ci(base, nb, cur, nn, resamples, o->level, o->seed, &c->ci_lo,
				  &c->ci_hi);
}

/*
 * Holm: with the m p-values sorted, p_adj(i) = max over j <= i of min(1, (m - j) p(j)), j from 0.
 * Done without sorting (a few hundred metrics at most, and nothing can fail): first each p_adj
 * is min(1, (m - below) p), 'below' the number of p-values smaller than p (for equal p-values
 * the multiplier of the first of them, which the running maximum keeps anyway); then each
 * takes the maximum over those with p no larger. That pass may read values it already raised:
 * they are maxima over subsets of the same set, so the result is the same.
 * Comparisons without a p-value (NAN) are left out, and their p_adj is NAN.
 */
void metric_cmp_holm(struct metric_cmp *const *c, size_t n)
{
	size_t m = 0, i, j, below;

	for (i = 0; i < n; i++)
		m += !isnan(c[i]->p);
	for (i = 0; i < n; i++) {
		below = 0;
		for (j = 0; j < n; j++)
			below += c[j]->p < c[i]->p;	/* false for NAN */
		c[i]->p_adj = isnan(c[i]->p) ? NAN : fmin(1, (m - below) * c[i]->p);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (c[j]->p <= c[i]->p)
				c[i]->p_adj = fmax(c[i]->p_adj, c[j]->p_adj);
}

/* p formatted so that it never reads the same as alpha when it is not. */
static void fmt_p(char *buf, size_t len, double p, double alpha)
{
	char a[32];

	snprintf(a, sizeof(a), "%g", alpha);
	for (int prec = 2; prec <= 12; prec++) {
		snprintf(buf, len, "%.*g", prec, p);
		if (p == alpha || strcmp(buf, a))
			return;
	}
}

void metric_cmp_decide(struct metric_cmp *c, bool higher_is_better, const struct compare_opts *o)
{
	double t = o->threshold_pct / 100, lo = 1 - t, hi = 1 + t;
	bool sig = c->p_adj < o->alpha;
	bool up = c->ci_lo > hi, down = c->ci_hi < lo;
	char p[32];
	int n;

	c->why[0] = '\0';
	c->verdict = VERDICT_INCONCLUSIVE;
	if (!c->by_runs && (c->nb < COMPARE_MIN_SAMPLES || c->nn < COMPARE_MIN_SAMPLES)) {
		/* a few dozen characters: each snprintf fits */
		n = snprintf(c->why, sizeof(c->why), "needs at least %d samples on each side",
			     COMPARE_MIN_SAMPLES);
		if (c->nb < COMPARE_MIN_SAMPLES)
			n += snprintf(c->why + n, sizeof(c->why) - n, ", base has %zu", c->nb);
		if (c->nn < COMPARE_MIN_SAMPLES)
			snprintf(c->why + n, sizeof(c->why) - n, ", new has %zu", c->nn);
		return;
	}
	if (isnan(c->ratio)) {
		if (c->base_median <= 0)
			snprintf(c->why, sizeof(c->why), "base median is %g: no ratio",
				 c->base_median);
		else
			snprintf(c->why, sizeof(c->why), "new median is %g: no ratio",
				 c->new_median);
		return;
	}
	if (sig && (higher_is_better ? down : up)) {
		c->verdict = VERDICT_REGRESSED;
	} else if (sig && (higher_is_better ? up : down)) {
		c->verdict = VERDICT_IMPROVED;
	} else if (c->ci_lo >= lo && c->ci_hi <= hi) {
		c->verdict = VERDICT_UNCHANGED;
	} else if (up || down) {
		fmt_p(p, sizeof(p), c->p_adj, o->alpha);
		snprintf(c->why, sizeof(c->why), "not significant: p=%s after Holm, alpha %g", p,
			 o->alpha);
	} else {
		snprintf(c->why, sizeof(c->why), "CI %.3f-%.3f straddles the %g%% threshold",
			 c->ci_lo, c->ci_hi, o->threshold_pct);
	}
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_UNCHANGED:
		return "unchanged";
	case VERDICT_IMPROVED:
		return "improved";
	case VERDICT_REGRESSED:
		return "regressed";
	case VERDICT_INCONCLUSIVE:
		return "inconclusive";
	}
	return "unknown";
}
