// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fileio.h"
#include "result_load.h"

/* "'x.json' is not a bpfgauge result: WHAT" */
__attribute__((format(printf, 4, 5)))
static int not_result(char *err, size_t errsz, const char *path, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errsz, "'%s' is not a bpfgauge result: %s", path, what);
	return -EINVAL;
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	default: return "null";
	}
}

/* A string member 'key' of obj; where is "metrics[3]" for the message. */
static int want_string(const json_t *obj, const char *where, const char *key, bool optional,
		       const char *path, char *err, size_t errsz)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || (optional && json_is_null(v)))
		return optional ? 0 : not_result(err, errsz, path, "%s has no \"%s\"", where, key);
	if (!json_is_string(v))
		return not_result(err, errsz, path, "%s.%s is %s, not a string", where, key,
				  json_kind(v));
	return 0;
}

static int check_metric(const json_t *m, size_t i, const char *path, char *err, size_t errsz)
{
	static const char *const keys[] = { "name", "unit", "better", "status" };
	const char *better;
	char where[64];
	const json_t *samples, *v;
	size_t j;
	int ret;

	snprintf(where, sizeof(where), "metrics[%zu]", i);
	if (!json_is_object(m))
		return not_result(err, errsz, path, "%s is %s, not an object", where, json_kind(m));
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		ret = want_string(m, where, keys[k], false, path, err, errsz);
		if (ret)
			return ret;
	}
	better = json_string_value(json_object_get(m, "better"));
	if (strcmp(better, "lower") && strcmp(better, "higher"))
		return not_result(err, errsz, path, "%s.better is \"%s\", not \"lower\" or "
				  "\"higher\"", where, better);
	samples = json_object_get(m, "samples");
	if (!samples)
		return not_result(err, errsz, path, "%s has no \"samples\"", where);
	if (!json_is_array(samples))
		return not_result(err, errsz, path, "%s.samples is %s, not an array", where,
				  json_kind(samples));
	json_array_foreach(samples, j, v) {
		if (!json_is_number(v))
			return not_result(err, errsz, path, "%s.samples[%zu] is %s", where, j,
					  json_kind(v));
	}
	return 0;
}

static int check_check(const json_t *c, size_t i, const char *path, char *err, size_t errsz)
{
	char where[64];
	int ret;

	snprintf(where, sizeof(where), "checks[%zu]", i);
	if (!json_is_object(c))
		return not_result(err, errsz, path, "%s is %s, not an object", where, json_kind(c));
	ret = want_string(c, where, "name", false, path, err, errsz);
	if (!ret)
		ret = want_string(c, where, "status", false, path, err, errsz);
	if (!ret)
		ret = want_string(c, where, "reason", true, path, err, errsz);
	return ret;
}

/* benchmarks[], when there: objects named by a string, "error" a string when there. */
static int check_benchmarks(const json_t *doc, const char *path, char *err, size_t errsz)
{
	const json_t *arr = json_object_get(doc, "benchmarks"), *b;
	char where[64];
	size_t i;
	int ret;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return not_result(err, errsz, path, "\"benchmarks\" is %s, not an array",
				  json_kind(arr));
	json_array_foreach(arr, i, b) {
		snprintf(where, sizeof(where), "benchmarks[%zu]", i);
		if (!json_is_object(b))
			return not_result(err, errsz, path, "%s is %s, not an object", where,
					  json_kind(b));
		ret = want_string(b, where, "name", false, path, err, errsz);
		if (!ret)
			ret = want_string(b, where, "error", true, path, err, errsz);
		if (ret)
			return ret;
	}
	return 0;
}

/* Every entry of arr (metrics or checks) valid and named once. */
static int check_list(const json_t *doc, const char *key, const char *path, char *err,
		      size_t errsz)
{
	const json_t *arr = json_object_get(doc, key), *e;
	size_t i;
	int ret;

	if (!arr)
		return not_result(err, errsz, path, "no \"%s\"", key);
	if (!json_is_array(arr))
		return not_result(err, errsz, path, "\"%s\" is %s, not an array", key,
				  json_kind(arr));
	json_array_foreach(arr, i, e) {
		const char *name;

		ret = key[0] == 'm' ? check_metric(e, i, path, err, errsz) :
				      check_check(e, i, path, err, errsz);
		if (ret)
			return ret;
		name = json_string_value(json_object_get(e, "name"));
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(name, json_string_value(json_object_get(json_array_get(arr, j),
									    "name"))))
				return not_result(err, errsz, path, "%s[%zu] and %s[%zu] are both "
						  "named '%s'", key, j, key, i, name);
		}
	}
	return 0;
}

