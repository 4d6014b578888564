// SPDX-License-Identifier: GPL-2.0
/*
 * fentry, fexit: attach BPF trampolines to vfs_read, make exactly N reads of S bytes from
 * /dev/zero, and verify that the program counted N for this process with the right size and
 * buffer arguments (and, for fexit, return values). When the load or the attach fails, the
 * check gathers what could explain it: the kernel config, whether ftrace function hooks can
 * be set (tracefs set_ftrace_filter opened for writing, unwritten), kernel.ftrace_enabled and
 * the lockdown mode.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attach/attach.h"
#include "check.h"
#include "lib/autoload.h"
#include "lib/errno_name.h"
#include "lib/ftrace.h"
#include "lib/kconfig.h"
#include "lib/libbpf_log.h"
#include "lib/mounts.h"
#include "lib/reaper.h"
#include "trampolines.h"
#include "vfs_read.h"

#define TARGET_FUNC "vfs_read"

/* Trampolines are JIT-ed, find their target in BTF and sit on ftrace's hooks (attach.def). */
static const char *const *const tramp_configs = attach_types[ATTACH_fentry].configs;

static bool config_missing(void)
{
	for (const char *const *c = tramp_configs; *c; c++)
		if (kconfig_state(*c) == KCONFIG_NOT_SET)
			return true;
	return false;
}

void trampoline_explain(struct check_result *res, int err, const char *what)
{
	int filter = ftrace_filter_open(), enabled = ftrace_enabled();
	const char *mode = lockdown_mode(), *direct;

	direct = kconfig_get("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS");
	if (!mode)
		mode = "unknown";
	check_detail_str(res, "set_ftrace_filter_open", filter ? errno_name(filter) : "ok");
	check_detail_int(res, "ftrace_enabled", enabled);
	check_detail_str(res, "lockdown", mode);
	check_detail_str(res, "dynamic_ftrace_with_direct_calls", direct ? direct : "not set");

	if (config_missing()) {
		check_explain(res, err, what, tramp_configs);
		check_reason_append(res, "lockdown=%s", mode);
		return;
	}
	/*
	 * On a kernel built with ftrace, a trampoline on a function ftrace manages is installed
	 * as an ftrace direct call. 'confidentiality' refuses tracefs itself (LOCKDOWN_TRACEFS),
	 * so there the file says nothing about the hooks.
	 */
	if (filter && strcmp(mode, "confidentiality")) {
		check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
		check_reason_append(res, "likely: ftrace function hooks are refused on this kernel "
				    "(opening tracefs set_ftrace_filter for writing: %s) and BPF "
				    "trampolines on kernel functions are built on them",
				    errno_name(filter));
		check_reason_append(res, "lockdown=%s", mode);
		return;
	}
	if (enabled == 0) {
		check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
		check_reason_append(res, "likely: kernel.ftrace_enabled=0 turns ftrace function "
				    "hooks off and BPF trampolines on kernel functions are built "
				    "on them");
		check_reason_append(res, "lockdown=%s", mode);
		return;
	}
	/* Nothing explains it: 'fail', with libbpf's last line and what was ruled out. */
	check_explain(res, err, what, NULL);
	check_reason_append(res, "set_ftrace_filter %s, kernel.ftrace_enabled=%d, lockdown=%s",
			    filter ? errno_name(filter) : "opens for writing", enabled, mode);
}

static void run_tramp(struct check_result *res, bool fexit)
{
	struct vfs_read_bpf *skel;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	char what[128];
	int err;

	skel = vfs_read_open(res);
	if (!skel)
		return;
	prog = fexit ? skel->progs.on_fexit : skel->progs.on_fentry;
	autoload_only(skel->obj, prog);

	err = vfs_read_bpf__load(skel);
	if (err) {
		snprintf(what, sizeof(what), "load '%s'", bpf_program__section_name(prog));
		/* libbpf prints the verifier's log between these lines when there is one. */
		check_detail_bool(res, "verifier_log_empty",
				  !libbpf_log_contains("-- BEGIN PROG LOAD LOG --"));
		trampoline_explain(res, err, what);
		goto cleanup;
	}
	link = bpf_program__attach_trace(prog);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach '%s'", bpf_program__section_name(prog));
		trampoline_explain(res, err, what);
		goto cleanup;
	}
	vfs_read_run(res, skel, TARGET_FUNC, VFS_SEEN_ARGS | (fexit ? VFS_SEEN_RET : 0));
cleanup:
	reaper_defer(link);
	vfs_read_bpf__destroy(skel);
}

static void run_fentry(struct check_result *res)
{
	run_tramp(res, false);
}

static void run_fexit(struct check_result *res)
{
	run_tramp(res, true);
}

DEFINE_CHECK(fentry, "trampolines", "count N reads at an fentry trampoline on vfs_read, with "
	     "their arguments", run_fentry);
DEFINE_CHECK(fexit, "trampolines", "count N reads at an fexit trampoline on vfs_read, with "
	     "arguments and return values", run_fexit);
