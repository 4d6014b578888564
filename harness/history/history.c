// SPDX-License-Identifier: GPL-2.0
/* The history database: the schema, opening with checks, transactions. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "history.h"

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

long long history_runs(struct history *h)
{
	int n = 0;

	return pragma_int(h->db, "SELECT count(*) FROM runs", &n) == SQLITE_OK ? n : -EIO;
}
