// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge profile': stacks counted in the kernel.
 *   CPU:     a perf_event program on a sampling event of every CPU counts one per sample.
 *   off-CPU: at sched_switch the task switched out stores the time and its stack ids; when it
 *            is switched in again the time it was away is added under those stacks. Three
 *            variants: tp_btf (start in task storage), raw_tp and tracepoint (start in a hash
 *            keyed by thread id); user space loads the cheapest that works.
 * Stacks live in a hash keyed by their own hash (stack_store), sums in a hash keyed by (pid,
 * stack ids, comm). Each new
 * (pid, comm) is announced once on a ring buffer, and again when it maps code (CPU profiles):
 * the only trips to user space.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "profile.h"
#include "tool_filter.bpf.h"

#define EEXIST 17
#define PROT_EXEC 0x4

const volatile __u64 min_block_ns = 1000;	/* off-CPU: shorter blocks are not counted */

/* Each stack once, keyed by its id (profile.h); max_entries set by user space before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct profile_stack);
} stacks SEC(".maps");

/* Where bpf_get_stack() writes, one per CPU (a stack is too large for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profile_stack);
} stack_buf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct profile_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct profile_seen);
	__type(value, __u8);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} seen_events SEC(".maps");

struct offcpu_start {
	__u64 ts;
	struct profile_key key;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct offcpu_start);
} task_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct offcpu_start);
} tid_starts SEC(".maps");

__u64 dropped;		/* a sum not counted: 'counts' or a start map was full */
__u64 lost_seen;	/* a new process not announced: 'seen' or the ring buffer was full */

static __always_inline void announce(const struct profile_key *k)
{
	struct profile_seen s = { .pid = k->pid };
	__u8 one = 1;
	long err;

	__builtin_memcpy(s.comm, k->comm, sizeof(s.comm));
	err = bpf_map_update_elem(&seen, &s, &one, BPF_NOEXIST);
	if (err == -EEXIST)
		return;		/* announced before */
	if (err || bpf_ringbuf_output(&seen_events, &s, sizeof(s), 0))
		__sync_fetch_and_add(&lost_seen, 1);
}

static __always_inline void count_add(const struct profile_key *k, __u64 v)
{
	__u64 *sum = bpf_map_lookup_elem(&counts, k), zero = 0;
	long err;

	if (!sum) {
		err = bpf_map_update_elem(&counts, k, &zero, BPF_NOEXIST);
		if (err && err != -EEXIST) {
			__sync_fetch_and_add(&dropped, 1);
			return;
		}
		if (!err)
			announce(k);
		sum = bpf_map_lookup_elem(&counts, k);
		if (!sum)
			return;
	}
	__sync_fetch_and_add(sum, v);
}

/*
 * The current task's kernel or user stack (flags) into the stacks map: its id (profile.h).
 * FNV-1a over the frames: a stack map (bpf_get_stackid) keeps one stack per hash bucket and
 * drops every later stack that lands in a taken bucket, which lost half of a run's samples
 * in one of fifteen runs of a small program here.
 */
static __always_inline __u64 stack_store(void *ctx, __u64 flags)
{
	__u64 id = 14695981039346656037ULL;
	struct profile_stack *b;
	__u32 zero = 0;
	long n, err;

	b = bpf_map_lookup_elem(&stack_buf, &zero);
	if (!b)
		return PROFILE_STACK_NONE;
	/* The rest of the buffer is zeroed: a stored stack ends at its first 0. */
	n = bpf_get_stack(ctx, b->ips, sizeof(b->ips), flags);
	if (n <= 0)
		return PROFILE_STACK_NONE;
	for (int i = 0; i < PROFILE_MAX_DEPTH; i++) {
		if (i >= n / 8)
			break;
		id = (id ^ b->ips[i]) * 1099511628211ULL;
	}
	if (id < PROFILE_STACK_FIRST_ID)
		id += PROFILE_STACK_FIRST_ID;
	if (bpf_map_lookup_elem(&stacks, &id))
		return id;
	err = bpf_map_update_elem(&stacks, &id, b, BPF_NOEXIST);
	return err && err != -EEXIST ? PROFILE_STACK_LOST : id;
}

