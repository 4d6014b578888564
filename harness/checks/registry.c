// SPDX-License-Identifier: GPL-2.0
/* The check registry: one line per check in checks.def. */
#include <string.h>

#include "check.h"

#define CHECK(id) extern const struct check check_##id;
#include "checks.def"
#undef CHECK

const struct check *const check_registry[] = {
#define CHECK(id) &check_##id,
#include "checks.def"
#undef CHECK
};
const size_t check_registry_len = sizeof(check_registry) / sizeof(check_registry[0]);

const struct check *check_find(const char *name)
{
	for (size_t i = 0; i < check_registry_len; i++)
		if (!strcmp(check_registry[i]->name, name))
			return check_registry[i];
	return NULL;
}

size_t check_index(const struct check *c)
{
	size_t i = 0;

	while (i < check_registry_len && check_registry[i] != c)
		i++;
	return i;
}
