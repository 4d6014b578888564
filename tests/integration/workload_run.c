// SPDX-License-Identifier: GPL-2.0
/* Built-in workloads run in this process as a benchmark runs them (workload_run.h). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workload_run.h"
#include "workloads/workload.h"

/* This process's children, from every /proc/PID/stat. */
static int children_of(pid_t parent)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;
		int ppid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		if (p && sscanf(p, ") %*c %d", &ppid) == 1 && ppid == parent)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

int entries_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static int open_fds(void)
{
	return entries_in("/proc/self/fd") - 1;	/* less the directory stream's own */
}

int first_cpu(void)
{
	cpu_set_t set;

	cr_assert_eq(sched_getaffinity(0, sizeof(set), &set), 0);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

struct wl wl_setup(const char *name, const struct workload_opts *o)
{
	struct wl x = { .w = workload_find(name), .fds_before = open_fds() };
	char why[256] = "";
	int err;

	cr_assert_not_null(x.w, "no workload '%s'", name);
	err = x.w->setup(o, &x.state, why, sizeof(why));
	cr_assert_eq(err, 0, "%s: setup: %d %s", name, err, why);
	return x;
}

struct workload_result wl_run(struct wl *x, const struct workload_opts *o)
{
	struct workload_result r = { 0 };
	int err = x->w->run(x->state, o, &r);
	char *extra = r.extra ? json_dumps(r.extra, JSON_COMPACT) : NULL;

	cr_assert_eq(err, 0, "%s: run: %d, extra %s", x->w->name, err, extra ? extra : "-");
	free(extra);
	/* Every workload: some work done, and its rate is its count over its time. */
	cr_assert_gt(r.ops, 0, "%s", x->w->name);
	cr_assert_gt(r.seconds, 0);
	cr_assert_gt(r.ops_per_s, 0);
	cr_assert_float_eq(r.ops_per_s * r.seconds, r.ops, r.ops * 0.01, "%s: %.0f ops in %.4f s "
			   "at %.1f/s", x->w->name, r.ops, r.seconds, r.ops_per_s);
	return r;
}

/* Teardown leaves no child and no open fd behind. */
void wl_teardown(struct wl *x)
{
	x->w->teardown(x->state);
	cr_assert_eq(children_of(getpid()), 0, "%s left a child", x->w->name);
	cr_assert_eq(open_fds(), x->fds_before, "%s left an fd open", x->w->name);
}