/* Stack ids of the current task; the key's comm is the current thread's name. */
static __always_inline void key_fill(void *ctx, struct profile_key *k)
{
	k->pid = bpf_get_current_pid_tgid() >> 32;
	k->kstack = stack_store(ctx, 0);
	k->ustack = stack_store(ctx, BPF_F_USER_STACK);
	bpf_get_current_comm(k->comm, sizeof(k->comm));
}

SEC("perf_event")
int cpu_sample(struct bpf_perf_event_data *ctx)
{
	struct profile_key k = {};

	/* Samples of the idle task (pid 0) are a CPU with nothing to run: left out. */
	if (!(__u32)bpf_get_current_pid_tgid() || !tool_wanted())
		return 0;
	key_fill(ctx, &k);
	count_add(&k, 1);
	return 0;
}

/* The switched-out task is still current: take its stacks now. */
static __always_inline bool switch_out_wanted(void)
{
	return (__u32)bpf_get_current_pid_tgid() && tool_wanted();
}

static __always_inline void switch_in(struct offcpu_start *s, __u64 now)
{
	__u64 delta;

	if (!s->ts)
		return;
	delta = now - s->ts;
	s->ts = 0;
	if (delta >= min_block_ns)
		count_add(&s->key, delta);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct offcpu_start *s;

	if (switch_out_wanted()) {
		s = bpf_task_storage_get(&task_starts, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (s) {
			key_fill(ctx, &s->key);
			s->ts = now;
		} else {
			__sync_fetch_and_add(&dropped, 1);
		}
	}
	s = bpf_task_storage_get(&task_starts, next, 0, 0);
	if (s)
		switch_in(s, now);
	return 0;
}

static __always_inline void switch_hash(void *ctx, __u32 prev_tid, __u32 next_tid)
{
	__u64 now = bpf_ktime_get_ns();
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct offcpu_start *s, start = {};

	/* A task switched out for good (exiting) would hold its entry forever. */
	if (switch_out_wanted() && !BPF_CORE_READ(cur, exit_state)) {
		key_fill(ctx, &start.key);
		start.ts = now;
		if (bpf_map_update_elem(&tid_starts, &prev_tid, &start, BPF_ANY))
			__sync_fetch_and_add(&dropped, 1);
	}
	s = bpf_map_lookup_elem(&tid_starts, &next_tid);
	if (!s)
		return;
	switch_in(s, now);
	bpf_map_delete_elem(&tid_starts, &next_tid);
}

SEC("raw_tp/sched_switch")
int switch_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx->args[2];

	switch_hash(ctx, (__u32)bpf_get_current_pid_tgid(), BPF_CORE_READ(next, pid));
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	switch_hash(ctx, ctx->prev_pid, ctx->next_pid);
	return 0;
}

/* Threads in an mmap(PROT_EXEC) call of a wanted process, until it returns. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} mmap_pending SEC(".maps");

/* A wanted process mapping code (dlopen, or ld.so at start): noted at entry... */
SEC("tracepoint/syscalls/sys_enter_mmap")
int mmap_exec(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = bpf_get_current_pid_tgid();
	__u8 one = 1;

	if (!(ctx->args[2] & PROT_EXEC) || !tool_wanted())
		return 0;
	if (bpf_map_update_elem(&mmap_pending, &tid, &one, BPF_ANY))
		__sync_fetch_and_add(&lost_seen, 1);
	return 0;
}

/* ...and announced again once the mapping exists, so that user space reads its maps anew. */
SEC("tracepoint/syscalls/sys_exit_mmap")
int mmap_exec_done(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = bpf_get_current_pid_tgid();
	struct profile_seen s = {};

	if (!bpf_map_lookup_elem(&mmap_pending, &tid))
		return 0;
	bpf_map_delete_elem(&mmap_pending, &tid);
	if ((unsigned long)ctx->ret >= (unsigned long)-4095)
		return 0;	/* failed: nothing mapped */
	s.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(s.comm, sizeof(s.comm));
	if (bpf_ringbuf_output(&seen_events, &s, sizeof(s), 0))
		__sync_fetch_and_add(&lost_seen, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
