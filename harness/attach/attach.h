/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attach types, one registry (attach.def) for everything that differs between them: what
 * the probe checks, the floor, the explanation of a refusal and the attach-overhead
 * benchmark need to know. Each entry:
 *   name       the attach type; also the name of its probe check and attach-overhead variant
 *   aliases    other names for it: a tool's method ("raw_tp") or a libbpf section prefix
 *   configs    the CONFIG_ options it needs, in the order a refusal blames them
 *   floor      the section of its empty program in bpf/floor.bpf.c (floor.h); NULL: none
 *   timed      attach-overhead: the workload whose every operation fires it, the target it
 *              attaches to there (NULL: the getppid syscall's kernel function, named at run
 *              time) and its program in bpf/attach_overhead*.bpf.c
 *   explain    evidence for a refusal beyond the configs (appends to why); NULL: none
 *
 *   attach_types[], NR_ATTACH_TYPES   every type; attach_types[ATTACH_kprobe] is kprobe's
 *   attach_type_find(name)            by name or alias; NULL when unknown
 *   attach_type_user(t)               whether it attaches in user space (uprobes, USDT)
 */
#ifndef BPFGAUGE_ATTACH_H
#define BPFGAUGE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

enum attach_kind {
#define ATTACH(id, ...) ATTACH_##id,
#include "attach.def"
#undef ATTACH
	NR_ATTACH_TYPES
};

struct attach_type {
	const char *name;
	enum attach_kind kind;
	const char *aliases[3];		/* NULL-terminated */
	const char *configs[5];		/* NULL-terminated */
	const char *floor;
	struct {
		const char *workload;
		const char *target;
		const char *prog;
	} timed;
	void (*explain)(int err, char *why, size_t sz);
};

extern const struct attach_type attach_types[NR_ATTACH_TYPES];

const struct attach_type *attach_type_find(const char *name);
bool attach_type_user(const struct attach_type *t);

#endif
