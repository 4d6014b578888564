// SPDX-License-Identifier: GPL-2.0
/* Reading a result document: the lookups every reader repeats (result_json.h). */
#include <string.h>

#include "result.h"
#include "result_json.h"

const char *result_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

const json_t *result_named(const json_t *arr, const char *name)
{
	const json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(result_str(e, "name"), name))
			return e;
	return NULL;
}

const json_t *result_metric(const json_t *doc, const char *name)
{
	return result_named(json_object_get(doc, "metrics"), name);
}

const json_t *result_bench_entry(const json_t *doc, const char *metric)
{
	const json_t *e;
	size_t i;

	/* A name without '/' is a benchmark's; a cost section's has one. */
	json_array_foreach(json_object_get(doc, "benchmarks"), i, e) {
		const char *name = result_str(e, "name");
		size_t len = strlen(name);

		if (len && !strncmp(name, metric, len) && metric[len] == '/')
			return e;
	}
	return NULL;
}

bool result_is_machine_metric(const char *name)
{
	return !strncmp(name, RESULT_MACHINE_PREFIX, strlen(RESULT_MACHINE_PREFIX));
}
