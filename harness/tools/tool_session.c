// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errno_name.h"
#include "proc_tree.h"
#include "tool_common.h"
#include "tool_session.h"

_Static_assert(METHOD_MAX_PROGS <= TOOL_MAX_HOOKS, "a report holds every program's hook");

static int session_start(struct tool_session *s, char *err, size_t errsz)
{
	const struct tool_bpf *bpf = s->bpf;
	char why[200];
	int ret;

	for (size_t i = 0; i < bpf->nr_methods; i++) {
		struct attach_method m = bpf->methods[i];
		struct bpf_object *obj = NULL;

		why[0] = '\0';
		if (!m.progs[0] && bpf->fill_method) {
			ret = bpf->fill_method(&m, why, sizeof(why));
			if (ret) {
				tool_note_add(s->note, sizeof(s->note), m.name, why);
				continue;
			}
		}
		if (s->opts.pid && proc_tree_add(&m)) {
			snprintf(err, errsz, "method '%s' has too many programs", m.name);
			return -E2BIG;
		}
		s->skel = bpf->open(&s->opts, &obj);
		if (!s->skel) {
			ret = -errno;
			snprintf(err, errsz, "open '%s' BPF object: %s", bpf->name, strerror(-ret));
			return ret;
		}
		ret = method_load_attach(obj, &m, s->links, why, sizeof(why));
		if (!ret && s->opts.pid) {
			s->seeded = proc_tree_seed(obj, s->opts.pid);
			if (s->seeded < 0) {
				snprintf(err, errsz, "follow the descendants of pid %d: %s",
					 s->opts.pid, errno_name((int)s->seeded));
				return (int)s->seeded;
			}
		}
		if (!ret) {
			s->method = m.name;
			s->obj = obj;
			return 0;
		}
		if (bpf->explain)
			bpf->explain(m.name, ret, why, sizeof(why));
		tool_note_add(s->note, sizeof(s->note), m.name, why);
		bpf->destroy(s->skel);
		s->skel = NULL;
	}
	snprintf(err, errsz, "no attach method works here: %s", s->note);
	return -EOPNOTSUPP;
}

int tool_session_new(const struct tool_bpf *bpf, const struct trace_opts *o, void **state,
		     char *err, size_t errsz)
{
	struct tool_session *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->bpf = bpf;
	s->opts = *o;
	ret = session_start(s, err, errsz);
	if (ret) {
		tool_session_free(s);
		return ret;
	}
	*state = s;
	return 0;
}

void tool_session_report(const struct tool_session *s, struct tool_report *rep)
{
	struct bpf_program *prog;

	snprintf(rep->method, sizeof(rep->method), "%s", s->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", s->note);
	if (s->opts.pid)
		proc_tree_totals(s->obj, s->seeded, &rep->descendants, &rep->descendants_lost);
	rep->nr_hooks = 0;
	/* The method's programs are the ones loaded (method_load_attach), the tree's aside. */
	bpf_object__for_each_program(prog, s->obj)
		if (bpf_program__autoload(prog) && !proc_tree_prog(bpf_program__name(prog)) &&
		    rep->nr_hooks < TOOL_MAX_HOOKS)
			snprintf(rep->hooks[rep->nr_hooks++], sizeof(rep->hooks[0]), "%s",
				 bpf_program__section_name(prog));
}

void tool_session_free(void *state)
{
	struct tool_session *s = state;

	if (!s)
		return;
	method_links_destroy(s->links);
	if (s->skel)
		s->bpf->destroy(s->skel);
	free(s);
}
