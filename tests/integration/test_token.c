// SPDX-License-Identifier: GPL-2.0
/*
 * The token check against what the machine says, read by other means: the kernel's BTF
 * (bpftool btf dump: a kernel with BPF tokens has 'struct bpf_token' and BPF_TOKEN_CREATE),
 * the user namespace limit in /proc/sys/user/max_user_namespaces, the kernel's version read by
 * the shell. Where it passes, its details show the token was needed (EPERM without it) and did
 * its work. Nothing stays behind: the test's own mount table (it shares the initial mount
 * namespace with the check) is the same after the run, and the check's program is gone.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "integration.h"
#include "support.h"

static long max_user_namespaces(void)
{
	char *out = sh("cat /proc/sys/user/max_user_namespaces 2>/dev/null", NULL);
	long v = out[0] ? atol(out) : -1;

	free(out);
	return v;
}

/* The mount table of this process, without mount ids (which a remount would change). */
static char *mounts(void)
{
	return sh("cut -d' ' -f4- /proc/self/mountinfo | sort", NULL);
}

/* The kernel frees a dead process's programs soon after; give it a few short moments. */
static void assert_program_gone(const char *name)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char cmd[128], *out = NULL;

	snprintf(cmd, sizeof(cmd), "bpftool prog show name %s 2>/dev/null", name);
	for (int tries = 0; tries < 10; tries++) {
		free(out);
		out = sh(cmd, NULL);
		if (!out[0])
			break;
		nanosleep(&ts, NULL);
	}
	cr_assert_str_empty(out, "program '%s' left behind: %s", name, out);
	free(out);
}

Test(token, verdict_matches_evidence)
{
	bool btf_token = evidence_btf_lines("STRUCT 'bpf_token'") > 0 &&
			 evidence_btf_lines("BPF_TOKEN_CREATE") > 0;
	long max_ns = max_user_namespaces();
	char *before, *after;
	const char *st, *why;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root to load BPF");
	before = mounts();
	doc = probe_json("--only token", NULL);
	after = mounts();
	cr_assert_not_null(doc);
	st = probe_status(doc, "token");
	why = probe_reason(doc, "token");
	cr_assert_str_eq(probe_detail_str(doc, "token", "arrived_in"), "6.9");
	if (max_ns == 0) {
		cr_assert_str_eq(st, "unsupported", "%s", why);
		cr_assert(strstr(why, "user.max_user_namespaces=0"), "%s", why);
	} else if (evidence_chroot()) {
		/* make fresh-check's root: the kernel refuses a chroot new user namespaces. */
		cr_assert_str_eq(st, "skipped", "%s", why);
		cr_assert(strstr(why, "unshare(CLONE_NEWUSER): EPERM") && strstr(why, "chroot"),
			  "%s", why);
	} else if (!btf_token) {
		cr_assert_str_neq(st, "pass", "passed, yet the kernel's BTF has no bpf_token");
		if (!evidence_kernel_at_least(6, 9))
			cr_assert(strstr(why, "< 6.9 where BPF token arrived"), "%s", why);
	} else {
		cr_assert_str_eq(st, "pass", "%s", why);
		cr_assert_str_eq(probe_detail_str(doc, "token", "stage"), "done");
		cr_assert_str_eq(probe_detail_str(doc, "token", "map_create_without_token"),
				 "EPERM");
		cr_assert_str_eq(probe_detail_str(doc, "token", "prog_load_without_token"),
				 "EPERM");
		cr_assert_eq(probe_detail_int(doc, "token", "runs"), 16);
		cr_assert_eq(probe_detail_int(doc, "token", "values_popped"), 16);
		cr_assert_eq(probe_detail_int(doc, "token", "values_right"), 16);
		/* The kernel's view of the token: what the bpffs delegated, as fdinfo says. */
		cr_assert(strstr(probe_detail_str(doc, "token", "token_fdinfo"),
				 "allowed_attachs: any"), "%s",
			  probe_detail_str(doc, "token", "token_fdinfo"));
		cr_assert_eq(probe_detail_int(doc, "token", "child_exit"), 0);
	}
	cr_assert_str_eq(after, before, "the mount table changed:\nbefore:\n%s\nafter:\n%s",
			 before, after);
	assert_program_gone("token_xdp");
	free(before);
	free(after);
	json_decref(doc);
}

/*
 * With user namespaces off, the reason says so. The limit is set to 0 inside a user namespace
 * of the test's own (where root may set it, for that namespace and those it would create), so
 * the machine's limit stays as it is.
 */
Test(token, user_namespaces_off_said_as_such)
{
	char cmd[1024], *out;
	const char *why;
	json_t *doc;
	int status;

	if (!installed("unshare"))
		cr_skip_test("no unshare(1)");
	if (max_user_namespaces() == 0)
		cr_skip_test("user namespaces are off here already (verdict_matches_evidence)");
	if (evidence_chroot())
		cr_skip_test("in a chroot, where no user namespace can be made "
			     "(verdict_matches_evidence checks the check says so)");
	snprintf(cmd, sizeof(cmd), "unshare --user --map-root-user sh -c 'echo 0 > "
		 "/proc/sys/user/max_user_namespaces && exec %s probe --json --only token' "
		 "2>/dev/null", bpfgauge_bin());
	out = sh(cmd, &status);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	why = probe_reason(doc, "token");
	cr_assert_str_eq(probe_status(doc, "token"), "unsupported", "%s", why);
	cr_assert(strstr(why, "unshare(CLONE_NEWUSER): ENOSPC"), "%s", why);
	cr_assert(strstr(why, "user namespaces are disabled: user.max_user_namespaces=0"), "%s",
		  why);
	cr_assert_eq(probe_detail_int(doc, "token", "max_user_namespaces"), 0);
	json_decref(doc);
	free(out);
}

/*
 * Run as root of a user namespace (a container's view), the check cannot delegate: only
 * CAP_SYS_ADMIN in the initial namespace may set the delegation options. It says so, and
 * does not count it as the kernel's failure.
 */
Test(token, delegation_outside_the_initial_namespace_skipped)
{
	char cmd[512], *out;
	const char *why;
	json_t *doc;

	if (!installed("unshare"))
		cr_skip_test("no unshare(1)");
	if (!evidence_kernel_at_least(6, 9))
		cr_skip_test("bpffs has no delegation options before 6.9");
	if (evidence_chroot())
		cr_skip_test("in a chroot, where no user namespace can be made "
			     "(verdict_matches_evidence checks the check says so)");
	snprintf(cmd, sizeof(cmd), "unshare --user --map-root-user %s probe --json --only token "
		 "2>/dev/null", bpfgauge_bin());
	out = sh(cmd, NULL);
	doc = json_loads(out, 0, NULL);
	cr_assert_not_null(doc, "not JSON: %s", out);
	why = probe_reason(doc, "token");
	cr_assert_str_eq(probe_status(doc, "token"), "skipped", "%s", why);
	cr_assert(strstr(why, "fsconfig(delegate_cmds): EPERM"), "%s", why);
	cr_assert(strstr(why, "initial user namespace"), "%s", why);
	json_decref(doc);
	free(out);
}
