// SPDX-License-Identifier: GPL-2.0
/*
 * A user ring buffer (BPF_MAP_TYPE_USER_RINGBUF, 6.1): user space submits samples, this
 * program drains them with bpf_user_ringbuf_drain(), which hands each one to a callback as a
 * dynptr; the callback reads it with bpf_dynptr_read() and counts it, in order and with the
 * value user space gave it. A syscall program, run once by user space (BPF_PROG_TEST_RUN):
 * no attach point, no tracing. UAPI types only, so no CO-RE relocation is needed.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "user_ringbuf.h"

const volatile __u64 value_first;
const volatile __u64 value_step;

__s64 drained;		/* what bpf_user_ringbuf_drain() returned */
__u64 callbacks;
__u64 in_order;		/* samples whose seq was the one expected next */
__u64 matching;		/* samples whose value fits their seq */
__u64 value_sum;
__u64 read_errors;	/* bpf_dynptr_read() failed: a sample shorter than expected */

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} user_samples SEC(".maps");

static long on_sample(const struct bpf_dynptr *dynptr, void *ctx)
{
	struct urb_sample s;

	if (bpf_dynptr_read(&s, sizeof(s), dynptr, 0, 0)) {
		read_errors++;
		return 0;
	}
	if (s.seq == callbacks)
		in_order++;
	if (s.value == value_first + s.seq * value_step)
		matching++;
	value_sum += s.value;
	callbacks++;
	return 0;	/* go on with the next sample */
}

SEC("syscall")
int drain_samples(void *ctx)
{
	drained = bpf_user_ringbuf_drain(&user_samples, on_sample, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
