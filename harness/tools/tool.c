// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

void tool_report_release(struct tool_report *rep)
{
	free(rep->hists);
	memset(rep, 0, sizeof(*rep));
}

struct tool_hist *tool_report_add(struct tool_report *rep, const char *label)
{
	struct tool_hist *tmp = realloc(rep->hists, (rep->nr_hists + 1) * sizeof(*tmp));

	if (!tmp)
		return NULL;
	rep->hists = tmp;
	tmp = &rep->hists[rep->nr_hists++];
	memset(tmp, 0, sizeof(*tmp));
	snprintf(tmp->label, sizeof(tmp->label), "%s", label);
	return tmp;
}

const struct tool_option *tool_option_find(const struct tool *t, const char *name)
{
	for (const struct tool_option *opt = t->options; opt && opt->name; opt++)
		if (!strcmp(opt->name, name))
			return opt;
	return NULL;
}

const char *tool_start_status(int err)
{
	return err == -EOPNOTSUPP || err == -ENOTSUP || err == -EPERM || err == -ENOSYS ?
	       "unsupported" : "error";
}
