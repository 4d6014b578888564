// SPDX-License-Identifier: GPL-2.0
/*
 * tool_session: the attach-method fallback of the tools, driven with build/empty.bpf.o (empty
 * programs on the raw syscall tracepoints) and methods made to fail in each way the loop handles: a program
 * the object lacks (attach fails with ENOENT), a method whose programs cannot be filled in,
 * and an object that does not open.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "integration.h"
#include "lib/libbpf_log.h"
#include "tools/tool_session.h"

#define EMPTY_OBJ "build/empty.bpf.o"

static const char *obj_path = EMPTY_OBJ;
static int explained;

static void *obj_open(const struct trace_opts *o, struct bpf_object **obj)
{
	(void)o;
	*obj = bpf_object__open_file(obj_path, NULL);
	return *obj;
}

static void obj_close(void *obj)
{
	bpf_object__close(obj);
}

static int fill_fails(struct attach_method *m, char *why, size_t sz)
{
	(void)m;
	snprintf(why, sz, "nothing to fill in");
	return -ENOENT;
}

static void explain(const char *method, int err, char *why, size_t sz)
{
	size_t len = strlen(why);

	explained++;
	snprintf(why + len, sz - len, " (explained: %s, %d)", method, err);
}

static const struct attach_method methods[] = {
	{ "missing", { "no_such_prog" } },
	{ "unfilled", {} },
	{ "raw_tp", { "enter_raw", "exit_raw" } },
};

static const struct tool_bpf empty_bpf = {
	.name = "empty",
	.methods = methods,
	.nr_methods = 3,
	.open = obj_open,
	.destroy = obj_close,
	.fill_method = fill_fails,
	.explain = explain,
};

static void setup(void)
{
	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	cr_assert(evidence_exists(EMPTY_OBJ), "no %s: run from the worktree after make",
		  EMPTY_OBJ);
	libbpf_log_setup(false);	/* libbpf's warnings kept, as in bpfgauge */
	obj_path = EMPTY_OBJ;
	explained = 0;
}

Test(tool_session, falls_back_and_notes_why, .init = setup)
{
	struct trace_opts o = { .by_syscall = true };
	struct tool_report rep = { 0 };
	struct tool_session *s;
	char err[512] = "", note[256];
	void *state = NULL;
	int ret = tool_session_new(&empty_bpf, &o, &state, err, sizeof(err));

	if (ret == -EOPNOTSUPP && strstr(err, "raw_tp: "))
		cr_skip_test("raw_tp does not attach here: %s", err);
	cr_assert_eq(ret, 0, "start: %d: %s", ret, err);
	s = state;
	cr_assert_not_null(s);
	cr_assert_str_eq(s->method, "raw_tp");
	snprintf(note, sizeof(note), "missing: attach 'no_such_prog': ENOENT (explained: missing, "
		 "%d); unfilled: nothing to fill in", -ENOENT);
	cr_assert_str_eq(s->note, note);
	cr_assert_eq(explained, 1, "explain ran %d times", explained);
	cr_assert(s->opts.by_syscall, "options not kept");
	cr_assert_not_null(s->skel);
	cr_assert(s->links[0] && s->links[1] && !s->links[2], "links: %p %p %p", s->links[0],
		  s->links[1], s->links[2]);
	tool_session_report(s, &rep);
	cr_assert_str_eq(rep.method, "raw_tp");
	cr_assert_str_eq(rep.method_note, note);
	tool_session_free(state);
}

Test(tool_session, no_method_works, .init = setup)
{
	static const struct tool_bpf failing = {
		.name = "empty",
		.methods = methods,
		.nr_methods = 2,	/* without raw_tp */
		.open = obj_open,
		.destroy = obj_close,
		.fill_method = fill_fails,
	};
	struct trace_opts o = { 0 };
	char err[512] = "";
	void *state = NULL;
	int ret = tool_session_new(&failing, &o, &state, err, sizeof(err));

	cr_assert_eq(ret, -EOPNOTSUPP, "start: %d: %s", ret, err);
	cr_assert_str_eq(err, "no attach method works here: missing: attach 'no_such_prog': "
			 "ENOENT; unfilled: nothing to fill in");
	cr_assert_null(state);
}

Test(tool_session, open_failure_stops_the_fallback, .init = setup)
{
	struct trace_opts o = { 0 };
	char err[512] = "";
	void *state = NULL;
	int ret;

	obj_path = "build/no-such-object.bpf.o";
	ret = tool_session_new(&empty_bpf, &o, &state, err, sizeof(err));
	cr_assert_eq(ret, -ENOENT, "start: %d: %s", ret, err);
	cr_assert_str_eq(err, "open 'empty' BPF object: No such file or directory");
	cr_assert_null(state);
	cr_assert_eq(explained, 0);
}
