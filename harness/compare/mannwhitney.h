/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mann-Whitney U test, two-sided. U is that of the first sample: the number of pairs (a, b)
 * with a > b, ties counting one half. Up to MANNWHITNEY_EXACT_MAX samples in all, the p-value
 * comes from the exact null distribution of the rank sum, ties included (mid-ranks); above,
 * from the normal approximation with tie and continuity corrections. The p-value is
 * P(|U - na*nb/2| >= |u - na*nb/2|) under the null.
 *
 *   mannwhitney(a, na, b, nb, &u, &p)   0, -EINVAL when a side is empty, or -ENOMEM
 *   mannwhitney_min_p(na, nb)           2 / C(na+nb, na), capped at 1
 */
#ifndef BPFGAUGE_MANNWHITNEY_H
#define BPFGAUGE_MANNWHITNEY_H

#include <stddef.h>

#define MANNWHITNEY_EXACT_MAX 50

int mannwhitney(const double *a, size_t na, const double *b, size_t nb, double *u, double *p);
double mannwhitney_min_p(size_t na, size_t nb);

#endif
