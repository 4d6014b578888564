/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following a traced process's descendants: the programs and maps of bpf/tool_filter.bpf.h,
 * from user space. A process forked by a traced one is traced from its fork; one that
 * exists when tracing starts is put into the tree here.
 *
 *   proc_tree_prog(name)          whether BPF program name is one of the tree's
 *   proc_tree_add(&m)             adds the tree's programs to an attach method: 0, -E2BIG
 *   proc_tree_attach(obj, links)  attaches them (loaded already) as 2 fd-owned links;
 *                                   0 or -errno
 *   proc_tree_seed(obj, pid)      once attached: pid's descendants alive now join the tree;
 *                                   how many, or -errno
 *   proc_tree_totals(obj, seeded, &desc, &lost)   the descendants traced so far (seeded
 *                                 plus those that joined at fork) and those not followed
 *   proc_descendants(root, &pids) the processes below root now, from /proc (root's
 *                                 orphans too when it is their subreaper): how many, in a
 *                                 malloc'd array; or -errno
 *   proc_tree_scope(pid, desc, lost, buf, sz)   "pid 1234 and its 3 descendants" (and those
 *                                 not followed), "pid 1234 (no descendants)"; "every
 *                                 process" without a pid
 */
#ifndef BPFGAUGE_PROC_TREE_H
#define BPFGAUGE_PROC_TREE_H

#include <stdbool.h>
#include <sys/types.h>
#include <bpf/libbpf.h>

#include "attach/methods.h"
#include "tree_follow.h"

#define TREE_NR_PROGS 2

bool proc_tree_prog(const char *name);
int proc_tree_add(struct attach_method *m);
int proc_tree_attach(struct bpf_object *obj, struct bpf_link *links[TREE_NR_PROGS]);
long proc_tree_seed(struct bpf_object *obj, pid_t pid);
void proc_tree_totals(struct bpf_object *obj, long seeded, unsigned long long *descendants,
		      unsigned long long *lost);
long proc_descendants(pid_t root, pid_t **out);
void proc_tree_scope(pid_t pid, unsigned long long descendants, unsigned long long lost,
		     char *buf, size_t sz);

#endif
