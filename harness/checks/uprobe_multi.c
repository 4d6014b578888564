// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_multi (Linux 6.6): one BPF link attaches a program to any number of user-space
 * offsets, each with its own cookie, without a perf event per offset (what bpftrace and
 * libbpf-tools use for wildcard uprobes). Here: the function of this binary the uprobe check
 * uses, by file offset, with a cookie; N calls with known arguments; verified by the entries
 * seen, their arguments and the cookie the program read with bpf_get_attach_cookie().
 * The link is owned by a file descriptor: nothing is left in tracefs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/autoload.h"
#include "lib/clock.h"
#include "lib/kernel_ids.h"
#include "lib/reaper.h"
#include "lib/uprobe_target.h"
#include "uprobe_multi_count.skel.h"
#include "uprobes.h"

#define NR_CALLS 16
#define ARG_FIRST 2000
#define COOKIE 0xb9f6a0ceULL

static void run_uprobe_multi(struct check_result *res)
{
	/* The uprobe core, not the uprobe PMU or tracefs events the other uprobe checks need. */
	static const char *const configs[] = { "CONFIG_UPROBES", NULL };
	struct uprobe_multi_count_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	char path[PATH_MAX], what[PATH_MAX + 128];
	unsigned long offset;
	const __u64 cookie = COOKIE;
	LIBBPF_OPTS(bpf_uprobe_multi_opts, opts, .offsets = &offset, .cookies = &cookie, .cnt = 1);
	long long arg_sum = 0;
	double start;
	long off;
	int err;

	if ((off = uprobe_target_locate(res, path, sizeof(path))) < 0)
		return;
	offset = off;
	skel = uprobe_multi_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'uprobe_multi_count' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	err = uprobe_multi_count_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'uprobe.multi' program", configs);
		goto cleanup;
	}
	start = clock_now_s();
	link = bpf_program__attach_uprobe_multi(skel->progs.uprobe_multi_entry, getpid(), path,
						NULL, &opts);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach 'uprobe.multi' to '%s' (0x%lx in '%s')",
			 UPROBE_TARGET_SYMBOL, offset, path);
		check_explain(res, err, what, configs);
		goto cleanup;
	}
	check_detail_json(res, "attach_ms", json_real((clock_now_s() - start) * 1e3));
	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++) {
		arg_sum += ARG_FIRST + i;
		bpfgauge_uprobe_target(ARG_FIRST + i);
	}
	skel->bss->armed = 0;
	reaper_defer(link);
	link = NULL;

	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "arg_first", ARG_FIRST);
	check_detail_int(res, "entries", skel->bss->entries);
	check_detail_int(res, "arg_sum", skel->bss->arg_sum);
	check_detail_int(res, "cookie", COOKIE);
	check_detail_int(res, "cookie_sum", skel->bss->cookie_sum);
	snprintf(what, sizeof(what), "'%s' in pid %d", UPROBE_TARGET_SYMBOL, getpid());
	if (skel->bss->entries != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu entries", what, NR_CALLS,
			  (unsigned long long)skel->bss->entries);
	else if (skel->bss->arg_sum != arg_sum)
		check_set(res, CHECK_FAIL, "%s: arguments sum to %lld, passed %lld", what,
			  (long long)skel->bss->arg_sum, arg_sum);
	else if (skel->bss->cookie_sum != NR_CALLS * COOKIE)
		check_set(res, CHECK_FAIL, "%s: bpf_get_attach_cookie() did not give the link's "
			  "cookie 0x%llx on every entry", what, COOKIE);
	else
		check_set(res, CHECK_PASS, "%s: %d of %d entries through one uprobe_multi link, "
			  "arguments %d..%d, the link's cookie on each", what, NR_CALLS, NR_CALLS,
			  ARG_FIRST, ARG_FIRST + NR_CALLS - 1);
cleanup:
	reaper_defer(link);
	uprobe_multi_count_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(uprobe_multi, "uprobes",
		   "see N calls of a function of this binary through one uprobe_multi link, with cookie",
		   run_uprobe_multi, "uprobe_multi", 6, 6);
