/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integer sysctls, read from /proc/sys.
 *
 *   sysctl_read(name, &v)   0 with v set to /proc/sys/NAME's value (name as in
 *                           "kernel/perf_event_paranoid"), or -errno (-EINVAL when the file
 *                           does not hold an integer) with v left as it was
 */
#ifndef BPFGAUGE_SYSCTL_H
#define BPFGAUGE_SYSCTL_H

int sysctl_read(const char *name, long *v);

#endif
