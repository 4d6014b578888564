/* SPDX-License-Identifier: GPL-2.0 */
/* 'bpfgauge cost -- TRACER...': what a tracer costs workloads here; returns the exit code. */
#ifndef BPFGAUGE_COST_CMD_H
#define BPFGAUGE_COST_CMD_H

int cmd_cost(int argc, char **argv);

#endif
