// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "jobfiles.h"

static const struct {
	const char *name;	/* path under workloads/ */
	const char *text;
} jobfiles[] = {
#include "workload_jobs.h"
};

const char *jobfile_text(const char *name)
{
	for (size_t i = 0; i < sizeof(jobfiles) / sizeof(jobfiles[0]); i++)
		if (!strcmp(jobfiles[i].name, name))
			return jobfiles[i].text;
	return NULL;
}
