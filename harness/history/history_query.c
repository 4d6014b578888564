// SPDX-License-Identifier: GPL-2.0
/* The history database: what 'show' and 'changes' read (history.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "history.h"

static void copy_col(sqlite3_stmt *st, int col, char *buf, size_t sz)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(buf, sz, "%s", s ? (const char *)s : "");
}

static double col_double(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

int history_metrics(struct history *h, struct history_metric_info **list, size_t *n)
{
	static const char sql[] =
		"SELECT m.name, min(m.unit), min(m.better), count(*), sum(m.n > 0), "
		"count(DISTINCT r.env_key) FROM metrics m JOIN runs r ON r.id = m.run_id "
		"GROUP BY m.name ORDER BY m.name";
	struct history_metric_info *l = NULL, *grown;
	size_t len = 0;
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		grown = realloc(l, (len + 1) * sizeof(*l));
		if (!grown) {
			ret = -ENOMEM;
			goto cleanup;
		}
		l = grown;
		copy_col(st, 0, l[len].name, sizeof(l[len].name));
		copy_col(st, 1, l[len].unit, sizeof(l[len].unit));
		copy_col(st, 2, l[len].better, sizeof(l[len].better));
		l[len].runs = sqlite3_column_int64(st, 3);
		l[len].measured = sqlite3_column_int64(st, 4);
		l[len].environments = sqlite3_column_int64(st, 5);
		len++;
	}
	if (rc != SQLITE_DONE)
		ret = -EIO;
cleanup:
	sqlite3_finalize(st);
	if (ret) {
		free(l);
		l = NULL;
		len = 0;
	}
	*list = l;
	*n = len;
	return ret;
}

/* Appends the row's run to the last series, starting a new one for a new key. */
static int add_point(sqlite3_stmt *st, struct history_series **list, size_t *n)
{
	const char *key = (const char *)sqlite3_column_text(st, 0);
	struct history_series *s = *n ? &(*list)[*n - 1] : NULL, *grown;
	struct history_point *p;

	if (!s || strcmp(s->env_key, key ? key : "")) {
		grown = realloc(*list, (*n + 1) * sizeof(**list));
		if (!grown)
			return -ENOMEM;
		*list = grown;
		s = &grown[(*n)++];
		memset(s, 0, sizeof(*s));
		copy_col(st, 0, s->env_key, sizeof(s->env_key));
		copy_col(st, 6, s->unit, sizeof(s->unit));
		copy_col(st, 7, s->better, sizeof(s->better));
	}
	p = realloc(s->points, (s->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	s->points = p;
	p = &p[s->n++];
	p->run = sqlite3_column_int64(st, 1);
	copy_col(st, 2, p->time, sizeof(p->time));
	copy_col(st, 3, p->kernel, sizeof(p->kernel));
	copy_col(st, 4, p->suite, sizeof(p->suite));
	copy_col(st, 5, p->path, sizeof(p->path));
	copy_col(st, 8, p->status, sizeof(p->status));
	copy_col(st, 9, p->reason, sizeof(p->reason));
	p->n = sqlite3_column_int64(st, 10);
	p->median = col_double(st, 11);
	p->p25 = col_double(st, 12);
	p->p75 = col_double(st, 13);
	return 0;
}

int history_series(struct history *h, const char *metric, struct history_series **list,
		   size_t *n)
{
	static const char sql[] =
		"SELECT r.env_key, r.id, r.time, r.kernel, r.suite, r.path, m.unit, m.better, "
		"m.status, m.reason, m.n, m.median, m.p25, m.p75 "
		"FROM metrics m JOIN runs r ON r.id = m.run_id WHERE m.name = ? "
		"ORDER BY r.env_key, r.time, r.id";
	sqlite3_stmt *st;
	int rc, ret = 0;

	*list = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, metric, -1, SQLITE_TRANSIENT);
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ret = add_point(st, list, n);
	if (!ret && rc != SQLITE_DONE)
		ret = -EIO;
	sqlite3_finalize(st);
	if (ret) {
		history_series_free(*list, *n);
		*list = NULL;
		*n = 0;
	}
	return ret;
}

void history_series_free(struct history_series *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].points);
	free(list);
}
