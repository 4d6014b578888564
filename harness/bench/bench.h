/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge bench NAME': benchmarks that compare conditions inside one run.
 *   cmd_bench(argc, argv)  the subcommand; returns the exit code
 *   bench_tools(...)       'bench tools': tool cost per event vs floor and bpftrace
 */
#ifndef BPFGAUGE_BENCH_H
#define BPFGAUGE_BENCH_H

#include <stdbool.h>

int cmd_bench(int argc, char **argv);
int bench_tools(int argc, char **argv);
void bench_print_tools(const char *const *names, int nconds, double **per_call, double **added,
		       long reps, long calls, const char *method, const char *note, bool json);

#endif
