// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lib/errno_name.h"
#include "producers.h"
#include "workloads/workload_util.h"

/* Producers start together: each waits until all exist and the main thread says go. */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int ready;
	int go;			/* 1 run, -1 give up */
};

struct producer {
	pthread_t thread;
	const struct workload *w;
	void *state;
	struct workload_opts o;
	struct workload_result r;
	struct gate *gate;
	int err;
};

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	struct gate *g = p->gate;
	int go;

	pthread_mutex_lock(&g->lock);
	g->ready++;
	pthread_cond_broadcast(&g->cond);
	while (!g->go)
		pthread_cond_wait(&g->cond, &g->lock);
	go = g->go;
	pthread_mutex_unlock(&g->lock);
	if (go > 0)
		p->err = p->w->run(p->state, &p->o, &p->r);
	return NULL;
}

int producers_run(const struct workload *w, void *state, int n, const struct workload_opts *o,
		  double *ops, double *seconds, char *why, size_t sz)
{
	struct gate g = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	struct producer p[PRODUCERS_MAX];
	int started, err = 0;
	double start;

	if (n < 1 || n > PRODUCERS_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(p));
	*ops = 0;
	for (started = 0; started < n; started++) {
		p[started].w = w;
		p[started].state = state;
		p[started].o = *o;
		p[started].gate = &g;
		err = -pthread_create(&p[started].thread, NULL, producer_main, &p[started]);
		if (err) {
			snprintf(why, sz, "start producer thread %d: %s (%s)", started + 1,
				 errno_name(err), strerror(-err));
			break;
		}
	}
	pthread_mutex_lock(&g.lock);
	while (!err && g.ready < started)
		pthread_cond_wait(&g.cond, &g.lock);
	g.go = err ? -1 : 1;
	start = workload_now();
	pthread_cond_broadcast(&g.cond);
	pthread_mutex_unlock(&g.lock);
	for (int i = 0; i < started; i++) {
		pthread_join(p[i].thread, NULL);
		*ops += p[i].r.ops;
		if (p[i].err && !err) {
			err = p[i].err;
			snprintf(why, sz, "workload '%s': %s (%s)", w->name, errno_name(err),
				 strerror(-err));
		}
		workload_result_release(&p[i].r);
	}
	*seconds = workload_now() - start;
	return err;
}
