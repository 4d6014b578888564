// SPDX-License-Identifier: GPL-2.0
/* A real result with synthetic samples, and 'bpfgauge compare' run on it (compare_fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare_fixture.h"
#include "result/result.h"
#include "integration.h"
#include "support.h"

char compare_dir[] = "/tmp/bpfgauge-compare-XXXXXX";
static char *const dir = compare_dir;
static char bin[512];

#define FIXTURE "build/tests/compare-fixture.json"

static void setup(void)
{
	test_dir_make(dir);
	cr_assert_not_null(realpath(bpfgauge_bin(), bin), "no %s", bpfgauge_bin());
}

static void teardown(void)
{
	test_dir_remove(dir);
}

TestSuite(compare, .init = setup, .fini = teardown);

/* The real result, made once per build of the binary (cached next to the test binary). */
static json_t *real_result(void)
{
	struct stat fx, b;
	char cmd[1024], *out;
	json_t *doc;
	int st;

	if (stat(FIXTURE, &fx) || stat(bin, &b) || fx.st_mtime < b.st_mtime) {
		snprintf(cmd, sizeof(cmd), "printf '[suite]\\nreps = 5\\nseconds = 0.1\\n"
			 "[checks]\\nrun = bpf_syscall,tracepoint\\n[bench attach-overhead]\\n"
			 "variants = raw_tracepoint\\n' > %s/tiny.suite && rm -f %s && "
			 "%s run %s/tiny.suite -o %s 2>&1", dir, FIXTURE, bin, dir, FIXTURE);
		out = sh(cmd, &st);
		cr_assert(st == 0 || st == 1, "bpfgauge run: %s", out);
		free(out);
	}
	doc = json_load_file(FIXTURE, 0, NULL);
	cr_assert_not_null(doc, "%s is not JSON", FIXTURE);
	/* Without the machine's metrics: the synthetic results scale every metric, and a machine
	 * that ran at another speed would make them all inconclusive (test_compare_states.c). */
	test_drop_metric(doc, RESULT_REFERENCE_METRIC);
	test_drop_metric(doc, RESULT_CALLS_METRIC);
	cr_assert_geq(json_array_size(json_object_get(doc, "metrics")), 3);
	cr_assert_eq(json_array_size(json_object_get(doc, "checks")), 2);
	return doc;
}

/* Sample i of a tight synthetic series around 100 (spread 1%), times factor. */
double sample(size_t i, double factor)
{
	return 100.0 * (1 + 0.01 * (double)((i * 7) % 10) / 10) * factor;
}

/* Every metric ok with n samples of sample(i, factor); checks as they were. */
json_t *synthetic(size_t n, double factor)
{
	json_t *doc = real_result(), *m;
	size_t i;

	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		json_t *s = json_array();

		for (size_t k = 0; k < n; k++)
			json_array_append_new(s, json_real(sample(k, factor)));
		json_object_set_new(m, "samples", s);
		json_object_set_new(m, "status", json_string("ok"));
		json_object_del(m, "reason");
	}
	json_array_foreach(json_object_get(doc, "checks"), i, m)
		json_object_set_new(m, "status", json_string("pass"));
	return doc;
}

const char *save(json_t *doc, const char *name)
{
	static char path[8][256];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, 256, "%s/%s", dir, name);
	cr_assert_eq(json_dump_file(doc, p, JSON_INDENT(1)), 0);
	json_decref(doc);
	return p;
}

/* Runs 'bpfgauge compare ARGS' in dir; stdout returned, stderr in *err (may be NULL). */
char *compare(const char *args, int *status, char **err)
{
	char cmd[2048], *out;

	snprintf(cmd, sizeof(cmd), "cd %s && %s compare %s 2>%s/stderr", dir, bin, args, dir);
	out = sh(cmd, status);
	if (err) {
		snprintf(cmd, sizeof(cmd), "cat %s/stderr", dir);
		*err = sh(cmd, NULL);
	}
	return out;
}

json_t *compare_json(const char *args, int *status)
{
	char full[1024], *out;
	json_t *doc;

	snprintf(full, sizeof(full), "--json %s", args);
	out = compare(full, status, NULL);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	return doc;
}

const char *verdict_of(json_t *doc, const char *list, const char *name)
{
	const char *v = json_string_value(json_object_get(named(json_object_get(doc, list), name),
							  "verdict"));

	return v ? v : "(none)";
}

bool higher_better(json_t *m)
{
	return !strcmp(json_string_value(json_object_get(m, "better")), "higher");
}

json_t *with_check(json_t *doc, const char *name, const char *status, const char *why)
{
	json_t *c = named(json_object_get(doc, "checks"), name);

	cr_assert_not_null(c, "no check %s in the real result", name);
	json_object_set_new(c, "status", json_string(status));
	json_object_set_new(c, "reason", json_string(why));
	return doc;
}

char *in_dir(const char *args, int *st)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd %s && %s %s 2>&1", dir, bin, args);
	return sh(cmd, st);
}
