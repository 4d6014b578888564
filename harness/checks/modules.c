// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "modules.h"

static const struct {
	const char *config, *name;
} modules[] = {
	{ "CONFIG_VETH", "veth" },			/* every network check's pair */
	{ "CONFIG_NET_SCH_INGRESS", "sch_ingress" },	/* tc: clsact */
	{ "CONFIG_NET_CLS_BPF", "cls_bpf" },		/* tc: the filter */
};

#define NR_MODULES (sizeof(modules) / sizeof(modules[0]))

const char *check_module_of(const char *config)
{
	for (size_t i = 0; i < NR_MODULES; i++)
		if (!strcmp(modules[i].config, config))
			return modules[i].name;
	return NULL;
}

const char *const *check_module_names(void)
{
	static const char *names[NR_MODULES + 1];

	for (size_t i = 0; i < NR_MODULES; i++)
		names[i] = modules[i].name;
	return names;
}

bool check_module_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return !access(path, F_OK);
}
