// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chunks.h"
#include "lib/stats.h"
#include "workloads/workload_util.h"

/* One chunk of ops operations: its ns per operation. */
static int run_one(const struct workload *w, void *state, const struct workload_opts *o,
		   long ops, double *ns)
{
	struct workload_opts one = *o;
	struct workload_result r = {};
	int err;

	one.ops = ops;
	err = w->run(state, &one, &r);
	if (!err && r.ops <= 0)
		err = -EIO;
	if (!err)
		*ns = r.seconds * 1e9 / r.ops;
	workload_result_release(&r);
	return err;
}

static int append(struct chunks *c, double ns)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;
		double *v = realloc(c->ns, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->ns = v;
		c->cap = cap;
	}
	c->ns[c->n++] = ns;
	return 0;
}

int chunks_run(struct chunks *c, const struct workload *w, void *state,
	       const struct workload_opts *o, double seconds)
{
	double start = workload_now(), ns;
	size_t first = c->n;
	int err;

	if (!c->ops) {
		for (c->ops = 16;; c->ops *= 2) {
			err = run_one(w, state, o, c->ops, &ns);
			if (err)
				return err;
			c->total_ops += c->ops;
			if (ns * c->ops >= CHUNKS_TARGET_NS || c->ops >= 1L << 24)
				break;
		}
	}
	while (c->n - first < CHUNKS_MIN || workload_now() - start < seconds) {
		err = run_one(w, state, o, c->ops, &ns);
		if (!err)
			err = append(c, ns);
		if (err)
			return err;
		c->total_ops += c->ops;
	}
	return 0;
}

double chunks_median(const struct chunks *c)
{
	return stats_quantile(c->ns, c->n, 0.5);
}

void chunks_clear(struct chunks *c)
{
	c->n = 0;
	c->total_ops = 0;
}

void chunks_release(struct chunks *c)
{
	free(c->ns);
	memset(c, 0, sizeof(*c));
}
