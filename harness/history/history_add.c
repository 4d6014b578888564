// SPDX-License-Identifier: GPL-2.0
/* The history database: adding a run, with its checks, metrics and samples. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "history.h"
#include "lib/stats.h"
#include "result/result_load.h"

static const char *str_at(const json_t *obj, const char *a, const char *b)
{
	const json_t *v = json_object_get(obj, a);

	return json_string_value(b ? json_object_get(v, b) : v);
}

void history_env_key(const json_t *env, char *buf, size_t sz)
{
	const json_t *virt = json_object_get(env, "virtualization");
	const char *host = str_at(env, "hostname", NULL), *arch = str_at(env, "kernel", "machine");
	const char *model = str_at(env, "cpu", "model");
	const char *vendor = str_at(virt, "cpuid_vendor", NULL);
	const char *dmi_vendor = str_at(virt, "dmi_sys_vendor", NULL);
	const char *dmi_product = str_at(virt, "dmi_product_name", NULL);
	const char *accel = str_at(env, "guest", "accelerator");
	json_int_t cpus = json_integer_value(json_object_get(json_object_get(env, "cpu"), "count"));
	char virt_s[160];

	if (json_is_true(json_object_get(virt, "hypervisor")))
		snprintf(virt_s, sizeof(virt_s), "%s", vendor ? vendor : "hypervisor");
	else
		snprintf(virt_s, sizeof(virt_s), "no hypervisor");
	snprintf(buf, sz, "%s, %s, %lld x %s, %s%s%s%s%s%s%s", host ? host : "?", arch ? arch : "?",
		 (long long)cpus, model ? model : "?", virt_s,
		 dmi_vendor || dmi_product ? ", " : "", dmi_vendor ? dmi_vendor : "",
		 dmi_vendor && dmi_product ? " " : "", dmi_product ? dmi_product : "",
		 accel ? ", guest " : "", accel ? accel : "");
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_double(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

/* Runs st once and resets it; SQLITE_DONE on success. */
static int step_once(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* The id of a run holding exactly this document, or 0. */
static long long find_document(struct history *h, const char *digest, const char *doc)
{
	sqlite3_stmt *st;
	long long id = 0;

	if (sqlite3_prepare_v2(h->db, "SELECT id, document FROM runs WHERE digest = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return -EIO;
	bind_text(st, 1, digest);
	while (!id && sqlite3_step(st) == SQLITE_ROW)
		if (!strcmp((const char *)sqlite3_column_text(st, 1), doc))
			id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int add_checks(struct history *h, long long run, const json_t *checks)
{
	sqlite3_stmt *st;
	const json_t *c;
	size_t i;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(h->db, "INSERT INTO checks VALUES (?, ?, ?, ?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	json_array_foreach(checks, i, c) {
		sqlite3_bind_int64(st, 1, run);
		bind_text(st, 2, str_at(c, "name", NULL));
		bind_text(st, 3, str_at(c, "area", NULL));
		bind_text(st, 4, str_at(c, "status", NULL));
		bind_text(st, 5, str_at(c, "reason", NULL));
		rc = step_once(st);
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(st);
	return rc;
}

static int add_metric(sqlite3_stmt *mst, sqlite3_stmt *sst, long long run, const json_t *m)
{
	const json_t *samples = json_object_get(m, "samples"), *x;
	size_t n = json_array_size(samples), i;
	struct stats_summary s = { NAN, NAN, NAN, NAN, NAN, 0 };
	const char *name = str_at(m, "name", NULL);
	double *v = calloc(n ? n : 1, sizeof(*v));
	int rc = SQLITE_DONE;

	if (!v)
		return SQLITE_NOMEM;
	json_array_foreach(samples, i, x)
		v[i] = json_number_value(x);
	if (n)
		stats_summarize(v, n, &s);
	sqlite3_bind_int64(mst, 1, run);
	bind_text(mst, 2, name);
	bind_text(mst, 3, str_at(m, "unit", NULL));
	bind_text(mst, 4, str_at(m, "better", NULL));
	bind_text(mst, 5, str_at(m, "status", NULL));
	bind_text(mst, 6, str_at(m, "reason", NULL));
	sqlite3_bind_int64(mst, 7, n);
	bind_double(mst, 8, s.median);
	bind_double(mst, 9, s.p25);
	bind_double(mst, 10, s.p75);
	rc = step_once(mst);
	for (i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(sst, 1, run);
		bind_text(sst, 2, name);
		sqlite3_bind_int64(sst, 3, i);
		sqlite3_bind_double(sst, 4, v[i]);
		rc = step_once(sst);
	}
	free(v);
	return rc;
}

static int add_metrics(struct history *h, long long run, const json_t *metrics)
{
	sqlite3_stmt *mst = NULL, *sst = NULL;
	const json_t *m;
	size_t i;
	int rc = SQLITE_ERROR;

	if (sqlite3_prepare_v2(h->db, "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &mst, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h->db, "INSERT INTO samples VALUES (?, ?, ?, ?)", -1, &sst,
			       NULL) != SQLITE_OK)
		goto cleanup;
	rc = SQLITE_DONE;
	json_array_foreach(metrics, i, m) {
		rc = add_metric(mst, sst, run, m);
		if (rc != SQLITE_DONE)
			break;
	}
cleanup:
	sqlite3_finalize(mst);
	sqlite3_finalize(sst);
	return rc;
}

static long long insert_run(struct history *h, const struct loaded_result *r, const char *digest,
			    const char *doc, const char *time_s)
{
	const json_t *env = json_object_get(r->doc, "environment");
	char added[32], key[384], *env_s = json_dumps(env, JSON_COMPACT | JSON_SORT_KEYS);
	time_t now = time(NULL);
	sqlite3_stmt *st = NULL;
	long long id = -EIO;

	if (!env_s)
		return -ENOMEM;
	strftime(added, sizeof(added), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	history_env_key(env, key, sizeof(key));
	if (sqlite3_prepare_v2(h->db, "INSERT INTO runs (digest, document, path, added, suite, "
			       "time, kernel, hostname, env_key, environment) VALUES "
			       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto cleanup;
	bind_text(st, 1, digest);
	bind_text(st, 2, doc);
	bind_text(st, 3, r->path);
	bind_text(st, 4, added);
	bind_text(st, 5, str_at(r->doc, "suite", "name"));
	bind_text(st, 6, time_s);
	bind_text(st, 7, str_at(env, "kernel", "release"));
	bind_text(st, 8, str_at(env, "hostname", NULL));
	bind_text(st, 9, key);
	bind_text(st, 10, env_s);
	if (sqlite3_step(st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(h->db);
cleanup:
	sqlite3_finalize(st);
	free(env_s);
	return id;
}

static bool valid_time(const char *s)
{
	struct tm tm = {};
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

	return end && !*end && strlen(s) == 20;
}

int history_add(struct history *h, const struct loaded_result *r, long long *run, char *err,
		size_t errsz)
{
	const char *time_s = str_at(json_object_get(r->doc, "environment"), "time", NULL);
	char *doc = json_dumps(r->doc, JSON_COMPACT | JSON_SORT_KEYS);
	uint64_t fnv = 0xcbf29ce484222325ULL;
	char digest[17];
	long long id;
	int ret = 0;

	if (!doc)
		return -ENOMEM;
	if (!time_s) {
		snprintf(err, errsz, "'%s' has no environment.time: history orders runs by it",
			 r->path);
		ret = -EINVAL;
		goto cleanup;
	}
	/* The runs are ordered by this text: it must be the one format that sorts as time. */
	if (!valid_time(time_s)) {
		snprintf(err, errsz, "'%s' has environment.time '%s', not YYYY-mm-ddTHH:MM:SSZ",
			 r->path, time_s);
		ret = -EINVAL;
		goto cleanup;
	}
	for (const char *p = doc; *p; p++)
		fnv = (fnv ^ (unsigned char)*p) * 0x100000001b3ULL;
	snprintf(digest, sizeof(digest), "%016llx", (unsigned long long)fnv);
	id = find_document(h, digest, doc);
	if (id > 0) {
		*run = id;
		ret = 1;
		goto cleanup;
	}
	if (!id)
		id = insert_run(h, r, digest, doc, time_s);
	if (id < 0 || add_checks(h, id, json_object_get(r->doc, "checks")) != SQLITE_DONE ||
	    add_metrics(h, id, json_object_get(r->doc, "metrics")) != SQLITE_DONE) {
		snprintf(err, errsz, "cannot add '%s' to '%s': %s", r->path, h->path,
			 sqlite3_errmsg(h->db));
		ret = -EIO;
		goto cleanup;
	}
	*run = id;
cleanup:
	free(doc);
	return ret;
}
