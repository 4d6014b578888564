// SPDX-License-Identifier: GPL-2.0
/*
 * func-latency: time from a user-space function's entry (uprobe) to its return (uretprobe),
 * as a log2 histogram per CPU. Start times live in task storage, one entry per thread: no
 * hash, no lock, freed with the thread.
 *
 * Recursion: only the outermost call of a thread is timed; nested entries are ignored. Calls
 * are told apart by the stack pointer at entry rather than by a depth counter, so that a
 * frame left by longjmp, or recursion deeper than the kernel's limit of pending return probes
 * (64: deeper calls get no uretprobe), cannot leave a thread's state unbalanced.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "hist.bpf.h"
#include "task_storage.bpf.h"
#include "tool_filter.bpf.h"

/*
 * Whether the call that entered with stack pointer entry_sp has returned, seen from the
 * return probe. On x86 'ret' pops the return address 'call' pushed: sp comes back above
 * entry_sp. Elsewhere the return address is in a register and sp comes back to entry_sp.
 * A nested call (deeper in the stack) returns with sp at or below the outer entry_sp.
 */
#if defined(__TARGET_ARCH_x86)
#define RETURNED(sp, entry_sp) ((sp) > (entry_sp))
#else
#define RETURNED(sp, entry_sp) ((sp) >= (entry_sp))
#endif

struct start {
	__u64 ts;	/* 0: no call being timed */
	__u64 sp;	/* stack pointer at its entry */
};

TASK_STORAGE(starts, struct start);

HIST_PERCPU_ARRAY(hists, 1);

__u64 dropped;

/* libbpf 1.1's bpf_tracing.h has no BPF_UPROBE: BPF_KPROBE is the same pt_regs wrapper. */
SEC("uprobe")
int BPF_KPROBE(func_lat_entry)
{
	__u64 sp = PT_REGS_SP(ctx);
	struct start *s;

	if (!tool_wanted())
		return 0;
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		__sync_fetch_and_add(&dropped, 1);
		return 0;
	}
	/* Below the timed call's entry: a nested call. Otherwise that call is gone. */
	if (s->ts && sp < s->sp)
		return 0;
	s->sp = sp;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(func_lat_exit)
{
	__u64 now = bpf_ktime_get_ns(), delta;
	struct start *s;
	struct hist *h;
	__u32 zero = 0;

	if (!tool_wanted())
		return 0;
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), 0, 0);
	if (!s || !s->ts || !RETURNED(PT_REGS_SP(ctx), s->sp))
		return 0;
	delta = now - s->ts;
	s->ts = 0;
	h = bpf_map_lookup_elem(&hists, &zero);
	if (!h)
		return 0;
	/*
	 * Uprobe programs run with migration, not preemption, disabled: two threads on one CPU
	 * may interleave here, so the per-CPU counters are added atomically.
	 */
	hist_record_atomic(h, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
