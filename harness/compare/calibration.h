/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calibrations: results of several runs ('bpfgauge calibrate SUITE', or any result of
 * 'bpfgauge run --runs K') kept in results/calibration/, from which 'bpfgauge compare' takes
 * a machine class's run-to-run noise (docs/compare.md, "Across runs").
 *
 *   calibration_load(path, &cals, &n, err, sz)   every result of several runs in the directory
 *                                    path (or the one file path); a directory that does not
 *                                    exist holds none. 0, or -errno with one line in err
 *   calibration_applies(cal, base, cur)   whether cal is of cur's machine class (CPU model
 *                                    and count, hypervisor, architecture; not the kernel)
 *                                    and is neither base nor cur
 *   calibration_noise(cals, masks, n, cur, metric, fastest)   the run-to-run noise of one
 *                                    metric in them, from those that measured it alike (its
 *                                    benchmark with cur's repetitions and seconds): the spread
 *                                    of its run values (run_values.h) over the runs masks[i]
 *                                    keeps
 *   calibration_release(cals, n)
 */
#ifndef BPFGAUGE_CALIBRATION_H
#define BPFGAUGE_CALIBRATION_H

#include <stdbool.h>

#include "result/result_load.h"
#include "run_mask.h"
#include "verdict.h"

#define CALIBRATION_DIR "results/calibration"

int calibration_load(const char *path, struct loaded_result **cals, size_t *n, char *err,
		     size_t errsz);
bool calibration_applies(const struct loaded_result *cal, const struct loaded_result *base,
			 const struct loaded_result *cur);
struct run_noise calibration_noise(const struct loaded_result *const *cals,
				   const struct run_mask *masks, size_t n,
				   const struct loaded_result *cur, const char *metric,
				   bool fastest);
void calibration_release(struct loaded_result *cals, size_t n);

#endif
