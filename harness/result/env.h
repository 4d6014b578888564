/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment a result was measured in: kernel, CPU, memory, virtualization, lockdown,
 * libbpf and bpfgauge versions. Everything is read from this machine; what cannot be read
 * is null, never guessed.
 */
#ifndef BPFGAUGE_ENV_H
#define BPFGAUGE_ENV_H

#include <jansson.h>

/* A new JSON object (caller owns it). */
json_t *env_collect(void);

/* The CPUID hypervisor vendor ("KVMKVMKVM", "Microsoft Hv" ...) into buf, or "" on bare metal. */
void env_hypervisor_vendor(char *buf, size_t sz);

#endif
