// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double stats_quantile(const double *v, size_t n, double q)
{
	double *s, pos, frac, r;
	size_t lo;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	pos = q * (n - 1);
	lo = (size_t)pos;
	frac = pos - lo;
	r = lo + 1 < n ? s[lo] + frac * (s[lo + 1] - s[lo]) : s[lo];
	free(s);
	return r;
}

void stats_summarize(const double *v, size_t n, struct stats_summary *s)
{
	s->n = n;
	s->median = stats_quantile(v, n, 0.5);
	s->p25 = stats_quantile(v, n, 0.25);
	s->p75 = stats_quantile(v, n, 0.75);
	s->min = stats_quantile(v, n, 0);
	s->max = stats_quantile(v, n, 1);
}

int stats_log_moments(const double *v, size_t n, double *mean, double *ss)
{
	double sum = 0;

	*mean = *ss = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(v[i] > 0))
			return -EDOM;
		sum += log(v[i]);
	}
	if (!n)
		return 0;
	*mean = sum / n;
	for (size_t i = 0; i < n; i++)
		*ss += (log(v[i]) - *mean) * (log(v[i]) - *mean);
	return 0;
}

void stats_wilson(double k, double n, double *lo, double *hi)
{
	const double z = STATS_Z95, z2 = z * z;
	double p, centre, half;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	p = k / n;
	centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
}
