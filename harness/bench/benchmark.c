// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "benchmark.h"

bool bench_wants(const struct bench_params *p, const char *variant)
{
	if (!p->nr_variants)
		return true;
	for (size_t i = 0; i < p->nr_variants; i++)
		if (!strcmp(p->variants[i], variant))
			return true;
	return false;
}

struct workload_opts bench_workload_opts(const struct bench_params *p)
{
	return (struct workload_opts){ .seconds = p->seconds, .ops = p->ops, .cpu = p->cpu,
				       .workdir = p->workdir, .extra_pct = p->inject_extra_pct };
}
