// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "result/result.h"
#include "run_result.h"
#include "suite.h"

json_t *run_result_new(const struct suite *s, json_t *env)
{
	json_t *thresholds = json_object();

	for (size_t i = 0; i < s->nr_thresholds; i++)
		json_object_set_new(thresholds, s->thresholds[i].glob,
				    json_real(s->thresholds[i].pct));
	/* env is stolen: the document owns it. */
	return json_pack("{s:s s:s s:{s:s s:s s:s s:f s:o} s:o s:[] s:[] s:[]}",
			 "schema_version", RESULT_SCHEMA_VERSION, "kind", "bpfgauge-run",
			 "suite", "name", s->name, "path", s->path, "description", s->description,
			 "threshold_pct", s->threshold_pct, "thresholds_pct", thresholds,
			 "environment", env, "checks", "benchmarks", "metrics");
}
