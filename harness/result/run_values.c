// SPDX-License-Identifier: GPL-2.0
/* A metric's value in each run: a throughput's fastest repetition, else the median. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "result_json.h"
#include "result_merge.h"
#include "run_values.h"

bool metric_run_fastest(const json_t *m)
{
	return !strcmp(result_str(m, "unit"), "ops/s");
}

/* Whether v (one run's repetitions) has the median the result holds for that run. */
static bool same_median(const double *v, size_t n, double median)
{
	double q = stats_quantile(v, n, 0.5);

	return fabs(q - median) <= 1e-9 * fabs(median);
}

size_t metric_run_values(const json_t *m, bool fastest_wanted, double *out, size_t cap,
			 bool *took)
{
	const json_t *samples = json_object_get(m, "samples");
	size_t k = metric_run_medians(m, out, cap), n = json_array_size(samples), per;
	double *v, fastest[RESULT_MAX_RUNS];
	bool split = true;

	if (took)
		*took = false;
	if (!k || !fastest_wanted || !metric_run_fastest(m) || n % k || k > RESULT_MAX_RUNS)
		return k;
	per = n / k;
	v = malloc(per * sizeof(*v));
	if (!v)
		return k;
	for (size_t r = 0; r < k && split; r++) {
		fastest[r] = -INFINITY;
		for (size_t i = 0; i < per; i++) {
			v[i] = json_number_value(json_array_get(samples, r * per + i));
			fastest[r] = fmax(fastest[r], v[i]);
		}
		split = same_median(v, per, out[r]);
	}
	free(v);
	if (split)
		memcpy(out, fastest, k * sizeof(*out));
	if (took)
		*took = split;
	return k;
}
