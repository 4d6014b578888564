/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a tracer's processes (those of its cgroup) hold: the BPF programs among their file
 * descriptors (/proc/PID/fdinfo: prog_id of bpf-prog and bpf_link fds), and where a
 * program attached through a perf event fires (BPF_TASK_FD_QUERY on the perf event fd, the
 * same question 'bpftool perf' asks).
 *
 *   tracer_fds_progs(cgroup, ids, max, &attached)  the ids of the programs held: how many;
 *                                                attached: the links and perf events held
 *   tracer_fds_hook(cgroup, prog_id, hook, sz)    0 with "tracepoint sys_enter_getppid",
 *                                                "kprobe vfs_read+0x0", "uprobe PATH+0x10",
 *                                                ... (" (+N more)" when more events run
 *                                                it): the first perf event of the cgroup
 *                                                that runs the program; -ENOENT no perf event
 *                                                runs it; -ENODATA the kernel would not say
 *                                                of some (BPF_TASK_FD_QUERY needs
 *                                                CAP_SYS_ADMIN; a cpu-clock event has no
 *                                                name)
 */
#ifndef BPFGAUGE_TRACER_FDS_H
#define BPFGAUGE_TRACER_FDS_H

#include <stddef.h>
#include <sys/types.h>

int tracer_fds_progs(const char *cgroup, unsigned int *ids, int max, int *attached);
int tracer_fds_hook(const char *cgroup, unsigned int prog_id, char *hook, size_t sz);

#endif
