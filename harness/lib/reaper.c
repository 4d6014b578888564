// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

#include "reaper.h"

struct pending {
	struct bpf_link *link;
	struct bpf_object_skeleton *s;	/* destroyed after the link, with skel, when set */
	void *skel;
	struct pending *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static struct pending *head, *tail;
static bool busy, started;

static void destroy(struct bpf_link *link, struct bpf_object_skeleton *s, void *skel)
{
	bpf_link__destroy(link);
	if (s) {
		bpf_object__destroy_skeleton(s);
		free(skel);
	}
}

static void *reaper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct pending *p;

		while (!head)
			pthread_cond_wait(&changed, &lock);
		p = head;
		head = p->next;
		if (!head)
			tail = NULL;
		busy = true;
		pthread_mutex_unlock(&lock);
		destroy(p->link, p->s, p->skel);
		free(p);
		pthread_mutex_lock(&lock);
		busy = false;
		pthread_cond_broadcast(&changed);
	}
	return NULL;
}

static bool start_thread(void)
{
	sigset_t all, old;
	pthread_t t;
	bool ok;

	/* Signals stay with the main thread, whose handler sets the interrupt flag. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ok = pthread_create(&t, NULL, reaper_main, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ok)
		pthread_detach(t);
	return ok;
}

void reaper_defer(struct bpf_link *link)
{
	reaper_defer_skel(link, NULL, NULL);
}

void reaper_defer_skel(struct bpf_link *link, struct bpf_object_skeleton *s, void *skel)
{
	struct pending *p;

	if (!link && !s)
		return;
	p = calloc(1, sizeof(*p));
	pthread_mutex_lock(&lock);
	if (!started)
		started = start_thread();
	if (!p || !started) {
		pthread_mutex_unlock(&lock);
		free(p);
		destroy(link, s, skel);
		return;
	}
	p->link = link;
	p->s = s;
	p->skel = skel;
	if (tail)
		tail->next = p;
	else
		head = p;
	tail = p;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

void reaper_drain(void)
{
	pthread_mutex_lock(&lock);
	while (head || busy)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
}
