// SPDX-License-Identifier: GPL-2.0
/* The probe command as a user meets it: options, bad input, exit codes, output files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

static int run(const char *args, char **out)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", bpfgauge_bin(), args);
	*out = sh(cmd, &st);
	return st;
}

Test(cli, unknown_check_is_one_line_and_exit_2)
{
	char *out;

	cr_assert_eq(run("probe --only tracepoint,no_such_check", &out), 2);
	cr_assert(strstr(out, "unknown check 'no_such_check'"), "got: %s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "more than one line: %s", out);
	free(out);
}

Test(cli, bad_option_and_command_exit_2)
{
	char *out;

	cr_assert_eq(run("probe --bogus", &out), 2);
	cr_assert(strstr(out, "unknown option '--bogus'"), "got: %s", out);
	free(out);
	cr_assert_eq(run("frobnicate", &out), 2);
	cr_assert(strstr(out, "unknown command 'frobnicate'"), "got: %s", out);
	free(out);
	cr_assert_eq(run("probe --only", &out), 2);
	free(out);
}

Test(cli, help_teaches)
{
	char *out;

	cr_assert_eq(run("probe --help", &out), 0);
	cr_assert(strstr(out, "--require") && strstr(out, "--junit") && strstr(out, "unsupported"));
	free(out);
	cr_assert_eq(run("--help", &out), 0);
	cr_assert(strstr(out, "probe") && strstr(out, "list"));
	free(out);
}

Test(cli, list_names_every_check_once)
{
	char *out;

	cr_assert_eq(run("list", &out), 0);
	cr_assert(strstr(out, "tracepoint") && strstr(out, "bpf_syscall"));
	free(out);
}

Test(cli, junit_refuses_to_overwrite)
{
	char path[] = "/tmp/bpfgauge-junit-XXXXXX", args[256], *out;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	write(fd, "keep", 4);
	close(fd);
	snprintf(args, sizeof(args), "probe --only bpf_syscall --junit %s", path);
	cr_assert_eq(run(args, &out), 2);
	cr_assert(strstr(out, "never overwritten"), "got: %s", out);
	free(out);
	out = sh((snprintf(args, sizeof(args), "cat %s", path), args), NULL);
	cr_assert_str_eq(out, "keep");
	free(out);
	unlink(path);
}

Test(cli, junit_unwritable_dir_exit_2)
{
	char *out;

	cr_assert_eq(run("probe --only bpf_syscall --junit /nonexistent-dir/x.xml", &out), 2);
	cr_assert(strstr(out, "cannot write '/nonexistent-dir/x.xml': No such file"), "got: %s",
		  out);
	free(out);
}

Test(cli, junit_written_with_one_testcase_per_check)
{
	char dir[] = "/tmp/bpfgauge-junit-XXXXXX", args[512], *out;
	int st;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(args, sizeof(args), "probe --only bpf_syscall,lockdown,raw_tracepoint "
		 "--junit %s/r.xml >/dev/null", dir);
	cr_assert_eq(run(args, &out), 0);
	free(out);
	snprintf(args, sizeof(args), "grep -c '<testcase ' %s/r.xml", dir);
	out = sh(args, &st);
	cr_assert_eq(atoi(out), 3, "testcases: %s", out);
	free(out);
	/* lockdown is unsupported wherever lockdown is on: then it is a <skipped>. */
	snprintf(args, sizeof(args), "grep -c '<skipped' %s/r.xml", dir);
	out = sh(args, &st);
	cr_assert_eq(atoi(out), strcmp(evidence_lockdown(), "none") ? 1 : 0, "skipped: %s", out);
	free(out);
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	free(sh(args, NULL));
}

Test(cli, require_exits_1_when_not_pass)
{
	json_t *doc;
	int code;

	/* unprivileged_bpf passes only where unprivileged BPF is allowed. */
	doc = probe_json("--only unprivileged_bpf --require unprivileged_bpf", &code);
	cr_assert_not_null(doc);
	cr_assert_eq(code, strcmp(probe_status(doc, "unprivileged_bpf"), "pass") ? 1 : 0);
	json_decref(doc);
	doc = probe_json("--require bpf_syscall --only bpf_syscall", &code);
	cr_assert_eq(code, 0);
	cr_assert_str_eq(probe_status(doc, "bpf_syscall"), "pass");
	json_decref(doc);
}

Test(cli, without_privileges_says_which_capability_is_missing)
{
	char cmd[512], *out;
	int st;

	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups "
		 "--inh-caps=-all %s probe 2>&1", bpfgauge_bin());
	out = sh(cmd, &st);
	cr_assert_eq(st, 2, "%s", out);
	cr_assert(strstr(out, "needs CAP_BPF"), "%s", out);
	cr_assert(strstr(out, "run it as root"), "%s", out);
	free(out);
}
