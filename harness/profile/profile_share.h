/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How sure a CPU profile is of each frame's share. A frame (a flame-graph node: a stack
 * prefix) holds k of the n samples; with samples that are independent, its share of the time
 * lies in the 95% Wilson interval around k/n (stats_wilson). A short run at a low rate gives
 * few samples and wide intervals.
 *
 *   share_nodes(f)               every stack prefix of f with its samples (a new folded; NULL
 *                                out of memory)
 *   share_json(nodes, n, sampled)   [{stack, count, share, share_low, share_high}], the
 *                                largest count first; the interval only when the counts are
 *                                samples (not off-CPU microseconds)
 *   share_widest(nodes, n, &p)   the widest half-interval among the frames that matter
 *                                (share 5% to 95%, the root's children and below), its share
 *                                in p; 0 when there is none
 *   share_samples_for(p, half)   samples that give a share p an interval of +-half
 */
#ifndef BPFGAUGE_PROFILE_SHARE_H
#define BPFGAUGE_PROFILE_SHARE_H

#include <stdbool.h>
#include <jansson.h>

#include "folded.h"

#define SHARE_WARN_HALF 0.05	/* warn beyond +-5 points */

struct folded *share_nodes(const struct folded *f);
json_t *share_json(const struct folded *nodes, unsigned long long n, bool sampled);
double share_widest(const struct folded *nodes, unsigned long long n, double *p);
unsigned long long share_samples_for(double p, double half);

#endif
