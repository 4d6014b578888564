// SPDX-License-Identifier: GPL-2.0
/*
 * One perf buffer event per getppid call of one process, through bpf_perf_event_output on
 * the CPU the call ran on. UAPI types only, so no CO-RE relocation is needed.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "buffers.h"

const volatile __u32 target_tgid;
const volatile long target_nr;

/* Set by user space around its calls. Only its own thread makes them: no races on these. */
__u32 armed;
__u64 seen;
__u64 dropped;		/* output failed */

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int perfbuf_send(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct buf_event ev;

	if (!armed || id >> 32 != target_tgid || ctx->args[1] != target_nr)
		return 0;
	ev.seq = seen++;
	ev.pid = id >> 32;
	ev.tid = (__u32)id;
	ev.cpu = bpf_get_smp_processor_id();
	ev.variant = BUF_PERF_OUTPUT;
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev)))
		dropped++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
