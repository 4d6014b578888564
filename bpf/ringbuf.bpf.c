// SPDX-License-Identifier: GPL-2.0
/*
 * One ring buffer event per getppid call of one process: even calls through
 * bpf_ringbuf_reserve/submit, odd ones through bpf_ringbuf_output. UAPI types only, so no
 * CO-RE relocation (and no read of the kernel's BTF) is needed.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "buffers.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

SEC("raw_tracepoint/sys_enter")
int ringbuf_send(struct bpf_raw_tracepoint_args *ctx)
{
	struct buf_event *e, ev;

	if (!buf_event_next(ctx, &ev))
		return 0;
	if (ev.seq & 1) {
		ev.variant = BUF_OUTPUT;
		if (bpf_ringbuf_output(&events, &ev, sizeof(ev), 0))
			dropped++;
		return 0;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		dropped++;
		return 0;
	}
	*e = ev;
	e->variant = BUF_RESERVE;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
