/* SPDX-License-Identifier: GPL-2.0 */
/*
 * func-latency against a workload with a known answer (tests/fixtures/busy_target.c), for the
 * test_func_latency*.c files: the target times its own calls, and every call's probe interval
 * lies between what the function saw from inside and what its caller saw around it. Counts
 * must be exact. Paths are checked against readlink and ldd, probes against bpftool and tracefs
 * uprobe_events.
 */
#ifndef BPFGAUGE_TEST_FUNC_TARGET_H
#define BPFGAUGE_TEST_FUNC_TARGET_H

#include <jansson.h>

#define TARGET "build/tests/busy_target"

struct target_run {
	long calls;
	double inner, outer;	/* the target's own means, ns */
	long inner_median;
};

/* The one line busy_target prints. */
void target_parse(const char *line, struct target_run *t);
/* readlink -f: the canonical path, by other means than the tool's realpath() (malloc'd). */
char *canonical(const char *path);
/* The one histogram of a func-latency document (asserted to be one). */
json_t *only_hist(json_t *doc);
/* The integer o.key (asserted to be there). */
long long jint(json_t *o, const char *key);
/* tracefs uprobe_events lines naming s (the test mounts tracefs where it is missing). */
int uprobe_events_naming(const char *s);

#endif
