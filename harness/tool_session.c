// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tool_common.h"
#include "tool_session.h"

int tool_session_start(struct tool_session *s, const struct tool_bpf *bpf,
		       const struct trace_opts *o, char *err, size_t errsz)
{
	char why[200];
	int ret;

	s->bpf = bpf;
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
		s->skel = bpf->open(o, &obj);
		if (!s->skel) {
			ret = -errno;
			snprintf(err, errsz, "open '%s' BPF object: %s", bpf->name, strerror(-ret));
			return ret;
		}
		ret = method_load_attach(obj, &m, s->links, why, sizeof(why));
		if (!ret) {
			s->method = bpf->methods[i].name;
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

void tool_session_report(const struct tool_session *s, struct tool_report *rep)
{
	snprintf(rep->method, sizeof(rep->method), "%s", s->method);
	snprintf(rep->method_note, sizeof(rep->method_note), "%s", s->note);
}

void tool_session_stop(struct tool_session *s)
{
	method_links_destroy(s->links);
	if (s->skel)
		s->bpf->destroy(s->skel);
	s->skel = NULL;
}
