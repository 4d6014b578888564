// SPDX-License-Identifier: GPL-2.0
/* The history database: the schema, opening with checks, adding runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "history.h"
#include "lib/stats.h"
#include "result/result_load.h"

/* 'bpgh' in the header's application_id: tells a history from any other SQLite file. */
#define HISTORY_APPLICATION_ID 0x62706768

static const char schema[] =
	"CREATE TABLE runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  digest TEXT NOT NULL,\n"		/* FNV-1a of the canonical document */
	"  document TEXT NOT NULL,\n"		/* compact JSON, keys sorted */
	"  path TEXT NOT NULL,\n"
	"  added TEXT NOT NULL,\n"
	"  suite TEXT,\n"
	"  time TEXT NOT NULL,\n"		/* environment.time */
	"  kernel TEXT,\n"
	"  hostname TEXT,\n"
	"  env_key TEXT NOT NULL,\n"
	"  environment TEXT NOT NULL);\n"
	"CREATE INDEX runs_digest ON runs (digest);\n"
	"CREATE INDEX runs_series ON runs (env_key, time);\n"
	"CREATE TABLE checks (\n"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),\n"
	"  name TEXT NOT NULL, area TEXT, status TEXT NOT NULL, reason TEXT);\n"
	"CREATE INDEX checks_run ON checks (run_id);\n"
	"CREATE TABLE metrics (\n"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),\n"
	"  name TEXT NOT NULL, unit TEXT NOT NULL, better TEXT NOT NULL,\n"
	"  status TEXT NOT NULL, reason TEXT,\n"
	"  n INTEGER NOT NULL, median REAL, p25 REAL, p75 REAL,\n"
	"  PRIMARY KEY (run_id, name));\n"
	"CREATE INDEX metrics_name ON metrics (name);\n"
	"CREATE TABLE samples (\n"
	"  run_id INTEGER NOT NULL, metric TEXT NOT NULL, idx INTEGER NOT NULL,\n"
	"  value REAL NOT NULL,\n"
	"  PRIMARY KEY (run_id, metric, idx),\n"
	"  FOREIGN KEY (run_id, metric) REFERENCES metrics (run_id, name));\n";

static const char *const tables[] = { "runs", "checks", "metrics", "samples" };

static int pragma_int(sqlite3 *db, const char *sql, int *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int create_schema(struct history *h, char *err, size_t errsz)
{
	char sql[sizeof(schema) + 256];

	snprintf(sql, sizeof(sql), "BEGIN;\n%sPRAGMA application_id = %d;\n"
		 "PRAGMA user_version = %d;\nCOMMIT;\n", schema, HISTORY_APPLICATION_ID,
		 HISTORY_SCHEMA_VERSION);
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot create a history in '%s': %s", h->path,
			 sqlite3_errmsg(h->db));
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -EIO;
	}
	return 0;
}

/* Whether the file is a history of this schema; creates the schema in an empty one. */
static int check_schema(struct history *h, bool create, char *err, size_t errsz)
{
	int app = 0, version = 0, objects = 0;

	if (pragma_int(h->db, "PRAGMA application_id", &app) != SQLITE_OK ||
	    pragma_int(h->db, "PRAGMA user_version", &version) != SQLITE_OK ||
	    pragma_int(h->db, "SELECT count(*) FROM sqlite_master", &objects) != SQLITE_OK) {
		snprintf(err, errsz, "'%s' is not a bpfgauge history: %s", h->path,
			 sqlite3_errmsg(h->db));
		return -EINVAL;
	}
	if (!app && !version && !objects) {
		if (create)
			return create_schema(h, err, errsz);
		snprintf(err, errsz, "'%s' is not a bpfgauge history: an empty database", h->path);
		return -EINVAL;
	}
	if (app != HISTORY_APPLICATION_ID) {
		snprintf(err, errsz, "'%s' is not a bpfgauge history: an SQLite database of "
			 "another application (application_id %#x)", h->path, app);
		return -EINVAL;
	}
	if (version > HISTORY_SCHEMA_VERSION) {
		snprintf(err, errsz, "'%s' has history schema %d, newer than this bpfgauge reads "
			 "(%d); use a newer bpfgauge", h->path, version, HISTORY_SCHEMA_VERSION);
		return -EINVAL;
	}
	if (version != HISTORY_SCHEMA_VERSION) {
		snprintf(err, errsz, "'%s' is not a bpfgauge history: schema version %d", h->path,
			 version);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[64];
		sqlite3_stmt *st;

		snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 0", tables[i]);
		if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
			snprintf(err, errsz, "'%s' is not a bpfgauge history: %s", h->path,
				 sqlite3_errmsg(h->db));
			return -EINVAL;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

int history_open(const char *path, bool create, struct history **out, char *err, size_t errsz)
{
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	struct history *h;
	char dir[512];
	int ret;

	*out = NULL;
	snprintf(dir, sizeof(dir), "%s", path);
	if (access(path, F_OK)) {
		ret = -errno;
		if (!create) {
			snprintf(err, errsz, "no history at '%s'; 'bpfgauge history add RESULT...' "
				 "starts one", path);
			return ret;
		}
		if (access(dirname(dir), W_OK | X_OK)) {
			ret = -errno;
			snprintf(err, errsz, "cannot create '%s': %s", path, strerror(-ret));
			return ret;
		}
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	snprintf(h->path, sizeof(h->path), "%s", path);
	if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot open '%s': %s", path,
			 h->db ? sqlite3_errmsg(h->db) : "out of memory");
		ret = -EIO;
		goto cleanup;
	}
	sqlite3_busy_timeout(h->db, 5000);
	ret = check_schema(h, create, err, errsz);
	if (!ret && create &&
	    sqlite3_exec(h->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "cannot use '%s': %s", path, sqlite3_errmsg(h->db));
		ret = -EIO;
	}
cleanup:
	if (ret)
		history_close(h);
	else
		*out = h;
	return ret;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h);
}

int history_begin(struct history *h)
{
	return sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

int history_commit(struct history *h)
{
	return sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

void history_rollback(struct history *h)
{
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

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

long long history_runs(struct history *h)
{
	int n = 0;

	return pragma_int(h->db, "SELECT count(*) FROM runs", &n) == SQLITE_OK ? n : -EIO;
}
