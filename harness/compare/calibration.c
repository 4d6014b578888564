// SPDX-License-Identifier: GPL-2.0
/* Calibrations: a machine class's run-to-run noise, from results of several runs. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibration.h"
#include "lib/stats.h"
#include "result/result_json.h"
#include "result/result_merge.h"
#include "result/run_values.h"

static int add(const char *path, struct loaded_result **cals, size_t *n, bool must,
	       char *err, size_t errsz)
{
	struct loaded_result r = { 0 }, *grown;
	char why[768];

	if (result_load(path, &r, why, sizeof(why))) {
		if (must)
			snprintf(err, errsz, "calibration: %s", why);
		return must ? -EINVAL : 0;
	}
	if (result_runs(r.doc) < 2) {
		result_unload(&r);
		if (must)
			snprintf(err, errsz, "calibration '%s' holds one run: a calibration needs "
				 "several ('bpfgauge calibrate SUITE', or 'bpfgauge run SUITE "
				 "--runs K')", path);
		return must ? -EINVAL : 0;
	}
	grown = realloc(*cals, (*n + 1) * sizeof(**cals));
	if (!grown) {
		result_unload(&r);
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	*cals = grown;
	(*cals)[(*n)++] = r;
	return 0;
}

int calibration_load(const char *path, struct loaded_result **cals, size_t *n, char *err,
		     size_t errsz)
{
	struct dirent **names = NULL;
	struct stat st;
	int k, ret = 0;

	*cals = NULL;
	*n = 0;
	if (stat(path, &st)) {
		ret = -errno;
		if (ret == -ENOENT && !strcmp(path, CALIBRATION_DIR))
			return 0;
		snprintf(err, errsz, "calibration '%s': %s", path, strerror(-ret));
		return ret;
	}
	if (!S_ISDIR(st.st_mode))
		return add(path, cals, n, true, err, errsz);
	k = scandir(path, &names, NULL, alphasort);
	if (k < 0) {
		ret = -errno;
		snprintf(err, errsz, "calibration '%s': %s", path, strerror(-ret));
		return ret;
	}
	for (int i = 0; i < k; i++) {
		size_t len = strlen(names[i]->d_name);
		char file[1024];

		if (!ret && len > 5 && !strcmp(names[i]->d_name + len - 5, ".json")) {
			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			ret = add(file, cals, n, false, err, errsz);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

/* Whether two results have a run in common (the same file, or one merged from the other):
 * that run's spread would count twice. */
static bool share_a_run(const json_t *a, const json_t *b)
{
	json_t *ra = result_runs_of(a), *rb = result_runs_of(b);
	bool shared = false;

	for (size_t i = 0; i < json_array_size(ra) && !shared; i++)
		for (size_t j = 0; j < json_array_size(rb) && !shared; j++)
			shared = result_run_same(json_array_get(ra, i), json_array_get(rb, j));
	json_decref(ra);
	json_decref(rb);
	return shared;
}

bool calibration_applies(const struct loaded_result *cal, const struct loaded_result *base,
			 const struct loaded_result *cur)
{
	return !share_a_run(cal->doc, base->doc) && !share_a_run(cal->doc, cur->doc) &&
	       !result_env_mismatch(json_object_get(cal->doc, "environment"),
				    json_object_get(cur->doc, "environment"), false);
}

/* Whether a metric was measured alike in both: its benchmark with the same repetitions and
 * seconds (a metric of no benchmark, the reference, always). */
static bool measured_alike(const json_t *a, const json_t *b, const char *metric)
{
	const json_t *ba = result_bench_entry(a, metric),
		     *bb = result_bench_entry(b, metric);

	if (!ba && !bb)
		return true;
	return ba && bb && json_equal(json_object_get(ba, "reps"), json_object_get(bb, "reps")) &&
	       json_number_value(json_object_get(ba, "seconds")) ==
	       json_number_value(json_object_get(bb, "seconds"));
}

struct run_noise calibration_noise(const struct loaded_result *const *cals,
				   const struct run_mask *masks, size_t n,
				   const struct loaded_result *cur, const char *metric,
				   bool fastest)
{
	struct run_noise noise = { 0 };
	double med[RESULT_MAX_RUNS];

	for (size_t i = 0; i < n; i++) {
		const json_t *m = result_metric(cals[i]->doc, metric);
		double mean, ss;
		size_t k;
		bool took;

		/* A calibration that never had the CPU to itself is not this machine's noise. */
		if (!m || !measured_alike(cals[i]->doc, cur->doc, metric) ||
		    run_mask_none(&masks[i]))
			continue;
		k = metric_run_values(m, fastest, med, RESULT_MAX_RUNS, &took);
		if (took != fastest)
			continue;
		k = run_mask_apply(&masks[i], med, k);
		if (k >= 2 && !stats_log_moments(med, k, &mean, &ss)) {
			noise.ss += ss;
			noise.df += (int)k - 1;
		}
	}
	return noise;
}

void calibration_release(struct loaded_result *cals, size_t n)
{
	for (size_t i = 0; i < n; i++)
		result_unload(&cals[i]);
	free(cals);
}
