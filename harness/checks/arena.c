// SPDX-License-Identifier: GPL-2.0
/*
 * arena (Linux 6.9): a BPF arena is memory a program and user space share, at the same
 * addresses on both sides. One run of a syscall program (BPF_PROG_TEST_RUN,
 * bpf/arena.bpf.c) allocates ARENA_ALLOCS pages of the arena (bpf_arena_alloc_pages), writes
 * ARENA_SLOTS values into each and leaves the page pointers in .bss. This process checks that
 * each pointer lies in its own mapping of the arena (the one libbpf made when it created the
 * map), reads the values there, writes one of its own beside each, and a second program run
 * must sum what it wrote. The arena and its pages go with the object.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "arena.h"
#include "arena.skel.h"
#include "check.h"
#include "lib/caps.h"
#include "lib/errno_name.h"

#define VALUE_FIRST 0xa7e4a00000000011ULL
#define VALUE_STEP ((5ULL << 36) + 3)

/* The arena is built where the kernel has an MMU and 64-bit addresses (kernel/bpf/Makefile). */
static const char *const arena_configs[] = { "CONFIG_MMU", "CONFIG_64BIT", NULL };

struct mapping {
	uintptr_t start;	/* this process's mapping of the arena */
	size_t size;
	long page_size;
};

static __u64 value_of(int page, int slot)
{
	return VALUE_FIRST + (__u64)(page * ARENA_SLOTS + slot) * VALUE_STEP;
}

/* Runs the program once to do op; 0, or -1 with the result set. */
static int run_op(struct check_result *res, struct arena_bpf *skel, enum arena_op op)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	skel->bss->op = op;
	if (!bpf_prog_test_run_opts(bpf_program__fd(skel->progs.arena_prog), &opts))
		return 0;
	check_set_errno(res, CHECK_FAIL, errno, "run 'arena_prog' to %s (BPF_PROG_TEST_RUN)",
			op == ARENA_OP_WRITE ? "write" : "read");
	return -1;
}

/*
 * The page pointers the program left: each must be a distinct page of the arena's mapping
 * here, or reading it would be reading anything. 0, or -1 with the result set.
 */
static int check_pages(struct check_result *res, const struct arena_bpf *skel,
		       const struct mapping *m)
{
	for (int p = 0; p < ARENA_ALLOCS; p++) {
		uintptr_t a = (uintptr_t)skel->bss->pages[p];

		if (a < m->start || a >= m->start + m->size || a % m->page_size) {
			check_set(res, CHECK_FAIL, "page %d the program allocated is at %#lx, "
				  "not a page of the arena's mapping %#lx-%#lx", p,
				  (unsigned long)a, (unsigned long)m->start,
				  (unsigned long)(m->start + m->size));
			return -1;
		}
		for (int q = 0; q < p; q++) {
			if (skel->bss->pages[q] == skel->bss->pages[p]) {
				check_set(res, CHECK_FAIL, "pages %d and %d the program allocated "
					  "are the same, %#lx", q, p, (unsigned long)a);
				return -1;
			}
		}
	}
	return 0;
}

/* Reads the program's values through the mapping and writes ours beside them. */
static int read_and_write(const struct arena_bpf *skel, const struct mapping *m,
			  unsigned long long *our_sum)
{
	size_t stride = m->page_size / sizeof(__u64) / ARENA_SLOTS;
	int matching = 0;

	*our_sum = 0;
	for (int p = 0; p < ARENA_ALLOCS; p++) {
		volatile __u64 *page = skel->bss->pages[p];

		for (int s = 0; s < ARENA_SLOTS; s++) {
			matching += page[s * stride] == value_of(p, s);
			page[s * stride + 1] = ~value_of(p, s);
			*our_sum += ~value_of(p, s);
		}
	}
	return matching;
}

