// SPDX-License-Identifier: GPL-2.0
/* Throughputs adjusted for the machine's speed, from the reference of the same repetition. */
#include <stdlib.h>
#include <string.h>

#include "adjust.h"
#include "lib/stats.h"
#include "result/result.h"
#include "result/result_json.h"
#include "result/result_merge.h"

/* The metric's benchmark's repetitions and where its first repetition's reference sample is
 * in a run (the repetitions of the benchmarks before it), and all repetitions of a run. */
static int bench_place(const json_t *doc, const char *metric, size_t *reps, size_t *offset,
		       size_t *per_run)
{
	size_t len = strcspn(metric, "/"), i;
	const json_t *b;
	int found = -1;

	*per_run = 0;
	json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
		const char *name = json_str(b, "name");
		json_int_t r = json_integer_value(json_object_get(b, "reps"));

		if (r <= 0 || json_object_get(b, "error"))
			return -1;
		if (strlen(name) == len && !strncmp(name, metric, len)) {
			*reps = r;
			*offset = *per_run;
			found = 0;
		}
		*per_run += r;
	}
	return found;
}

size_t metric_adjusted_run_medians(const json_t *doc, const json_t *m, double *out, size_t cap)
{
	const char *name = json_str(m, "name");
	const json_t *ref = json_object_get(result_metric(doc, RESULT_REFERENCE_METRIC),
					    "samples");
	const json_t *samples = json_object_get(m, "samples");
	size_t runs = result_runs(doc), reps = 0, offset = 0, per_run = 0;
	double *v;

	if (strcmp(json_str(m, "unit"), "ops/s") || strcmp(json_str(m, "status"), "ok") ||
	    !strcmp(name, RESULT_REFERENCE_METRIC) || runs > cap ||
	    bench_place(doc, name, &reps, &offset, &per_run) ||
	    json_array_size(ref) != runs * per_run || json_array_size(samples) != runs * reps)
		return 0;
	v = malloc(reps * sizeof(*v));
	if (!v)
		return 0;
	for (size_t r = 0; r < runs; r++) {
		for (size_t i = 0; i < reps; i++) {
			double s = json_number_value(json_array_get(samples, r * reps + i));
			double x = json_number_value(json_array_get(ref, r * per_run + offset + i));

			if (!(x > 0) || !(s > 0)) {
				free(v);
				return 0;
			}
			v[i] = s / x;
		}
		out[r] = stats_quantile(v, reps, 0.5);
	}
	free(v);
	return runs;
}
