// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "attach.h"
#include "attach_hooks.h"
#include "attach_overhead.skel.h"
#include "attach_overhead_user.skel.h"
#include "lib/autoload.h"
#include "lib/elf_syms.h"
#include "lib/errno_name.h"
#include "lib/ftrace.h"
#include "lib/libbpf_log.h"
#include "lib/uprobe_target.h"

/* The kernel's name for the getppid syscall's function: its architecture's wrapper. */
#if defined(__x86_64__)
#define SYSCALL_PREFIX "__x64_sys_"
#elif defined(__aarch64__)
#define SYSCALL_PREFIX "__arm64_sys_"
#elif defined(__s390x__)
#define SYSCALL_PREFIX "__s390x_sys_"
#elif defined(__riscv)
#define SYSCALL_PREFIX "__riscv_sys_"
#else
#define SYSCALL_PREFIX "sys_"
#endif
struct hook_prog {
	const struct attach_type *t;
	struct attach_overhead_bpf *kernel;
	struct attach_overhead_user_bpf *user;
	struct bpf_program *prog;
	struct bpf_link *link;
	pid_t tgid;
	const char *target;	/* t's timed target, or the kernel function's name */
	char exe[PATH_MAX];	/* uprobes: the workload's executable */
	long off;		/* uprobes: the target function's file offset in it */
	int ncpu;
	__u64 *vals;		/* one per CPU, for reading the counter */
};

/*
 * The getppid syscall's kernel function, by the first of these names the kernel's BTF has (what
 * trampolines need): the architecture's wrapper (SYSCALL_PREFIX), or the function it wraps, which
 * BTF may name instead when both are one address (__x64_sys_getppid is __do_sys_getppid on 6.x),
 * or plain sys_getppid on kernels without wrappers. Without BTF, the wrapper's name.
 */
static const char *syscall_func(void)
{
	static const char *const names[] = { SYSCALL_PREFIX "getppid", "__do_sys_getppid",
					     "sys_getppid" };
	static const char *found;
	struct btf *btf;

	if (found)
		return found;
	found = names[0];
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return found;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (btf__find_by_name_kind(btf, names[i], BTF_KIND_FUNC) > 0) {
			found = names[i];
			break;
		}
	}
	btf__free(btf);
	return found;
}

const char *hook_target(const struct attach_type *t)
{
	return t->timed.target ? t->timed.target : syscall_func();
}

bool hook_refuses(const struct attach_type *t, char *why, size_t sz)
{
	int err;

	if ((t->kind != ATTACH_kprobe && t->kind != ATTACH_kretprobe) ||
	    !(err = ftrace_kprobe_pmu()))
		return false;
	snprintf(why, sz, "no 'kprobe' PMU in /sys/bus/event_source/devices (%s): not attaching "
		 "through tracefs kprobe_events, which a killed run would leave behind",
		 errno_name(err));
	return true;
}

/* The workload's executable and the uprobe target's offset in it. */
static int resolve_target(struct hook_prog *p, char *why, size_t sz)
{
	char link[64];
	struct elf_syms *syms;
	ssize_t n;
	int err;

	snprintf(link, sizeof(link), "/proc/%d/exe", p->tgid);
	n = readlink(link, p->exe, sizeof(p->exe) - 1);
	if (n < 0) {
		err = -errno;
		snprintf(why, sz, "readlink '%s': %s", link, errno_name(err));
		return err;
	}
	p->exe[n] = '\0';
	if (p->t->kind == ATTACH_usdt)
		return 0;
	syms = elf_syms_open(p->exe);
	if (!syms) {
		err = -errno;
		snprintf(why, sz, "read the symbols of '%s': %s", p->exe, errno_name(err));
		return err;
	}
	p->off = elf_syms_offset(syms, UPROBE_TARGET_SYMBOL, NULL);
	elf_syms_free(syms);
	if (p->off < 0) {
		snprintf(why, sz, "no such symbol '%s' in '%s'", UPROBE_TARGET_SYMBOL, p->exe);
		return -ENOENT;
	}
	return 0;
}

