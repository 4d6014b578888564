/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How 'bpfgauge cost' runs its conditions (cost_run.h says what they are): the tracer's
 * start and stop and the run-time stats switch as the conditions' hooks, in one of two
 * methods.
 *
 *   cost_first_start(&c, err, sz)   the tracer started with stats on, made ready and stopped,
 *                                   before anything is measured; c.ready_s: how long it took
 *                                   to be ready (--ready-after included). 0 or -errno, err
 *                                   says why
 *   cost_interleaved(&c, ctx)       the three conditions in the runner's rotation, the tracer
 *                                   started before each traced or attributed run and stopped
 *                                   after it
 *   cost_bracketed(&c, ctx, err, sz)   untraced repetitions; the tracer started once for the
 *                                   traced and attributed ones (stats switched around each
 *                                   attributed run); untraced repetitions again. A
 *                                   repetition's untraced value is the geometric mean of its
 *                                   two, so that a steady drift cancels in the median (not in
 *                                   the spread); each workload's drift_pct is after vs before
 *   cost_stats_off(&c)              the stats switch off (its fd closed)
 *
 * Both fill c.conds' samples and c.reps_done (0 when a side was never measured), and return
 * 0, -EINTR, -ENOMEM or (bracketed) the tracer's start error.
 */
#ifndef BPFGAUGE_COST_METHOD_H
#define BPFGAUGE_COST_METHOD_H

#include <stddef.h>

#include "cost_run.h"

int cost_first_start(struct cost *c, char *err, size_t sz);
int cost_interleaved(struct cost *c, struct bench_ctx *ctx);
int cost_bracketed(struct cost *c, struct bench_ctx *ctx, char *err, size_t sz);
void cost_stats_off(struct cost *c);

#endif
