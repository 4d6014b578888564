/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of env_collect() (env.h), one file per subject: env_cpu.c, env_virt.c,
 * env_system.c. Each returns a new JSON value (caller owns it); what cannot be read is null.
 *
 *   env_file_line(path)          first line of a file without its newline, or null
 *   env_selected(text, buf, sz)  the selected word of "always [madvise] never" or of
 *                                "none voluntary (full)": 0 or -ENOENT
 *   env_cpu()                    cpu: model, count, vendor, family, model_number, stepping,
 *                                microcode, flags of interest, vulnerabilities, governor, smt
 *   env_cpuinfo(f)               the /proc/cpuinfo part of it, read from f (tests use a fixture)
 *   env_cpu_flags_of_interest[]  the flags env_cpu() looks for, NULL-terminated
 *   env_virtualization()         CPUID hypervisor vendor, DMI, systemd-detect-virt
 *   env_preempt()                the kernel's preemption mode and where it was read
 *   env_thp(), env_numa_nodes(), env_boot()   transparent huge pages; NUMA nodes; boot time
 *                                and uptime
 */
#ifndef BPFGAUGE_ENV_PARTS_H
#define BPFGAUGE_ENV_PARTS_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

json_t *env_file_line(const char *path);
int env_selected(const char *text, char *buf, size_t sz);

extern const char *const env_cpu_flags_of_interest[];
json_t *env_cpu(void);
json_t *env_cpuinfo(FILE *f);

json_t *env_virtualization(void);

json_t *env_preempt(void);
json_t *env_thp(void);
json_t *env_numa_nodes(void);
json_t *env_boot(void);

#endif