static int open_object(struct hook_prog *p, bool filter, char *why, size_t sz)
{
	struct bpf_object *obj;
	int err;

	if (attach_type_user(p->t)) {
		p->user = attach_overhead_user_bpf__open();
		if (!p->user)
			goto open_failed;
		p->user->rodata->target_tgid = filter ? p->tgid : 0;
		obj = p->user->obj;
	} else {
		p->kernel = attach_overhead_bpf__open();
		if (!p->kernel)
			goto open_failed;
		p->kernel->rodata->target_tgid = filter ? p->tgid : 0;
		obj = p->kernel->obj;
	}
	p->prog = bpf_object__find_program_by_name(obj, p->t->timed.prog);
	if (!p->prog) {
		snprintf(why, sz, "no program '%s' in its BPF object", p->t->timed.prog);
		return -ENOENT;
	}
	autoload_only(obj, p->prog);
	if ((p->t->kind == ATTACH_fentry || p->t->kind == ATTACH_fexit) &&
	    (err = bpf_program__set_attach_target(p->prog, 0, p->target))) {
		snprintf(why, sz, "set the target of '%s' to '%s': %s",
			 bpf_program__section_name(p->prog), p->target, errno_name(err));
		return err;
	}
	libbpf_log_reset();
	err = p->user ? attach_overhead_user_bpf__load(p->user) :
			attach_overhead_bpf__load(p->kernel);
	if (err) {
		const char *last = libbpf_log_last();

		snprintf(why, sz, "load '%s' for '%s': %s%s%s", bpf_program__section_name(p->prog),
			 p->target, errno_name(err), last[0] ? ": " : "", last);
		return err;
	}
	return 0;
open_failed:
	err = -errno;
	snprintf(why, sz, "open '%s' BPF object: %s", attach_type_user(p->t) ? "attach_overhead_user" :
		 "attach_overhead", errno_name(err));
	return err;
}

int hook_prog_open(const struct attach_type *t, pid_t tgid, bool filter, struct hook_prog **out,
		   char *why, size_t sz)
{
	struct hook_prog *p;
	int err;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->t = t;
	p->tgid = tgid;
	p->target = hook_target(t);
	p->ncpu = libbpf_num_possible_cpus();
	if (p->ncpu <= 0) {
		err = p->ncpu ? p->ncpu : -EINVAL;
		snprintf(why, sz, "count the possible CPUs: %s", errno_name(err));
		goto cleanup;
	}
	p->vals = calloc(p->ncpu, sizeof(*p->vals));
	if (!p->vals) {
		err = -ENOMEM;
		snprintf(why, sz, "out of memory");
		goto cleanup;
	}
	if (attach_type_user(t) && (err = resolve_target(p, why, sz)))
		goto cleanup;
	err = open_object(p, filter, why, sz);
	if (err)
		goto cleanup;
	*out = p;
	return 0;
cleanup:
	hook_prog_close(p);
	return err;
}

int hook_prog_attach(struct hook_prog *p, char *why, size_t sz)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts, .retprobe = p->t->kind == ATTACH_uretprobe);
	LIBBPF_OPTS(bpf_kprobe_multi_opts, mopts);
	const char *syms[] = { p->target };
	int err;

	switch (p->t->kind) {
	case ATTACH_tracepoint:
	case ATTACH_raw_tracepoint:
	case ATTACH_tp_btf:
		p->link = bpf_program__attach(p->prog);
		break;
	case ATTACH_kprobe:
	case ATTACH_kretprobe:
		p->link = bpf_program__attach_kprobe(p->prog, p->t->kind == ATTACH_kretprobe,
						     p->target);
		break;
	case ATTACH_fentry:
	case ATTACH_fexit:
		p->link = bpf_program__attach_trace(p->prog);
		break;
	case ATTACH_kprobe_multi:
		mopts.syms = syms;
		mopts.cnt = 1;
		p->link = bpf_program__attach_kprobe_multi_opts(p->prog, NULL, &mopts);
		break;
	case ATTACH_uprobe:
	case ATTACH_uretprobe:
		p->link = bpf_program__attach_uprobe_opts(p->prog, p->tgid, p->exe, p->off, &uopts);
		break;
	case ATTACH_usdt:
		p->link = bpf_program__attach_usdt(p->prog, p->tgid, p->exe,
						   UPROBE_TARGET_USDT_PROVIDER,
						   UPROBE_TARGET_USDT_NAME, NULL);
		break;
	default:
		errno = EINVAL;
		break;
	}
	if (p->link)
		return 0;
	err = -errno;
	snprintf(why, sz, "attach '%s' to '%s': %s", bpf_program__section_name(p->prog),
		 p->target, errno_name(err));
	return err;
}

void hook_prog_detach(struct hook_prog *p)
{
	bpf_link__destroy(p->link);
	p->link = NULL;
}

int hook_prog_hits(struct hook_prog *p, __u64 *n)
{
	struct bpf_map *map = p->user ? p->user->maps.hits : p->kernel->maps.hits;
	__u32 zero = 0;

	if (bpf_map__lookup_elem(map, &zero, sizeof(zero), p->vals, p->ncpu * sizeof(*p->vals),
				 0))
		return -errno;
	*n = 0;
	for (int i = 0; i < p->ncpu; i++)
		*n += p->vals[i];
	return 0;
}

void hook_prog_close(struct hook_prog *p)
{
	if (!p)
		return;
	/* A USDT link uses its object's USDT state until it is gone: links first. */
	hook_prog_detach(p);
	attach_overhead_bpf__destroy(p->kernel);
	attach_overhead_user_bpf__destroy(p->user);
	free(p->vals);
	free(p);
}
