// SPDX-License-Identifier: GPL-2.0
/*
 * iter_task (Linux 5.8): a BPF task iterator prints one line per thread of this process; its
 * output must name the same threads with the same names as /proc/self/task. Three threads of
 * the check's own, named, wait on a pipe meanwhile, so that there is more than one thread to
 * find. The iterator's link and fd are closed at the end; reading them leaves nothing behind.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/kernel_ids.h"
#include "check.h"
#include "iter_task.skel.h"

#define NR_THREADS 3	/* named bpfgauge-it0, -it1...: one digit each */
_Static_assert(NR_THREADS <= 10, "a thread's name has one digit");
#define MAX_TASKS 64
#define OUT_MAX 8192

struct task_line {
	int tid;
	char comm[16];
};

static void *waiter(void *arg)
{
	char c;

	/* Until the write end closes. */
	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static int by_tid(const void *a, const void *b)
{
	return ((const struct task_line *)a)->tid - ((const struct task_line *)b)->tid;
}

/* This process's threads from /proc/self/task, sorted by tid; their count or -errno. */
static int proc_threads(struct task_line *t, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max) {
		char path[300];
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		t[n].tid = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f || !fgets(t[n].comm, sizeof(t[n].comm), f))
			t[n].comm[0] = '\0';
		if (f)
			fclose(f);
		t[n].comm[strcspn(t[n].comm, "\n")] = '\0';
		n++;
	}
	closedir(d);
	qsort(t, n, sizeof(*t), by_tid);
	return n;
}

/* Reads all of an iterator's output into buf; its length or -errno. */
static int read_all(int fd, char *buf, size_t sz)
{
	size_t len = 0;
	ssize_t n;

	while (len < sz - 1 && (n = read(fd, buf + len, sz - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/* The iterator's lines "TID COMM", sorted by tid; their count. */
static int parse_lines(char *out, struct task_line *t, int max)
{
	int n = 0;

	for (char *line = strtok(out, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%d %15[^\n]", &t[n].tid, t[n].comm) < 1)
			continue;
		n++;
	}
	qsort(t, n, sizeof(*t), by_tid);
	return n;
}

static bool same_threads(const struct task_line *a, int na, const struct task_line *b, int nb)
{
	if (na < 0 || na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].tid != b[i].tid || strcmp(a[i].comm, b[i].comm))
			return false;
	return true;
}

/* Iterates once: this process's threads as the iterator printed them; count or -1, res set. */
static int iterate(struct check_result *res, struct iter_task_bpf *skel, struct task_line *t)
{
	static char out[OUT_MAX];
	int fd, len;

	fd = bpf_iter_create(bpf_link__fd(skel->links.iter_threads));
	if (fd < 0) {
		check_set_errno(res, CHECK_FAIL, errno, "bpf_iter_create() on the task iterator");
		return -1;
	}
	len = read_all(fd, out, sizeof(out));
	close(fd);
	if (len < 0) {
		check_set_errno(res, CHECK_FAIL, len, "read the task iterator's output");
		return -1;
	}
	return parse_lines(out, t, MAX_TASKS);
}

static void verify(struct check_result *res, struct iter_task_bpf *skel)
{
	struct task_line before[MAX_TASKS], after[MAX_TASKS], seen[MAX_TASKS];
	int nb, na = -1, ns;

	/* A thread of the process that starts or ends meanwhile: compare again. */
	for (int tries = 0; tries < 3; tries++) {
		nb = proc_threads(before, MAX_TASKS);
		ns = iterate(res, skel, seen);
		if (ns < 0)
			return;
		na = proc_threads(after, MAX_TASKS);
		if (same_threads(before, nb, after, na))
			break;
	}
	if (!same_threads(before, nb, after, na)) {
		check_set(res, CHECK_ERROR, "this process's threads kept changing while read");
		return;
	}
	check_detail_int(res, "threads_proc", nb);
	check_detail_int(res, "threads_iterated", ns);
	check_detail_int(res, "tasks_walked", skel->bss->walked);
	if (ns != nb) {
		check_set(res, CHECK_FAIL, "the iterator printed %d threads of pid %d, /proc/self/task "
			  "lists %d", ns, getpid(), nb);
		return;
	}
	for (int i = 0; i < nb; i++) {
		if (!same_threads(&seen[i], 1, &before[i], 1)) {
			check_set(res, CHECK_FAIL, "the iterator printed thread %d '%s' where "
				  "/proc/self/task has %d '%s'", seen[i].tid, seen[i].comm,
				  before[i].tid, before[i].comm);
			return;
		}
	}
	check_set(res, CHECK_PASS, "a task iterator printed the %d threads of pid %d with their "
		  "names, as /proc/self/task lists them (%llu tasks walked)", nb, getpid(),
		  (unsigned long long)skel->bss->walked);
}

static void run_iter_task(struct check_result *res)
{
	pthread_t threads[NR_THREADS];
	struct iter_task_bpf *skel;
	int pipefd[2], started = 0, err;

	skel = iter_task_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'iter_task' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	err = iter_task_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'iter/task' program", NULL);
		goto out;
	}
	skel->links.iter_threads = bpf_program__attach_iter(skel->progs.iter_threads, NULL);
	if (!skel->links.iter_threads) {
		check_explain(res, -errno, "attach the task iterator", NULL);
		goto out;
	}
	if (pipe(pipefd)) {
		check_set_errno(res, CHECK_ERROR, errno, "pipe()");
		goto out;
	}
	for (; started < NR_THREADS; started++) {
		char name[16];

		err = pthread_create(&threads[started], NULL, waiter, &pipefd[0]);
		if (err) {
			check_set_errno(res, CHECK_ERROR, err, "pthread_create()");
			break;
		}
		snprintf(name, sizeof(name), "bpfgauge-it%c", '0' + started);
		pthread_setname_np(threads[started], name);
	}
	if (started == NR_THREADS)
		verify(res, skel);
	close(pipefd[1]);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	close(pipefd[0]);
out:
	iter_task_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(iter_task, "programs",
		   "a task iterator prints this process's threads as /proc/self/task lists them",
		   run_iter_task, "task iterators", 5, 8);
