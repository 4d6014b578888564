// SPDX-License-Identifier: GPL-2.0
/*
 * metric_cmp_runs(): a metric compared run by run (docs/compare.md, "Across runs"). Each run
 * contributes its median; on the log scale a run's median is taken as the metric's true
 * value plus a run-to-run error of one spread sigma, the same on both sides. Sigma is
 * estimated from the runs of both sides around their own means, pooled with the runs of
 * calibrations of this machine class; the difference of the sides' mean logs then has the
 * standard error sigma * sqrt(1/kb + 1/kn) and, divided by it, a t distribution with the
 * pooled degrees of freedom. The interval and the p-value come from that t distribution.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "lib/stats.h"
#include "verdict.h"

int metric_cmp_runs(const double *base, size_t kb, const double *cur, size_t kn,
		    const struct run_noise *noise, const struct compare_opts *o,
		    struct metric_cmp *c)
{
	double mb, mn, ssb, ssn, ss, d, se, q;
	int df;

	memset(c, 0, sizeof(*c));
	c->by_runs = true;
	c->kb = kb;
	c->kn = kn;
	c->verdict = VERDICT_INCONCLUSIVE;
	c->p = c->p_adj = c->u = NAN;
	if (!kb || !kn || stats_log_moments(base, kb, &mb, &ssb) ||
	    stats_log_moments(cur, kn, &mn, &ssn))
		return -EDOM;
	df = (int)(kb - 1) + (int)(kn - 1) + (noise ? noise->df : 0);
	ss = ssb + ssn + (noise ? noise->ss : 0);
	if (df < 1)
		return -EDOM;
	c->df = df;
	c->sd_pct = 100 * sqrt(ss / df);
	c->base_median = exp(mb);
	c->new_median = exp(mn);
	d = mn - mb;
	c->ratio = exp(d);
	se = sqrt(ss / df) * sqrt(1.0 / kb + 1.0 / kn);
	if (se == 0) {
		c->ci_lo = c->ci_hi = c->ratio;
		c->p = c->p_adj = d == 0 ? 1 : 0;
		return 0;
	}
	q = gsl_cdf_tdist_Qinv((1 - o->level) / 2, df);
	c->ci_lo = exp(d - q * se);
	c->ci_hi = exp(d + q * se);
	c->p = c->p_adj = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(d) / se, df));
	return 0;
}
