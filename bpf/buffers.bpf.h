/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ringbuf.bpf.c and perfbuf.bpf.c share: the tunables that name the calls to report
 * (syscall target_nr made by process target_tgid), the counters user space reads, and
 *
 *   buf_event_next(ctx, &ev)   at sys_enter: whether this is such a call made while armed;
 *                              if so, counts it in seen and fills ev (all but its variant)
 */
#ifndef BPFGAUGE_BUFFERS_BPF_H
#define BPFGAUGE_BUFFERS_BPF_H

#include "buffers.h"
#include "armed.bpf.h"

const volatile long target_nr;

__u64 seen;
__u64 dropped;		/* reserve or output failed (a ring buffer: it was full) */

static __always_inline bool buf_event_next(struct bpf_raw_tracepoint_args *ctx,
					   struct buf_event *ev)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (!armed || id >> 32 != target_tgid || ctx->args[1] != target_nr)
		return false;
	ev->seq = seen++;
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->cpu = bpf_get_smp_processor_id();
	return true;
}

#endif
