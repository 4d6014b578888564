/* SPDX-License-Identifier: GPL-2.0 */
/* 'bpfgauge trace TOOL': the subcommand; returns the exit code. */
#ifndef BPFGAUGE_TRACE_H
#define BPFGAUGE_TRACE_H

int cmd_trace(int argc, char **argv);

#endif
