/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the sizes of arena.bpf.c's arena and what its program writes. */
#ifndef BPFGAUGE_ARENA_H
#define BPFGAUGE_ARENA_H

#define ARENA_PAGES 4		/* the arena's size */
/* Pages the program allocates, one bpf_arena_alloc_pages call each. */
#define ARENA_ALLOCS 3
#define ARENA_SLOTS 8		/* words written in each page, evenly spread over it */

/* What a run of arena_prog does (its .bss 'op'). */
enum arena_op {
	ARENA_OP_WRITE = 1,	/* allocate the pages and write the program's words */
	ARENA_OP_READ = 2,	/* sum the words user space wrote beside them */
};

#endif
