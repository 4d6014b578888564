/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence about the kernel's function hooks (kprobes, ftrace), read without changing anything.
 * tracefs is mounted when missing (see mounts.h).
 *
 *   ftrace_kprobe_pmu()       0 when perf has a 'kprobe' PMU (KPROBE_PMU_PATH), else -errno
 *   ftrace_kprobe_events()    0 when tracefs has kprobe_events, else -errno
 *   ftrace_filter_open()      0 when tracefs set_ftrace_filter opens for writing, else -errno;
 *                             opened with O_WRONLY|O_APPEND and closed unwritten: the filter stays
 *   ftrace_enabled()          the sysctl kernel.ftrace_enabled (0 or 1), or -errno
 *   ftrace_explain_trampoline(err, why, sz)   after a trampoline (fentry/fexit) was refused
 *                             with EPERM: appends to why that set_ftrace_filter does not open
 *                             for writing either, when so ("likely ftrace function hooks are
 *                             refused": trampolines on kernel functions are built on them)
 */
#ifndef BPFGAUGE_FTRACE_H
#define BPFGAUGE_FTRACE_H

#include <stddef.h>

#define KPROBE_PMU_PATH "/sys/bus/event_source/devices/kprobe"

int ftrace_kprobe_pmu(void);
int ftrace_kprobe_events(void);
int ftrace_filter_open(void);
int ftrace_enabled(void);
void ftrace_explain_trampoline(int err, char *why, size_t sz);

#endif
