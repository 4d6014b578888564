/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach types the attach-overhead benchmark times: per type, its hook, the workload whose
 * operations fire it, and an (almost) empty program (bpf/attach_overhead*.bpf.c) whose body is
 * one increment of a per-CPU hit counter.
 *
 *   attach_hooks[], NR_ATTACH_HOOKS      every type, in the probe's order
 *   hook_target(h)                       where h attaches: a tracepoint, a function of this
 *                                        binary, or the kernel function of the getppid syscall
 *                                        (__x64_sys_getppid on x86-64, from the kernel's BTF)
 *   hook_refuses(h, why, sz)             whether h must not be attached here although its check
 *                                        passed (kprobes without the 'kprobe' PMU: libbpf would
 *                                        fall back to tracefs events that outlive a killed run)
 *   hook_prog_open(h, tgid, filter, &p)  load h's program for the workload process tgid; with
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

enum hook_kind {
	HOOK_KERNEL,		/* tracepoints: attached by section name */
	HOOK_KPROBE,		/* through the 'kprobe' PMU */
	HOOK_KRETPROBE,
	HOOK_KPROBE_MULTI,
	HOOK_TRAMPOLINE,	/* fentry, fexit */
	HOOK_UPROBE,
	HOOK_URETPROBE,
	HOOK_USDT,
};

struct attach_hook {
	const char *type;	/* the attach type; also the name of the probe check for it */
	const char *workload;	/* the workload whose every operation fires it */
	const char *target;	/* where it attaches; NULL: the getppid syscall's kernel function */
	const char *prog;	/* the program's name in its BPF object */
	enum hook_kind kind;
};

#define NR_ATTACH_HOOKS 11
extern const struct attach_hook attach_hooks[NR_ATTACH_HOOKS];

struct hook_prog;

const char *hook_target(const struct attach_hook *h);
bool hook_refuses(const struct attach_hook *h, char *why, size_t sz);
int hook_prog_open(const struct attach_hook *h, pid_t tgid, bool filter, struct hook_prog **p,
		   char *why, size_t sz);
int hook_prog_attach(struct hook_prog *p, char *why, size_t sz);
void hook_prog_detach(struct hook_prog *p);
int hook_prog_hits(struct hook_prog *p, __u64 *n);
void hook_prog_close(struct hook_prog *p);

#endif
