// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "floor.h"
#include "floor.skel.h"
#include "lib/errno_name.h"
#include "lib/libbpf_log.h"
#include "uprobe_spec.h"

enum how { BY_BTF, BY_RAW_TP, BY_TRACEPOINT, BY_KPROBE, BY_UPROBE, BY_PERF_EVENT };

/* How a hook is attached: an attach type with an empty program (attach.h), or sampling. */
struct kind {
	const char *sec;	/* the empty program's section in floor.bpf.c */
	enum how how;
	bool ret;		/* kretprobe, uretprobe */
};

static const struct kind perf_event_kind = { "perf_event", BY_PERF_EVENT };

struct plan {
	struct kind kind;
	const char *target;		/* after the first '/' of the hook; "" when none */
	struct bpf_program *prog;
};

/* How libbpf attaches a program of the type; -1 for a type floor.c has no way for. */
static int how_of(const struct attach_type *t)
{
	switch (t->kind) {
	case ATTACH_tp_btf:
	case ATTACH_fentry:
	case ATTACH_fexit:
		return BY_BTF;
	case ATTACH_raw_tracepoint:
		return BY_RAW_TP;
	case ATTACH_tracepoint:
		return BY_TRACEPOINT;
	case ATTACH_kprobe:
	case ATTACH_kretprobe:
		return BY_KPROBE;
	case ATTACH_uprobe:
	case ATTACH_uretprobe:
		return BY_UPROBE;
	default:
		return -1;
	}
}

/* The hook's section up to its first '/' names its attach type, or "perf_event". */
static int kind_of(const char *hook, struct kind *k, const char **target)
{
	size_t len = strcspn(hook, "/");
	const struct attach_type *t;
	char prefix[32];

	*target = hook[len] ? hook + len + 1 : "";
	snprintf(prefix, sizeof(prefix), "%.*s", (int)len, hook);
	if (!strcmp(prefix, perf_event_kind.sec)) {
		*k = perf_event_kind;
		return 0;
	}
	t = attach_type_find(prefix);
	if (!t || !t->floor || how_of(t) < 0)
		return -ENOENT;
	*k = (struct kind){ .sec = t->floor, .how = how_of(t),
			    .ret = t->kind == ATTACH_kretprobe || t->kind == ATTACH_uretprobe };
	return 0;
}

/* The next program of a kind and flavour (empty, or with the clock) no other hook took yet. */
static struct bpf_program *next_prog(struct bpf_object *obj, const struct kind *k, bool clock,
				     const struct plan *plan, size_t n)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		bool taken = false, reads_clock = strstr(bpf_program__name(prog), "_clock_");

		if (strcmp(bpf_program__section_name(prog), k->sec) || reads_clock != clock)
			continue;
		for (size_t i = 0; i < n && !taken; i++)
			taken = plan[i].prog == prog;
		if (!taken)
			return prog;
	}
	return NULL;
}

static int plan_hooks(struct floor *f, const struct tool_report *rep, bool clock,
		      struct plan *plan, char *why, size_t sz)
{
	struct bpf_program *prog;
	int err;

	bpf_object__for_each_program(prog, f->skel->obj)
		bpf_program__set_autoload(prog, false);
	for (size_t i = 0; i < rep->nr_hooks; i++) {
		struct plan *p = &plan[i];

		if (kind_of(rep->hooks[i], &p->kind, &p->target)) {
			snprintf(why, sz, "no empty program for hook '%s'", rep->hooks[i]);
			return -EOPNOTSUPP;
		}
		p->prog = next_prog(f->skel->obj, &p->kind, clock, plan, i);
		if (!p->prog) {
			snprintf(why, sz, "more '%.*s' hooks than empty '%s' programs",
				 (int)strcspn(rep->hooks[i], "/"), rep->hooks[i], p->kind.sec);
			return -E2BIG;
		}
		bpf_program__set_autoload(p->prog, true);
		if (p->kind.how != BY_BTF)
			continue;
		err = bpf_program__set_attach_target(p->prog, 0, p->target);
		if (err) {
			snprintf(why, sz, "no BTF target '%s' for an empty '%s' program: %s",
				 p->target, p->kind.sec, errno_name(err));
			return err;
		}
	}
	return 0;
}

