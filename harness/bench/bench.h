/* SPDX-License-Identifier: GPL-2.0 */
/* 'bpfgauge bench NAME': a benchmark run on its own; returns the exit code. */
#ifndef BPFGAUGE_BENCH_H
#define BPFGAUGE_BENCH_H

int cmd_bench(int argc, char **argv);

#endif
