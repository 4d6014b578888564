/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attach-method fallback of a tool (methods.h) and the state it leaves: for each method in
 * order of cost, open a fresh skeleton (a failed load spoils a bpf_object), load and attach
 * just that method's programs, keep the first that works and note why the cheaper ones did not.
 * A tool's start and stop (tool.h) are these:
 *
 *   tool_session_new(&bpf, opts, &state, err, errsz)   a new session as *state: 0, or -errno
 *                                                     with one line in err (-EOPNOTSUPP: no
 *                                                     method works here)
 *   tool_session_report(s, rep)                       the method, its hooks and the note into
 *                                                     a report
 *   tool_session_free(state)                          detach, destroy, free; accepts NULL
 */
#ifndef BPFGAUGE_TOOL_SESSION_H
#define BPFGAUGE_TOOL_SESSION_H

#include <stddef.h>
#include <bpf/libbpf.h>

#include "attach/methods.h"
#include "tool.h"

/* A tool's BPF object: its typed skeleton functions wrapped, and its methods. */
struct tool_bpf {
	const char *name;	/* the object's name, for messages: "syscall_latency" */
	const struct attach_method *methods;
	size_t nr_methods;
	/* Opens the skeleton and sets its tunables from o; NULL with errno set on failure. */
	void *(*open)(const struct trace_opts *o, struct bpf_object **obj);
	void (*destroy)(void *skel);
	/*
	 * Optional: fills in the programs of a method listed without any (found at run time);
	 * 0, or -errno with why: then the method is noted and skipped.
	 */
	int (*fill_method)(struct attach_method *m, char *why, size_t sz);
	/* Optional: adds evidence to why after a method failed (method_why_explain). */
	void (*explain)(const char *method, int err, char *why, size_t sz);
};

struct tool_session {
	const struct tool_bpf *bpf;
	struct trace_opts opts;	/* as started; its strings are the caller's */
	void *skel;		/* the tool's skeleton (struct NAME_bpf *) */
	struct bpf_object *obj;	/* its object */
	struct bpf_link *links[METHOD_MAX_PROGS];
	const char *method;	/* the method that runs */
	char note[256];		/* why cheaper methods were not used; "" when none failed */
	long seeded;		/* descendants of opts.pid alive at the start (proc_tree.h) */
};

int tool_session_new(const struct tool_bpf *bpf, const struct trace_opts *o, void **state,
		     char *err, size_t errsz);
void tool_session_report(const struct tool_session *s, struct tool_report *rep);
void tool_session_free(void *state);

#endif
