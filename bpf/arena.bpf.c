// SPDX-License-Identifier: GPL-2.0
/*
 * A BPF arena (BPF_MAP_TYPE_ARENA, 6.9): memory shared by a program and user space, where
 * pointers mean the same on both sides. A first run of arena_prog allocates ARENA_ALLOCS pages
 * (bpf_arena_alloc_pages), writes ARENA_SLOTS values in each through __arena pointers and
 * leaves the pointers in .bss; user space follows them through its mapping of the arena, checks
 * the values and writes its own beside them, which a second run sums. A syscall program, run by
 * user space (BPF_PROG_TEST_RUN): sleepable, as bpf_arena_alloc_pages needs. One program for
 * both: only a program that refers to the arena map may use __arena pointers.
 *
 * __arena is clang's address space 1: LLVM turns each access through such a pointer into an
 * address space cast the verifier and JIT map onto the kernel's view of the arena. Compilers
 * without it (before clang 19: no __BPF_FEATURE_ADDR_SPACE_CAST) build a program that says so.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "arena.h"

#define NUMA_NO_NODE (-1)

#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
#define __arena __attribute__((address_space(1)))
const volatile __u32 addr_space_casts = 1;
#else
#define __arena
const volatile __u32 addr_space_casts;
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, ARENA_PAGES);
} arena SEC(".maps");

void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt, int node_id,
				    __u64 flags) __ksym __weak;

const volatile __u64 page_words;	/* words in a page */
const volatile __u64 value_first;
const volatile __u64 value_step;

__u32 op;				/* enum arena_op, set before each run */
__u64 __arena *pages[ARENA_ALLOCS];	/* where each page lies, as the program sees it */
__u64 alloc_failures;
__u64 written;
__u64 user_sum;		/* ARENA_OP_READ: the words user space wrote */
__u64 user_words;

#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
static __always_inline void write_pages(void)
{
	__u64 stride = page_words / ARENA_SLOTS;

	for (int p = 0; p < ARENA_ALLOCS; p++) {
		__u64 __arena *page = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);

		if (!page) {
			alloc_failures++;
			continue;
		}
		pages[p] = page;
		for (int s = 0; s < ARENA_SLOTS; s++) {
			page[s * stride] = value_first + (p * ARENA_SLOTS + s) * value_step;
			written++;
		}
	}
}

static __always_inline void read_pages(void)
{
	__u64 stride = page_words / ARENA_SLOTS;

	for (int p = 0; p < ARENA_ALLOCS; p++) {
		__u64 __arena *page = pages[p];

		if (!page)
			continue;
		for (int s = 0; s < ARENA_SLOTS; s++) {
			user_sum += page[s * stride + 1];
			user_words++;
		}
	}
}
#endif

SEC("syscall")
int arena_prog(void *ctx)
{
#ifdef __BPF_FEATURE_ADDR_SPACE_CAST
	if (op == ARENA_OP_WRITE)
		write_pages();
	else if (op == ARENA_OP_READ)
		read_pages();
#endif
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
