// SPDX-License-Identifier: GPL-2.0
/* Reading a result document: the lookups every reader repeats (result_json.h). */
#include <string.h>

#include "result_json.h"

const char *json_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

const json_t *json_named(const json_t *arr, const char *name)
{
	const json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (!strcmp(json_str(e, "name"), name))
			return e;
	return NULL;
}

const json_t *result_metric(const json_t *doc, const char *name)
{
	return json_named(json_object_get(doc, "metrics"), name);
}

const json_t *result_bench_entry(const json_t *doc, const char *metric)
{
	size_t len = strcspn(metric, "/"), i;
	const json_t *e;

	json_array_foreach(json_object_get(doc, "benchmarks"), i, e) {
		const char *name = json_str(e, "name");

		if (strlen(name) == len && !strncmp(name, metric, len))
			return e;
	}
	return NULL;
}
