// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "workload.h"

#define WORKLOAD(id) extern const struct workload workload_##id;
#include "workloads.def"
#undef WORKLOAD

const struct workload *const workload_registry[] = {
#define WORKLOAD(id) &workload_##id,
#include "workloads.def"
#undef WORKLOAD
};
const size_t workload_registry_len = sizeof(workload_registry) / sizeof(workload_registry[0]);

const struct workload *workload_find(const char *name)
{
	for (size_t i = 0; i < workload_registry_len; i++)
		if (!strcmp(workload_registry[i]->name, name))
			return workload_registry[i];
	return NULL;
}

void workload_result_release(struct workload_result *r)
{
	json_decref(r->extra);
	memset(r, 0, sizeof(*r));
}
