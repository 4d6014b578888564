// SPDX-License-Identifier: GPL-2.0
/*
 * Program features the programs of today's tools build on, each in its own program on
 * sys_enter (BTF-typed: tracing programs may use timers, raw tracepoints may not), armed by
 * user space around N getppid calls of the checking process:
 *   loop_prog          bpf_loop() (5.17): LOOP_ITERS callbacks per call, their indexes summed
 *   timer_prog         bpf_timer (5.15): the first call arms a timer in a map value; its
 *                      callback runs later, in another context, and says when
 *   task_storage_prog  task storage (5.11): a counter in the calling task's storage, which
 *                      user space reads back through a pidfd
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "task_storage.bpf.h"
#include "armed.bpf.h"

#define LOOP_ITERS 64
#define CLOCK_MONOTONIC 1

const volatile long target_nr;		/* the syscall that triggers: getppid */
const volatile __u64 timer_delay_ns;

__u64 calls;
__u64 loop_calls;
__u64 loop_sum;
__u64 timer_armed_ns;
__u64 timer_fired;
__u64 timer_fired_ns;
__u32 timer_fired_tgid;
__s64 timer_err;

struct timer_value {
	struct bpf_timer t;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct timer_value);
} timers SEC(".maps");

TASK_STORAGE(task_counts, __u64);

static __always_inline bool mine(long id)
{
	return armed_here() && id == target_nr;
}

static long loop_step(__u64 index, void *ctx)
{
	__u64 *sum = ctx;

	*sum += index;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(loop_prog, struct pt_regs *regs, long id)
{
	__u64 sum = 0;
	long n;

	if (!mine(id))
		return 0;
	n = bpf_loop(LOOP_ITERS, loop_step, &sum, 0);
	if (n > 0)
		__sync_fetch_and_add(&loop_calls, n);
	__sync_fetch_and_add(&loop_sum, sum);
	__sync_fetch_and_add(&calls, 1);
	return 0;
}

static int timer_cb(void *map, int *key, struct timer_value *v)
{
	timer_fired_ns = bpf_ktime_get_ns();
	timer_fired_tgid = bpf_get_current_pid_tgid() >> 32;
	__sync_fetch_and_add(&timer_fired, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(timer_prog, struct pt_regs *regs, long id)
{
	struct timer_value *v;
	__u32 zero = 0;
	long err;

	if (!mine(id))
		return 0;
	if (__sync_fetch_and_add(&calls, 1))
		return 0;	/* the first call arms it, once */
	v = bpf_map_lookup_elem(&timers, &zero);
	if (!v)
		return 0;
	err = bpf_timer_init(&v->t, &timers, CLOCK_MONOTONIC);
	if (!err)
		err = bpf_timer_set_callback(&v->t, timer_cb);
	timer_armed_ns = bpf_ktime_get_ns();
	if (!err)
		err = bpf_timer_start(&v->t, timer_delay_ns, 0);
	timer_err = err;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(task_storage_prog, struct pt_regs *regs, long id)
{
	__u64 *n;

	if (!mine(id))
		return 0;
	n = bpf_task_storage_get(&task_counts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (n)
		__sync_fetch_and_add(n, 1);
	__sync_fetch_and_add(&calls, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
