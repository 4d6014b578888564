// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <errno.h>

#include "support.h"
#include "workloads/workload.h"

char *sh(const char *cmd, int *status)
{
	size_t cap = 4096, len = 0, n;
	char *out = malloc(cap);
	FILE *p = popen(cmd, "r");
	int st;

	out[0] = '\0';
	if (!p) {
		if (status)
			*status = -1;
		return out;
	}
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			out = realloc(out, cap);
		}
	}
	out[len] = '\0';
	st = pclose(p);
	if (status)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

void test_dir_make(char *tmpl)
{
	cr_assert_not_null(mkdtemp(tmpl), "mkdtemp '%s' failed", tmpl);
}

void test_dir_remove(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	free(sh(cmd, NULL));
}

void test_file_write(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write '%s'", path);
	fputs(text, f);
	fclose(f);
}

char *test_file_read(const char *dir, const char *name)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cat '%s/%s' 2>/dev/null", dir, name);
	return sh(cmd, NULL);
}

char *test_dir_list(const char *dir, const char *sub)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd '%s/%s' && ls -A | LC_ALL=C sort", dir, sub);
	return sh(cmd, NULL);
}

bool installed(const char *prog)
{
	char cmd[128], *out;
	int st;

	snprintf(cmd, sizeof(cmd), "command -v %s", prog);
	out = sh(cmd, &st);
	free(out);
	return st == 0;
}

size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

void expect_unsupported(const char *name, const struct workload_opts *o, const char *why)
{
	const struct workload *w = workload_find(name);
	char got[256] = "";
	void *state = (void *)1;

	cr_assert_not_null(w);
	cr_assert_eq(w->setup(o, &state, got, sizeof(got)), -EOPNOTSUPP, "%s", name);
	cr_assert_str_eq(got, why, "%s", name);
	cr_assert_null(state);
}

json_t *test_json_load(const char *dir, const char *name)
{
	char path[512];
	json_error_t e;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	doc = json_load_file(path, 0, &e);
	cr_assert_not_null(doc, "%s: %s", path, e.text);
	return doc;
}

json_t *named(json_t *arr, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")), name))
			return e;
	return NULL;
}

json_t *test_metric(const json_t *doc, const char *name)
{
	json_t *m = named(json_object_get(doc, "metrics"), name);

	cr_assert_not_null(m, "no metric '%s'", name);
	return m;
}

void test_drop_metric(json_t *doc, const char *name)
{
	json_t *m;
	size_t i;

	json_array_foreach(json_object_get(doc, "metrics"), i, m)
		if (!strcmp(json_string_value(json_object_get(m, "name")), name)) {
			json_array_remove(json_object_get(doc, "metrics"), i);
			return;
		}
}
