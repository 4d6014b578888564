/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conditions of the syscall-tools benchmark (syscall_tools.c), in the order it runs and
 * names them: its metrics are syscall-tools/CONDITION/ns_per_call and .../added_ns.
 */
#ifndef BPFGAUGE_SYSCALL_TOOLS_H
#define BPFGAUGE_SYSCALL_TOOLS_H

enum syscall_tools_cond { ST_NONE, ST_FLOOR, ST_CLOCK, ST_TOOL, ST_BPFTRACE, ST_NR_CONDS };

extern const char *const syscall_tools_conds[ST_NR_CONDS];

#endif
