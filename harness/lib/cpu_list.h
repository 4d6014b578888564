/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU lists as the kernel writes them ("0-3,6,8-11": /sys/devices/system/cpu/online).
 *
 *   cpu_list_has(list, cpu)   1 when cpu is in list, 0 when not, -EINVAL when list is none
 *   cpu_list_last(list)       its highest CPU, or -EINVAL (empty, or not a list)
 *   cpus_online(buf, sz)      this machine's online CPUs as a list in buf ("0-1"): 0 or -errno
 */
#ifndef BPFGAUGE_CPU_LIST_H
#define BPFGAUGE_CPU_LIST_H

#include <stddef.h>

int cpu_list_has(const char *list, int cpu);
int cpu_list_last(const char *list);
int cpus_online(char *buf, size_t sz);

#endif
