// SPDX-License-Identifier: GPL-2.0
/* What the tests of 'bpfgauge cost' share: its JSON, run and read. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost_tests.h"
#include "integration.h"
#include "support.h"

json_t *cost_json_run(const char *args)
{
	char cmd[1024], *out;
	json_t *doc;
	int code;

	snprintf(cmd, sizeof(cmd), "%s cost --json %s", bpfgauge_bin(), args);
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "cost %s: exit %d: %s", args, code, out);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	free(out);
	return doc;
}

json_t *cost_workload(json_t *doc, const char *name)
{
	json_t *w;
	size_t i;

	json_array_foreach(
		json_object_get(doc, "workloads"), i,
		w) if (!strcmp(json_string_value(json_object_get(w, "name")), name)) return w;
	cr_assert_fail("no workload '%s'", name);
	return NULL;
}

double cost_num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* The program whose name is name (bpftrace names them after their probe). */
json_t *cost_program(json_t *progs, const char *name)
{
	json_t *p;
	size_t i;

	json_array_foreach(progs, i, p) if (!strcmp(json_string_value(json_object_get(p, "name")),
						    name)) return p;
	cr_assert_fail("no program '%s' in %s", name, json_dumps(progs, 0));
	return NULL;
}
