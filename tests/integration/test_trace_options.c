// SPDX-License-Identifier: GPL-2.0
/*
 * 'bpfgauge trace' takes each tool's own options from its descriptor: both help texts list
 * them, and an option given to a tool that does not declare it is refused with one line and
 * exit 2 before anything is loaded (so none of this needs root).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"
#include "tools/tool.h"

/* The exit code and stderr of 'bpfgauge trace ARGS'; stdout is dropped. */
static char *trace_stderr(const char *args, int *code)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s trace %s 2>&1 >/dev/null", bpfgauge_bin(), args);
	return sh(cmd, code);
}

/* The stdout of 'bpfgauge trace ARGS', asserting exit 0. */
static char *trace_stdout(const char *args)
{
	char cmd[512], *out;
	int code;

	snprintf(cmd, sizeof(cmd), "%s trace %s 2>/dev/null", bpfgauge_bin(), args);
	out = sh(cmd, &code);
	cr_assert_eq(code, 0, "trace %s: exit %d", args, code);
	return out;
}

static void assert_refused(const char *tool, const char *args, const char *option)
{
	char cmd[256], want[256], *err;
	int code;

	snprintf(cmd, sizeof(cmd), "%s %s -d 1", tool, args);
	err = trace_stderr(cmd, &code);
	snprintf(want, sizeof(want), "bpfgauge trace: '%s' has no option '%s'; see 'bpfgauge trace "
		 "%s --help'\n", tool, option, tool);
	cr_assert_eq(code, 2, "trace %s: exit %d: %s", cmd, code, err);
	cr_assert_str_eq(err, want, "trace %s", cmd);
	free(err);
}

Test(trace_options, another_tools_option_is_refused_with_one_line_and_exit_2)
{
	char *err;
	int code;

	assert_refused("syscall-latency", "--per-disk", "--per-disk");
	assert_refused("fs-latency", "--func=libc:malloc", "--func");
	/* An option no tool has stays unknown. */
	err = trace_stderr("fs-latency --no-such-option -d 1", &code);
	cr_assert_eq(code, 2, "exit %d: %s", code, err);
	cr_assert_str_eq(err, "bpfgauge trace: unknown option '--no-such-option'; see 'bpfgauge "
			 "trace --help'\n");
	free(err);
}

Test(trace_options, every_tool_refuses_the_options_only_others_declare)
{
	int refused = 0;

	for (size_t i = 0; i < tool_registry_len; i++) {
		const struct tool *t = tool_registry[i];

		for (size_t j = 0; j < tool_registry_len; j++) {
			for (const struct tool_option *opt = tool_registry[j]->options;
			     opt && opt->name; opt++) {
				char args[128], option[64];

				if (tool_option_find(t, opt->name))
					continue;
				snprintf(option, sizeof(option), "--%s", opt->name);
				snprintf(args, sizeof(args), "%s%s", option, opt->arg ? " x" : "");
				assert_refused(t->name, args, option);
				refused++;
			}
		}
	}
	cr_assert_gt(refused, 0, "no tool declares an option another lacks");
}

Test(trace_options, both_help_texts_list_each_tools_own_options)
{
	char *all = trace_stdout("--help");

	for (size_t i = 0; i < tool_registry_len; i++) {
		const struct tool *t = tool_registry[i];
		char line[256], *own;

		snprintf(line, sizeof(line), "%s --help", t->name);
		own = trace_stdout(line);
		if (!t->options || !t->options->name)
			cr_assert(strstr(own, "\nOptions: those of every tool"), "%s: %s", t->name,
				  own);
		for (const struct tool_option *opt = t->options; opt && opt->name; opt++) {
			char name[64];

			snprintf(name, sizeof(name), "--%s%s%s", opt->name, opt->arg ? " " : "",
				 opt->arg ? opt->arg : "");
			snprintf(line, sizeof(line), "\n  %-22s  %s: %s\n", name, t->name, opt->help);
			cr_assert(strstr(all, line), "'trace --help' lacks '%s'", line + 1);
			snprintf(line, sizeof(line), "\n  %-22s  %s\n", name, opt->help);
			cr_assert(strstr(own, line), "'trace %s --help' lacks '%s'", t->name, line + 1);
		}
		free(own);
	}
	free(all);
}
