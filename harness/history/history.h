/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The history database (SQLite, docs/history.md; history.c opens it, history_add.c writes,
 * history_query.c reads): runs, their checks, their metrics with medians and raw samples. Runs
 * are grouped by an environment key (host, architecture, CPU model and count, virtualization;
 * not the kernel, whose upgrades history is there to show).
 *
 *   history_open(path, create, &h, err, sz)   0, or -errno with one line in err: no such file
 *                                             (unless create), not SQLite, not a bpfgauge
 *                                             history, a newer schema. A new file gets the
 *                                             schema; read-only unless create.
 *   history_close(h)                          NULL is fine
 *   history_begin/commit/rollback(h)          one transaction around several adds
 *   history_add(h, r, &run, err, sz)          stores one loaded result: 0 added, 1 already
 *                                             there (the same document); *run is its id
 *   history_runs(h)                           the number of runs, or -errno
 *   history_metrics(h, &list, &n)             every metric name with its counts
 *   history_series(h, metric, &list, &n)      the metric's runs per environment key, in time
 *                                             order; history_series_free(list, n)
 *   history_env_key(env, buf, sz)             the key of an environment object
 */
#ifndef BPFGAUGE_HISTORY_H
#define BPFGAUGE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define HISTORY_SCHEMA_VERSION 1
#define HISTORY_DEFAULT_PATH "results/history.db"

struct loaded_result;
struct sqlite3;

/* The history*.c files share it; callers treat it as opaque. */
struct history {
	struct sqlite3 *db;
	char path[512];
};

struct history_metric_info {
	char name[128];
	char unit[16];
	char better[8];
	size_t runs;		/* runs with this metric, measured or not */
	size_t measured;	/* of which with samples */
	size_t environments;
};

struct history_point {
	long long run;
	char time[32];
	char kernel[128];
	char suite[64];
	char path[512];
	char status[16];
	char reason[256];
	size_t n;		/* samples; median, p25, p75 are NAN without */
	double median, p25, p75;
};

struct history_series {
	char env_key[384];
	char unit[16];
	char better[8];
	struct history_point *points;
	size_t n;
};

int history_open(const char *path, bool create, struct history **h, char *err, size_t errsz);
void history_close(struct history *h);
int history_begin(struct history *h);
int history_commit(struct history *h);
void history_rollback(struct history *h);
int history_add(struct history *h, const struct loaded_result *r, long long *run, char *err,
		size_t errsz);
long long history_runs(struct history *h);
int history_metrics(struct history *h, struct history_metric_info **list, size_t *n);
int history_series(struct history *h, const char *metric, struct history_series **list,
		   size_t *n);
void history_series_free(struct history_series *list, size_t n);
void history_env_key(const json_t *env, char *buf, size_t sz);

#endif
