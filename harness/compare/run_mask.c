// SPDX-License-Identifier: GPL-2.0
/* Which runs of a result had the CPU to themselves: the runs compared (run_mask.h). */
#include "run_mask.h"

size_t run_mask_apply(const struct run_mask *mask, double *v, size_t k)
{
	size_t n = 0;

	if (!mask->runs || mask->runs != k || !mask->kept)
		return k;
	for (size_t r = 0; r < k; r++)
		if (mask->keep[r])
			v[n++] = v[r];
	return n;
}

bool run_mask_none(const struct run_mask *mask)
{
	return mask->runs && !mask->kept;
}