static void verify(struct check_result *res, struct arena_bpf *skel, const struct mapping *m)
{
	const int values = ARENA_ALLOCS * ARENA_SLOTS;
	unsigned long long our_sum;
	int matching;

	check_detail_int(res, "pages", ARENA_ALLOCS);
	check_detail_int(res, "slots_per_page", ARENA_SLOTS);
	check_detail_int(res, "arena_pages", ARENA_PAGES);
	check_detail_int(res, "alloc_failures", skel->bss->alloc_failures);
	check_detail_int(res, "written", skel->bss->written);
	if (skel->bss->alloc_failures || skel->bss->written != (__u64)values) {
		check_set(res, CHECK_FAIL, "bpf_arena_alloc_pages failed %llu times of %d; %llu "
			  "values written of %d", (unsigned long long)skel->bss->alloc_failures,
			  ARENA_ALLOCS, (unsigned long long)skel->bss->written, values);
		return;
	}
	if (check_pages(res, skel, m))
		return;
	matching = read_and_write(skel, m, &our_sum);
	check_detail_int(res, "values_read", matching);
	if (run_op(res, skel, ARENA_OP_READ))
		return;
	check_detail_int(res, "read_by_program", skel->bss->user_words);
	check_detail_json(res, "sum_as_written", json_boolean(skel->bss->user_sum == our_sum));
	if (matching != values)
		check_set(res, CHECK_FAIL, "%d of the %d values the program wrote read back "
			  "through the arena's mapping", matching, values);
	else if (skel->bss->user_words != (__u64)values || skel->bss->user_sum != our_sum)
		check_set(res, CHECK_FAIL, "the program read %llu of the %d values written through "
			  "the mapping, summing to %llu (expected %llu)",
			  (unsigned long long)skel->bss->user_words, values,
			  (unsigned long long)skel->bss->user_sum, our_sum);
	else
		check_set(res, CHECK_PASS, "%d arena pages allocated by a program, at the "
			  "addresses it saw in this process's mapping: %d values read there, %d "
			  "written there read back by the program", ARENA_ALLOCS, values, values);
}

/* BPF_MAP_CREATE of an arena like the object's, with a key size of key_size: 0 or errno. */
static int try_create(const struct bpf_map *map, __u32 key_size)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = bpf_map__map_flags(map));
	int fd = bpf_map_create(bpf_map__type(map), "bpfgauge_probe", key_size, key_size,
				bpf_map__max_entries(map), &opts);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * The arena map alone first, as the object declares it: where the kernel refuses it, why,
 * without loading the object (nor reading the kernel's BTF for the kfunc). Where the refusal
 * is EPERM and an arena the arena's code would refuse with EINVAL (a key size:
 * arena_map_alloc() checks its attributes first) gets EPERM too, the refusal comes before the
 * arena's code, from a policy of this kernel: said so, with the capability that should have
 * sufficed. 0 when it could be created; -1 with the result set.
 */
static int create_alone(struct check_result *res, const struct bpf_map *map)
{
	int err = try_create(map, 0), invalid;

	if (!err)
		return 0;
	check_explain(res, -err, "BPF_MAP_CREATE (BPF_MAP_TYPE_ARENA)", arena_configs);
	if (err != EPERM)
		return -1;
	invalid = try_create(map, 8);
	check_detail_str(res, "invalid_arena_errno", invalid ? errno_name(invalid) : "created");
	if (invalid == EPERM && cap_effective(CAP_BPF))
		check_set(res, CHECK_UNSUPPORTED, "BPF_MAP_CREATE (BPF_MAP_TYPE_ARENA): EPERM (%s) "
			  "with CAP_BPF; an arena with a key size, which arena_map_alloc() refuses "
			  "with EINVAL, gets EPERM as well: this kernel refuses arenas before their "
			  "own code runs", strerror(EPERM));
	return -1;
}

static void run_arena(struct check_result *res)
{
	struct arena_bpf *skel;
	struct mapping m;
	int err;

	skel = arena_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'arena' BPF object");
		return;
	}
	if (!skel->rodata->addr_space_casts) {
		check_set(res, CHECK_ERROR, "bpf/arena.bpf.c was built by a compiler without BPF "
			  "address space casts (__BPF_FEATURE_ADDR_SPACE_CAST, clang 19)");
		goto out;
	}
	if (create_alone(res, skel->maps.arena))
		goto out;
	m.page_size = sysconf(_SC_PAGESIZE);
	skel->rodata->page_words = m.page_size / sizeof(__u64);
	skel->rodata->value_first = VALUE_FIRST;
	skel->rodata->value_step = VALUE_STEP;
	err = arena_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'arena_prog' (syscall) with its BPF_MAP_TYPE_ARENA "
			      "map", arena_configs);
		goto out;
	}
	/* libbpf maps the whole arena when it creates it: its initial value is the start. */
	m.start = (uintptr_t)bpf_map__initial_value(skel->maps.arena, &m.size);
	m.size = (size_t)bpf_map__max_entries(skel->maps.arena) * m.page_size;
	if (!m.start) {
		check_set(res, CHECK_ERROR, "libbpf did not map the arena");
		goto out;
	}
	if (!run_op(res, skel, ARENA_OP_WRITE))
		verify(res, skel, &m);
out:
	arena_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(arena, "programs",
		   "a program's arena pages read and written by user space at the same addresses",
		   run_arena, "the BPF arena (BPF_MAP_TYPE_ARENA)", 6, 9);
