// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe_sleepable (Linux 6.0): a sleepable uprobe, SEC("uprobe.s") loaded with
 * BPF_F_SLEEPABLE, on the function of this binary the uprobe check uses. A sleepable program
 * may call helpers that fault and sleep; bpf_copy_from_user() is one the verifier gives only
 * to them. Before each of N calls this process writes a known 64-bit value into a page of a
 * memfd and drops its own mapping of that page (MADV_DONTNEED; the memfd keeps the data), so
 * that the program's read of the value must fault the page in, which a non-sleepable
 * program's bpf_probe_read_user() cannot do. Verified: N entries, no failed read, and the
 * values read sum to the values written. /proc/self/pagemap adds the evidence of the faults:
 * the page was unmapped before each call and mapped after it, and nothing but the program
 * touched it in between.
 *
 * The uprobe is a perf event of the 'uprobe' PMU owned by a file descriptor, as in the
 * uprobe check: a killed process leaves nothing behind.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "attach/attach.h"
#include "check.h"
#include "lib/cold_page.h"
#include "lib/errno_name.h"
#include "lib/kernel_ids.h"
#include "lib/reaper.h"
#include "lib/uprobe_target.h"
#include "uprobe_sleepable.skel.h"
#include "uprobes.h"

#define NR_CALLS 16
#define ARG_FIRST 3000
/* Values that differ in both halves of 64 bits, so that a short or torn read shows. */
#define VALUE_FIRST 0x5eed00000000ULL
#define VALUE_STEP 0x100000001ULL

static void run_uprobe_sleepable(struct check_result *res)
{
	const char *const *configs = attach_types[ATTACH_uprobe].configs;
	struct cold_page page = COLD_PAGE_INIT;
	struct uprobe_sleepable_bpf *skel = NULL;
	struct bpf_link *link = NULL;
	char path[PATH_MAX], what[PATH_MAX + 128];
	const char *step;
	unsigned long long written = 0;
	int absent_before = 0, present_after = 0;
	long off;
	int err;

	if ((off = uprobe_target_locate(res, path, sizeof(path))) < 0 ||
	    uprobe_require_pmu(res))
		return;
	err = cold_page_init(&page, &step);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "%s", step);
		goto cleanup;
	}
	skel = uprobe_sleepable_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'uprobe_sleepable' BPF object");
		goto cleanup;
	}
	skel->rodata->target_tgid = kernel_tgid();
	skel->rodata->value_addr = (uintptr_t)page.value;
	err = uprobe_sleepable_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'uprobe.s' program", configs);
		goto cleanup;
	}
	link = bpf_program__attach_uprobe_opts(skel->progs.sleepable_entry, getpid(), path, off,
					       NULL);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach 'uprobe.s' to '%s' (0x%lx in '%s')",
			 UPROBE_TARGET_SYMBOL, off, path);
		check_explain(res, err, what, configs);
		goto cleanup;
	}

	skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS; i++) {
		__u64 v = VALUE_FIRST + i * VALUE_STEP;

		err = cold_page_store(&page, v);
		if (err) {
			check_set_errno(res, CHECK_ERROR, err, "madvise(MADV_DONTNEED) the value's "
					"page");
			break;
		}
		written += v;
		absent_before += cold_page_present(&page) == 0;
		bpfgauge_uprobe_target(ARG_FIRST + i);
		present_after += cold_page_present(&page) == 1;
	}
	skel->bss->armed = 0;
	reaper_defer(link);
	link = NULL;
	if (err)
		goto cleanup;

	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "value_first", VALUE_FIRST);
	check_detail_int(res, "value_step", VALUE_STEP);
	check_detail_int(res, "entries", skel->bss->entries);
	check_detail_int(res, "value_sum", skel->bss->value_sum);
	check_detail_int(res, "last_value", skel->bss->last_value);
	check_detail_int(res, "copy_errors", skel->bss->copy_errors);
	/* -1: /proc/self/pagemap could not be read, so there is no evidence either way. */
	check_detail_int(res, "page_absent_before", page.pagemap < 0 ? -1 : absent_before);
	check_detail_int(res, "page_present_after", page.pagemap < 0 ? -1 : present_after);
	snprintf(what, sizeof(what), "'%s' in pid %d", UPROBE_TARGET_SYMBOL, getpid());
	if (skel->bss->entries != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu entries", what, NR_CALLS,
			  (unsigned long long)skel->bss->entries);
	else if (skel->bss->copy_errors)
		check_set(res, CHECK_FAIL, "%s: bpf_copy_from_user() failed on %llu of %d reads "
			  "(last: %s)", what, (unsigned long long)skel->bss->copy_errors, NR_CALLS,
			  errno_name(skel->bss->last_error));
	else if (skel->bss->value_sum != written)
		check_set(res, CHECK_FAIL, "%s: the values bpf_copy_from_user() read sum to 0x%llx, "
			  "this process wrote 0x%llx", what, (unsigned long long)skel->bss->value_sum,
			  written);
	else
		check_set(res, CHECK_PASS, "%s: %d of %d entries of a sleepable uprobe, "
			  "bpf_copy_from_user() read the %d values written", what, NR_CALLS,
			  NR_CALLS, NR_CALLS);
	if (res->status == CHECK_PASS && absent_before == NR_CALLS && present_after == NR_CALLS)
		check_reason_append(res, "each read faulted its page in (pagemap)");
cleanup:
	reaper_defer(link);
	uprobe_sleepable_bpf__destroy(skel);
	cold_page_release(&page);
}

DEFINE_CHECK_SINCE(uprobe_sleepable, "uprobes",
		   "read N values from this process's memory in a sleepable uprobe (bpf_copy_from_user)",
		   run_uprobe_sleepable, "sleepable uprobes", 6, 0);