static int check_document(const json_t *doc, const char *path, char *err, size_t errsz)
{
	const json_t *v;
	const char *s;
	int major, minor, end = 0, ret;

	if (!json_is_object(doc))
		return not_result(err, errsz, path, "the document is %s, not an object",
				  json_kind(doc));
	v = json_object_get(doc, "schema_version");
	if (!v)
		return not_result(err, errsz, path, "no \"schema_version\"");
	s = json_string_value(v);
	if (!s || sscanf(s, "%d.%d%n", &major, &minor, &end) != 2 || s[end] || major < 0 ||
	    minor < 0)
		return not_result(err, errsz, path, "schema_version is not \"MAJOR.MINOR\"");
	if (major != 1) {
		snprintf(err, errsz, "'%s' has schema_version \"%s\", which this bpfgauge "
			 "cannot read (it reads 1.x): use a bpfgauge that knows version %d", path,
			 s, major);
		return -EINVAL;
	}
	s = json_string_value(json_object_get(doc, "kind"));
	if (!s || strcmp(s, "bpfgauge-run"))
		return not_result(err, errsz, path, "\"kind\" is not \"bpfgauge-run\"");
	v = json_object_get(doc, "environment");
	if (!json_is_object(v))
		return not_result(err, errsz, path, v ? "\"environment\" is not an object" :
				  "no \"environment\"");
	ret = check_list(doc, "metrics", path, err, errsz);
	if (!ret)
		ret = check_list(doc, "checks", path, err, errsz);
	if (!ret)
		ret = check_benchmarks(doc, path, err, errsz);
	return ret;
}

static void make_label(struct loaded_result *r)
{
	const json_t *env = json_object_get(r->doc, "environment");
	const char *release = json_string_value(json_object_get(json_object_get(env, "kernel"),
								 "release"));
	const char *host = json_string_value(json_object_get(env, "hostname"));
	const char *accel = json_string_value(json_object_get(json_object_get(env, "guest"),
							       "accelerator"));
	const char *base = strrchr(r->path, '/');
	int n;

	if (release || host) {
		n = snprintf(r->label, sizeof(r->label), "%s%s%s", release ? release : "",
			     release && host ? " " : "", host ? host : "");
	} else {
		base = base ? base + 1 : r->path;
		n = snprintf(r->label, sizeof(r->label), "%.*s", (int)strcspn(base, "."), base);
		if (!n)
			n = snprintf(r->label, sizeof(r->label), "%s", base);
	}
	if (accel && n >= 0 && (size_t)n < sizeof(r->label))
		snprintf(r->label + n, sizeof(r->label) - n, " (%s)", accel);
}

/* The whole file, NUL-terminated; 0 or -errno with the message in err. */
static int read_all(const char *path, char **data, size_t *len, char *err, size_t errsz)
{
	int ret = file_read_all(path, 0, data, len);

	if (ret == -EISDIR)
		snprintf(err, errsz, "'%s' is a directory, not a result file", path);
	else if (ret)
		snprintf(err, errsz, "cannot read '%s': %s", path,
			 ret == -ENOMEM ? "out of memory" : strerror(-ret));
	return ret;
}

int result_load(const char *path, struct loaded_result *r, char *err, size_t errsz)
{
	json_error_t jerr;
	char *data = NULL;
	size_t len = 0;
	int ret;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	ret = read_all(path, &data, &len, err, errsz);
	if (ret)
		return ret;
	if (len == strspn(data, " \t\r\n")) {
		ret = not_result(err, errsz, path, "the file is empty");
		goto cleanup;
	}
	r->doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->doc) {
		snprintf(err, errsz, "'%s' is not valid JSON: line %d column %d: %s", path,
			 jerr.line, jerr.column, jerr.text);
		ret = -EINVAL;
		goto cleanup;
	}
	ret = check_document(r->doc, path, err, errsz);
	if (ret) {
		result_unload(r);
		goto cleanup;
	}
	make_label(r);
cleanup:
	free(data);
	return ret;
}

void result_unload(struct loaded_result *r)
{
	json_decref(r->doc);
	r->doc = NULL;
}

int result_newest(const char *dir, char *path, size_t sz)
{
	char best_time[64] = "", candidate[1024], err[256];
	struct timespec best_mtime = { 0 };
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		struct loaded_result r;
		const char *t;
		struct stat st;
		size_t len = strlen(de->d_name);
		int cmp;

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") || de->d_name[0] == '.')
			continue;
		snprintf(candidate, sizeof(candidate), "%s/%s", dir, de->d_name);
		if (stat(candidate, &st) || !S_ISREG(st.st_mode))
			continue;
		if (result_load(candidate, &r, err, sizeof(err)))
			continue;
		t = json_string_value(json_object_get(json_object_get(r.doc, "environment"),
						      "time"));
		cmp = strcmp(t ? t : "", best_time);
		if (!found || cmp > 0 || (cmp == 0 &&
		    (st.st_mtim.tv_sec > best_mtime.tv_sec ||
		     (st.st_mtim.tv_sec == best_mtime.tv_sec &&
		      st.st_mtim.tv_nsec > best_mtime.tv_nsec)))) {
			found = true;
			snprintf(best_time, sizeof(best_time), "%s", t ? t : "");
			best_mtime = st.st_mtim;
			snprintf(path, sz, "%s", candidate);
		}
		result_unload(&r);
	}
	closedir(d);
	return found ? 0 : -ENOENT;
}
