// SPDX-License-Identifier: GPL-2.0
/*
 * A sleepable fentry program (SEC("fentry.s"), Linux 5.10) reads a 64-bit value from the
 * calling process's memory with bpf_copy_from_user(), a helper the verifier gives to sleepable
 * programs only: it may take a page fault. The kernel lets a sleepable program attach only to
 * functions known to allow sleeping: those on the error-injection list (every syscall entry,
 * where CONFIG_FUNCTION_ERROR_INJECTION is set; newer kernels allow syscall entries without
 * it), and a few it names itself, among them its test function bpf_fentry_test1.
 *
 * Two programs, one loaded: on_syscall on the write syscall's entry (user space sets the
 * name, which has the architecture's prefix), reading write()'s buffer argument; on_test_func
 * on bpf_fentry_test1, which BPF_PROG_TEST_RUN of a tracing program calls, reading the value
 * at value_addr.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

const volatile __u64 value_addr;

__u64 entries;
__u64 size_sum;		/* write()'s size arguments (on_syscall) */
__u64 value_sum;
__u64 last_value;
__u64 copy_errors;
long last_error;

static __always_inline void read_value(const void *addr)
{
	__u64 value;
	long err;

	__sync_fetch_and_add(&entries, 1);
	err = bpf_copy_from_user(&value, sizeof(value), addr);
	if (err) {
		__sync_fetch_and_add(&copy_errors, 1);
		last_error = err;
		return;
	}
	__sync_fetch_and_add(&value_sum, value);
	last_value = value;
}

SEC("fentry.s")
int BPF_PROG(on_syscall, struct pt_regs *regs)
{
	if (!armed_here())
		return 0;
	__sync_fetch_and_add(&size_sum, PT_REGS_PARM3_CORE_SYSCALL(regs));
	read_value((const void *)PT_REGS_PARM2_CORE_SYSCALL(regs));
	return 0;
}

SEC("fentry.s/bpf_fentry_test1")
int BPF_PROG(on_test_func, int a)
{
	if (armed_here())
		read_value((const void *)value_addr);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
