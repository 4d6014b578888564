// SPDX-License-Identifier: GPL-2.0
/* What the tests of 'bpfgauge cost' share: its JSON, run and read. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "cost_tests.h"
#include "integration.h"
#include "support.h"

json_t *cost_json_run(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cost --json %s", args);
	return bpfgauge_json_ok(cmd);
}

json_t *cost_workload(json_t *doc, const char *name)
{
	json_t *w = named(json_object_get(doc, "workloads"), name);

	cr_assert_not_null(w, "no workload '%s'", name);
	return w;
}

double cost_num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* The program whose name is name (bpftrace names them after their probe). */
json_t *cost_program(json_t *progs, const char *name)
{
	json_t *p = named(progs, name);

	cr_assert_not_null(p, "no program '%s' in %s", name, json_dumps(progs, 0));
	return p;
}

double cost_runs_per_op(json_t *workload, const char *prog)
{
	return cost_num(cost_program(json_object_get(workload, "programs"), prog), "runs_per_op");
}
