/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A check's program counts only the events it was armed for: those of the checking process
 * (target_tgid, set before load) while user space has set armed around its N triggers.
 * Another process on the machine, or the check's own setup, never counts.
 */
#ifndef BPFGAUGE_ARMED_BPF_H
#define BPFGAUGE_ARMED_BPF_H

const volatile __u32 target_tgid;
__u32 armed;

static __always_inline bool armed_here(void)
{
	return armed && (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

#endif
