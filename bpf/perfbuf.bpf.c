// SPDX-License-Identifier: GPL-2.0
/*
 * One perf buffer event per getppid call of one process, through bpf_perf_event_output on
 * the CPU the call ran on. UAPI types only, so no CO-RE relocation is needed.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "buffers.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int perfbuf_send(struct bpf_raw_tracepoint_args *ctx)
{
	struct buf_event ev;

	if (!buf_event_next(ctx, &ev))
		return 0;
	ev.variant = BUF_PERF_OUTPUT;
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev)))
		dropped++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
