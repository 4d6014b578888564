/* SPDX-License-Identifier: GPL-2.0 */
/* 'bpfgauge run SUITE': checks + benchmarks from a suite file, one result JSON. */
#ifndef BPFGAUGE_RUN_H
#define BPFGAUGE_RUN_H

int cmd_run(int argc, char **argv);
/* cmd_run writing to default_out, not results/SUITE-TIME-HOST.json, when there is no -o. */
int run_command(int argc, char **argv, const char *default_out);
/* 'bpfgauge calibrate SUITE': run --runs 10 into results/calibration/ (calibrate.c). */
int cmd_calibrate(int argc, char **argv);

#endif
