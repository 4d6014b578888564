/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pid/comm filter every tool shares; tunables set by user space before load.
 *   tool_wanted()             the current task passes the filters
 *   tool_comm_wanted(comm)    comm passes the comm filter (for tasks other than the current)
 */
#ifndef BPFGAUGE_TOOL_FILTER_BPF_H
#define BPFGAUGE_TOOL_FILTER_BPF_H

#define TOOL_COMM_LEN 16

const volatile __u32 target_tgid;		/* 0: every process */
const volatile bool filter_comm;
const volatile char target_comm[TOOL_COMM_LEN];

/* Whether comm (TOOL_COMM_LEN bytes) is target_comm. */
static __always_inline bool tool_comm_wanted(const char *comm)
{
	for (int i = 0; i < TOOL_COMM_LEN; i++) {
		if (comm[i] != target_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* Whether the current task passes the pid and comm filters. */
static __always_inline bool tool_wanted(void)
{
	if (target_tgid && (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return false;
	if (filter_comm) {
		char comm[TOOL_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		return tool_comm_wanted(comm);
	}
	return true;
}

#endif
