// SPDX-License-Identifier: GPL-2.0
/* Timing one attach type for attach-overhead (attach_timing.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach/attach.h"
#include "attach/attach_hooks.h"
#include "attach_timing.h"
#include "lib/stats.h"

#define CALIBRATION_OPS 4096

static const char *workload_error(const struct timed_workload *wl, int err, char *why,
				  size_t sz)
{
	snprintf(why, sz, "workload '%s' failed: %s", wl->w->name, strerror(-err));
	return why;
}

/* The hits of cal in one run of ops operations, the counter's reads included. */
static int count_run(struct timed_type *t, struct hook_prog *cal, long ops, __u64 *hits,
		     char *why, size_t sz)
{
	struct workload_opts o = t->wl->o;
	struct workload_result r = {};
	__u64 before, after;
	int err;

	o.ops = ops;
	o.cpu = -1;
	err = hook_prog_hits(cal, &before);
	if (!err && (err = t->wl->w->run(t->wl->state, &o, &r))) {
		workload_error(t->wl, err, why, sz);
		goto cleanup;
	}
	if (!err)
		err = hook_prog_hits(cal, &after);
	if (err) {
		snprintf(why, sz, "read the hit counter: %s", strerror(-err));
		goto cleanup;
	}
	if (r.ops != ops) {
		snprintf(why, sz, "workload '%s' ran %.0f operations, asked for %ld",
			 t->wl->w->name, r.ops, ops);
		err = -EIO;
		goto cleanup;
	}
	*hits = after - before;
cleanup:
	workload_result_release(&r);
	return err;
}

/*
 * Events per operation, counted by the program filtered to the workload's tgid in runs of
 * N and 2N operations: the difference cancels what each run costs besides its operations
 * (the counter's own bpf() read, clock reads that are syscalls on some clocksources).
 */
static int calibrate(struct timed_type *t, char *said, size_t said_sz, char *why, size_t sz)
{
	struct hook_prog *cal = NULL;
	__u64 once = 0, twice = 0;
	int err;

	err = hook_prog_open(t->t, t->wl->tgid, true, &cal, why, sz);
	if (!err)
		err = hook_prog_attach(cal, why, sz);
	if (!err)
		err = count_run(t, cal, CALIBRATION_OPS, &once, why, sz);
	if (!err)
		err = count_run(t, cal, 2 * CALIBRATION_OPS, &twice, why, sz);
	if (err)
		goto cleanup;
	if (twice <= once) {
		snprintf(why, sz, "attached to '%s', but counted %llu events of pid %d in %d '%s' "
			 "operations and %llu in %d", hook_target(t->t), (unsigned long long)once,
			 t->wl->tgid, CALIBRATION_OPS, t->wl->w->name, (unsigned long long)twice,
			 2 * CALIBRATION_OPS);
		err = -ENODATA;
		goto cleanup;
	}
	t->events_per_op = (double)(twice - once) / CALIBRATION_OPS;
	snprintf(said, said_sz, "%s on '%s': %g event(s) per '%s' operation (%llu of pid %d in %d "
		 "operations, %llu in %d)", t->t->name, hook_target(t->t), t->events_per_op,
		 t->wl->w->name, (unsigned long long)once, t->wl->tgid, CALIBRATION_OPS,
		 (unsigned long long)twice, 2 * CALIBRATION_OPS);
cleanup:
	hook_prog_close(cal);
	return err;
}

int timed_type_prepare(struct timed_type *t, char *said, size_t said_sz, char *why, size_t sz)
{
	int err = calibrate(t, said, said_sz, why, sz);

	if (!err)
		err = hook_prog_open(t->t, t->wl->tgid, false, &t->timed, why, sz);
	return err;
}

/* One untraced slice of t's workload: its median ns per operation. */
static int untraced_slice(struct timed_type *t, double seconds, double *ns)
{
	struct timed_workload *wl = t->wl;
	int err;

	chunks_clear(&wl->untraced);
	err = chunks_run(&wl->untraced, wl->w, wl->state, &wl->o, seconds);
	if (!err)
		*ns = chunks_median(&wl->untraced);
	return err;
}

/* One attached slice of t: its median ns per operation, and whether the program fired. */
static int attached_slice(struct timed_type *t, double seconds, double *ns, char *why,
			  size_t sz)
{
	__u64 before = 0, after = 0;
	double expected;
	int err;

	err = hook_prog_attach(t->timed, why, sz);
	if (err)
		return err;
	chunks_clear(&t->attached);
	err = hook_prog_hits(t->timed, &before);
	if (!err && (err = chunks_run(&t->attached, t->wl->w, t->wl->state, &t->wl->o,
				      seconds)))
		workload_error(t->wl, err, why, sz);
	else if (!err && (err = hook_prog_hits(t->timed, &after)))
		snprintf(why, sz, "read the hit counter: %s", strerror(-err));
	hook_prog_detach(t->timed);
	if (err)
		return err;
	expected = t->attached.total_ops * t->events_per_op;
	if ((double)(after - before) < expected / 2) {
		snprintf(why, sz, "'%s' counted %llu hits in %.0f '%s' operations, expected at "
			 "least %.0f", hook_target(t->t), (unsigned long long)(after - before),
			 t->attached.total_ops, t->wl->w->name, expected);
		return -ENODATA;
	}
	*ns = chunks_median(&t->attached);
	return 0;
}

int timed_type_run(struct timed_type *t, double seconds, double *ns_per_event,
		   double *slowdown_pct, double untraced[TIMED_SLICES + 1], char *why, size_t sz)
{
	double slice = seconds / (2 * TIMED_SLICES + 1), u[TIMED_SLICES + 1];
	double at[TIMED_SLICES], added[TIMED_SLICES], pct[TIMED_SLICES];
	int err;

	t->workload_broke = false;
	for (int i = 0; i <= TIMED_SLICES; i++) {
		err = untraced_slice(t, slice, &u[i]);
		if (err) {
			t->workload_broke = true;
			workload_error(t->wl, err, why, sz);
			return err;
		}
		if (i == TIMED_SLICES)
			break;
		err = attached_slice(t, slice, &at[i], why, sz);
		if (err)
			return err;
	}
	for (int i = 0; i < TIMED_SLICES; i++) {
		added[i] = at[i] - (u[i] + u[i + 1]) / 2;
		pct[i] = 100 * added[i] / ((u[i] + u[i + 1]) / 2);
	}
	*ns_per_event = stats_quantile(added, TIMED_SLICES, 0.5) / t->events_per_op;
	*slowdown_pct = stats_quantile(pct, TIMED_SLICES, 0.5);
	memcpy(untraced, u, sizeof(u));
	return 0;
}

void timed_type_release(struct timed_type *t)
{
	hook_prog_close(t->timed);
	t->timed = NULL;
	chunks_release(&t->attached);
}