/* Attaches the way libbpf attaches a program of the hook's section; NULL with errno set. */
static struct bpf_link *attach_one(const struct plan *p, const struct uprobe_spec *u, pid_t pid)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uopts, .retprobe = p->kind.ret);
	char cat[64];
	size_t len;

	switch (p->kind.how) {
	case BY_BTF:
		return bpf_program__attach(p->prog);
	case BY_RAW_TP:
		return bpf_program__attach_raw_tracepoint(p->prog, p->target);
	case BY_TRACEPOINT:
		len = strcspn(p->target, "/");
		if (!p->target[len] || len >= sizeof(cat)) {
			errno = EINVAL;
			return NULL;
		}
		memcpy(cat, p->target, len);
		cat[len] = '\0';
		return bpf_program__attach_tracepoint(p->prog, cat, p->target + len + 1);
	case BY_KPROBE:
		return bpf_program__attach_kprobe(p->prog, p->kind.ret, p->target);
	case BY_UPROBE:
		return bpf_program__attach_uprobe_opts(p->prog, pid > 0 ? pid : -1, u->path,
						       u->offset, &uopts);
	case BY_PERF_EVENT:
		break;
	}
	errno = EINVAL;
	return NULL;
}

int floor_attach(struct floor *f, const struct tool_report *rep, const struct floor_opts *o,
		 char *why, size_t sz)
{
	struct plan plan[TOOL_MAX_HOOKS];
	struct uprobe_spec u;
	bool need_uprobe = false;
	int err;

	memset(f, 0, sizeof(*f));
	memset(plan, 0, sizeof(plan));
	memset(&u, 0, sizeof(u));
	if (!rep->nr_hooks || rep->nr_hooks > TOOL_MAX_HOOKS) {
		snprintf(why, sz, "the tool reported %zu hooks", rep->nr_hooks);
		return -EINVAL;
	}
	f->skel = floor_bpf__open();
	if (!f->skel) {
		err = -errno;
		snprintf(why, sz, "open 'floor' BPF object: %s", errno_name(err));
		return err;
	}
	err = plan_hooks(f, rep, o->clock, plan, why, sz);
	if (err)
		goto fail;
	for (size_t i = 0; i < rep->nr_hooks; i++)
		need_uprobe |= plan[i].kind.how == BY_UPROBE;
	if (need_uprobe) {
		err = uprobe_spec_resolve(rep->target, o->pid, &u, why, sz);
		if (err)
			goto fail;
	}
	libbpf_log_reset();
	err = floor_bpf__load(f->skel);
	if (err) {
		snprintf(why, sz, "load the empty programs failed: %s%s%s", errno_name(err),
			 libbpf_log_last()[0] ? ": " : "", libbpf_log_last());
		goto fail;
	}
	for (size_t i = 0; i < rep->nr_hooks; i++) {
		const struct plan *p = &plan[i];

		if (p->kind.how == BY_PERF_EVENT) {
			if (f->ps.nr_links) {
				err = -E2BIG;
				snprintf(why, sz, "more than one 'perf_event' hook");
				goto fail;
			}
			err = perf_sampler_attach(p->prog, o->hz, &f->ps, why, sz);
			if (err)
				goto fail;
			continue;
		}
		f->links[i] = attach_one(p, &u, o->pid);
		if (!f->links[i]) {
			err = -errno;
			snprintf(why, sz, "attach empty '%s' to '%s' failed: %s", p->kind.sec,
				 p->kind.how == BY_UPROBE ? rep->target : p->target,
				 errno_name(err));
			goto fail;
		}
	}
	return 0;
fail:
	floor_detach(f);
	return err;
}

void floor_detach(struct floor *f)
{
	for (int i = 0; i < TOOL_MAX_HOOKS; i++) {
		bpf_link__destroy(f->links[i]);
		f->links[i] = NULL;
	}
	perf_sampler_detach(&f->ps);
	floor_bpf__destroy(f->skel);
	f->skel = NULL;
}
