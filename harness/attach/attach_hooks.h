/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The programs the attach-overhead benchmark times, one per attach type (attach.h: its
 * workload, target and program): an (almost) empty program (bpf/attach_overhead*.bpf.c)
 * whose body is one increment of a per-CPU hit counter.
 *
 *   hook_target(t)                       where t attaches: a tracepoint, a function of this
 *                                        binary, or the kernel function of the getppid syscall
 *                                        (__x64_sys_getppid on x86-64, from the kernel's BTF)
 *   hook_refuses(t, why, sz)             whether t must not be attached here although its check
 *                                        passed (kprobes without the 'kprobe' PMU: libbpf would
 *                                        fall back to tracefs events that outlive a killed run)
 *   hook_prog_open(t, tgid, filter, &p)  load t's program for the workload process tgid; with
 *                                        filter it counts tgid's hits only, else every hit
 *   hook_prog_attach(p) / _detach(p)     attach as an fd-owned link / detach now (not deferred:
 *                                        the next timed run must not pay for it)
 *   hook_prog_hits(p, &n)                hits so far, summed over CPUs
 *   hook_prog_close(p)                   detach and free; accepts NULL
 * Functions returning int give 0 or -errno, with a one-line reason in why.
 */
#ifndef BPFGAUGE_ATTACH_HOOKS_H
#define BPFGAUGE_ATTACH_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

struct attach_type;
struct hook_prog;

const char *hook_target(const struct attach_type *t);
bool hook_refuses(const struct attach_type *t, char *why, size_t sz);
int hook_prog_open(const struct attach_type *t, pid_t tgid, bool filter, struct hook_prog **p,
		   char *why, size_t sz);
int hook_prog_attach(struct hook_prog *p, char *why, size_t sz);
void hook_prog_detach(struct hook_prog *p);
int hook_prog_hits(struct hook_prog *p, __u64 *n);
void hook_prog_close(struct hook_prog *p);

#endif
