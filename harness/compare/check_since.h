/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a check starts to pass, across results of several kernels (compare's matrix):
 *   check_since(r, n, name, &s)   s.arrived: the upstream version its feature arrived in
 *                                 (details.arrived_in, from the first result that has it);
 *                                 s.passes_from: the lowest kernel version (X.Y of
 *                                 environment.kernel.release) among the results where it
 *                                 passed; s.early: it passes on a kernel older than its
 *                                 arrival (a distribution's backport, or a wrong verdict)
 * Empty strings when unknown.
 */
#ifndef BPFGAUGE_CHECK_SINCE_H
#define BPFGAUGE_CHECK_SINCE_H

#include <stdbool.h>
#include <stddef.h>

#include "result/result_load.h"

struct check_since {
	char arrived[16];
	char passes_from[16];
	bool early;
};

void check_since(const struct loaded_result *r, size_t n, const char *name,
		 struct check_since *s);

#endif
