// SPDX-License-Identifier: GPL-2.0
/* The tool registry: one line per tool in tools.def. */
#include <string.h>

#include "tool.h"

#define TOOL(id) extern const struct tool tool_##id;
#include "tools.def"
#undef TOOL

const struct tool *const tool_registry[] = {
#define TOOL(id) &tool_##id,
#include "tools.def"
#undef TOOL
};
const size_t tool_registry_len = sizeof(tool_registry) / sizeof(tool_registry[0]);

const struct tool *tool_find(const char *name)
{
	for (size_t i = 0; i < tool_registry_len; i++)
		if (!strcmp(tool_registry[i]->name, name))
			return tool_registry[i];
	return NULL;
}
