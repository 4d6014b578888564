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
