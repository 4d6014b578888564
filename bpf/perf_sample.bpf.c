// SPDX-License-Identifier: GPL-2.0
/*
 * Samples of one process from a cpu-clock perf event: counted, and their stacks kept.
 * Only UAPI types are used, whose layout never changes: without CO-RE relocations libbpf
 * does not have to read the kernel's whole BTF (~10 ms) to load this program.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "perf_sample.h"

const volatile __u32 target_tgid;
const volatile bool want_stacks;

/* Set by user space around its workload, so that only those samples count. */
__u32 armed;
__u64 samples;
__u64 other_samples;	/* of other processes: a per-task event should have none */
__u64 period_sum;	/* of ctx->sample_period, in ns for a clock event */
__u32 last_tid;
__u32 nr_stacks;
struct stack_sample stacks[MAX_SAMPLES];

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MAX_STACK_DEPTH * sizeof(__u64));
	__uint(max_entries, MAX_STACKS);
} stack_traces SEC(".maps");

SEC("perf_event")
int on_cpu_clock(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 i;

	if (!armed)
		return 0;
	if (id >> 32 != target_tgid) {
		__sync_fetch_and_add(&other_samples, 1);
		return 0;
	}
	/*
	 * The event follows one thread, and perf_event programs do not nest on a CPU: the
	 * samples of interest never run concurrently, plain increments are enough.
	 */
	samples++;
	period_sum += ctx->sample_period;
	last_tid = (__u32)id;
	if (!want_stacks)
		return 0;
	i = nr_stacks;
	if (i >= MAX_SAMPLES)
		return 0;
	nr_stacks = i + 1;
	stacks[i].user_stack_id = bpf_get_stackid(ctx, &stack_traces, BPF_F_USER_STACK);
	stacks[i].kern_stack_id = bpf_get_stackid(ctx, &stack_traces, 0);
	stacks[i].tid = (__u32)id;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
