// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "kernel_ids.h"

/* The inode of the initial PID namespace (include/linux/proc_ns.h: PROC_PID_INIT_INO). */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

static bool initial_pid_ns(void)
{
	struct stat st;

	/* Unreadable: assume the common case, as getpid() alone would. */
	return stat("/proc/self/ns/pid", &st) || st.st_ino == PROC_PID_INIT_INO;
}

/*
 * bpf_get_current_pid_tgid() of this thread: its upper half (the tgid) or its lower half (the
 * thread's id), returned by a raw tracepoint program run in this thread.
 */
static int kernel_id(bool tgid)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_current_pid_tgid },
		tgid ? (struct bpf_insn){ .code = BPF_ALU64 | BPF_RSH | BPF_K, .dst_reg = BPF_REG_0,
					  .imm = 32 }
		     : (struct bpf_insn){ .code = BPF_ALU | BPF_MOV | BPF_X, .dst_reg = BPF_REG_0,
					  .src_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int fd, err;

	fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "kernel_id", "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), NULL);
	if (fd < 0)
		return -errno;
	err = bpf_prog_test_run_opts(fd, &run) ? -errno : (int)run.retval;
	close(fd);
	return err;
}

int kernel_tgid(void)
{
	static int tgid;

	if (tgid <= 0)
		tgid = initial_pid_ns() ? getpid() : kernel_id(true);
	return tgid > 0 ? tgid : getpid();
}

int kernel_tid(void)
{
	int tid = initial_pid_ns() ? gettid() : kernel_id(false);

	return tid > 0 ? tid : gettid();
}
