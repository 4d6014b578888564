// SPDX-License-Identifier: GPL-2.0
/*
 * fentry_sleepable (Linux 5.10): a sleepable fentry program (SEC("fentry.s"), loaded with
 * BPF_F_SLEEPABLE) on the write syscall's entry reads, with bpf_copy_from_user(), the bytes
 * this process passes to write(). Before each of N writes of 8 bytes to /dev/null the process
 * puts a known value in a memfd page and drops its mapping of that page (lib/cold_page.h), so
 * that the program's read must fault the page in, which only a sleepable program may do
 * (writing to /dev/null never touches the buffer). Verified: N entries, each with the size
 * argument 8, no failed read, the values read sum to those written, and pagemap shows each
 * read faulted the page in.
 *
 * The verifier lets a sleepable fentry program attach only where sleeping is known to be
 * allowed: a function on the error-injection list (every syscall entry, where
 * CONFIG_FUNCTION_ERROR_INJECTION is set; newer kernels allow syscall entries without it) or
 * one the kernel names, like its test function bpf_fentry_test1. Where the verifier says the
 * syscall "is not sleepable", the check falls back to bpf_fentry_test1, called by
 * BPF_PROG_TEST_RUN, reading the same value by its address; details.target says which ran,
 * and the reason quotes the refusal. Trampolines that cannot be built are explained as for
 * fentry (trampoline_explain).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "fentry_sleepable.skel.h"
#include "lib/autoload.h"
#include "lib/cold_page.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/kernel_ids.h"
#include "lib/libbpf_log.h"
#include "lib/reaper.h"
#include "trampolines.h"

#define NR_CALLS 16
/* Values that differ in both halves of 64 bits, so that a short or torn read shows. */
#define VALUE_FIRST 0xf5e700000000ULL
#define VALUE_STEP 0x100000001ULL

/* The write syscall's entry: its name carries the architecture's prefix. */
#if defined(__x86_64__)
#define SYSCALL_WRITE "__x64_sys_write"
#elif defined(__aarch64__)
#define SYSCALL_WRITE "__arm64_sys_write"
#elif defined(__s390x__)
#define SYSCALL_WRITE "__s390x_sys_write"
#elif defined(__riscv)
#define SYSCALL_WRITE "__riscv_sys_write"
#else
#define SYSCALL_WRITE NULL
#endif
#define TEST_FUNC "bpf_fentry_test1"

struct sleepable {
	struct fentry_sleepable_bpf *skel;
	struct bpf_program *prog;
	const char *target;		/* SYSCALL_WRITE or TEST_FUNC */
	bool syscall;			/* target is SYSCALL_WRITE */
	char refusal[256];		/* the verifier's refusal of SYSCALL_WRITE, if any */
	int absent_before, present_after;
	unsigned long long written;
};

/* Opens, aims and loads the object with only the program for target. 0 or -errno. */
static int load(struct sleepable *s, const struct cold_page *page, bool syscall)
{
	int err;

	fentry_sleepable_bpf__destroy(s->skel);
	s->syscall = syscall;
	s->target = syscall ? SYSCALL_WRITE : TEST_FUNC;
	s->skel = fentry_sleepable_bpf__open();
	if (!s->skel)
		return -errno;
	s->skel->rodata->target_tgid = kernel_tgid();
	s->skel->rodata->value_addr = (uintptr_t)page->value;
	s->prog = syscall ? s->skel->progs.on_syscall : s->skel->progs.on_test_func;
	autoload_only(s->skel->obj, s->prog);
	if (syscall) {
		err = bpf_program__set_attach_target(s->prog, 0, s->target);
		if (err)
			return err;
	}
	libbpf_log_reset();
	return fentry_sleepable_bpf__load(s->skel);
}

/* N calls of the target's trigger, each after a new value went into the unmapped page. */
static int trigger(struct check_result *res, struct sleepable *s, struct cold_page *page)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int devnull, err = 0;

	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		err = -errno;
		check_set_errno(res, CHECK_ERROR, err, "open '/dev/null'");
		return err;
	}
	s->skel->bss->armed = 1;
	for (int i = 0; i < NR_CALLS && !err; i++) {
		__u64 v = VALUE_FIRST + i * VALUE_STEP;

		err = cold_page_store(page, v);
		if (err) {
			check_set_errno(res, CHECK_ERROR, err, "madvise(MADV_DONTNEED) the value's "
					"page");
			break;
		}
		s->written += v;
		s->absent_before += cold_page_present(page) == 0;
		if (s->syscall &&
		    write(devnull, (const void *)page->value, sizeof(__u64)) != sizeof(__u64))
			err = -errno;
		else if (!s->syscall && bpf_prog_test_run_opts(bpf_program__fd(s->prog), &run))
			err = -errno;
		if (err)
			check_set_errno(res, CHECK_ERROR, err, "%s", s->syscall ?
					"write '/dev/null'" : "BPF_PROG_TEST_RUN");
		s->present_after += cold_page_present(page) == 1;
	}
	s->skel->bss->armed = 0;
	close(devnull);
	return err;
}

static void verify(struct check_result *res, const struct sleepable *s, bool pagemap)
{
	const struct fentry_sleepable_bpf__bss *b = s->skel->bss;
	char what[96];

	check_detail_int(res, "calls", NR_CALLS);
	check_detail_int(res, "value_first", VALUE_FIRST);
	check_detail_int(res, "value_step", VALUE_STEP);
	check_detail_int(res, "entries", b->entries);
	check_detail_int(res, "value_sum", b->value_sum);
	check_detail_int(res, "copy_errors", b->copy_errors);
	/* -1: /proc/self/pagemap could not be read, so there is no evidence either way. */
	check_detail_int(res, "page_absent_before", pagemap ? s->absent_before : -1);
	check_detail_int(res, "page_present_after", pagemap ? s->present_after : -1);
	snprintf(what, sizeof(what), "'%s' in pid %d", s->target, getpid());
	if (b->entries != NR_CALLS)
		check_set(res, CHECK_FAIL, "%s: made %d calls, saw %llu entries", what, NR_CALLS,
			  (unsigned long long)b->entries);
	else if (s->syscall && b->size_sum != NR_CALLS * sizeof(__u64))
		check_set(res, CHECK_FAIL, "%s: write()'s size arguments summed to %llu, expected "
			  "%zu", what, (unsigned long long)b->size_sum, NR_CALLS * sizeof(__u64));
	else if (b->copy_errors)
		check_set(res, CHECK_FAIL, "%s: bpf_copy_from_user() failed on %llu of %d reads "
			  "(last: %s)", what, (unsigned long long)b->copy_errors, NR_CALLS,
			  errno_name(b->last_error));
	else if (b->value_sum != s->written)
		check_set(res, CHECK_FAIL, "%s: the values bpf_copy_from_user() read sum to "
			  "0x%llx, this process wrote 0x%llx", what,
			  (unsigned long long)b->value_sum, s->written);
	else
		check_set(res, CHECK_PASS, "%s: %d of %d entries of a sleepable fentry program, "
			  "bpf_copy_from_user() read the %d values %s", what, NR_CALLS, NR_CALLS,
			  NR_CALLS, s->syscall ? "passed to write()" : "written");
	if (res->status == CHECK_PASS && s->absent_before == NR_CALLS &&
	    s->present_after == NR_CALLS)
		check_reason_append(res, "each read faulted its page in (pagemap)");
}

/* After the fallback worked: the syscall's refusal quoted, and what likely made it. */
static void explain_refusal(struct check_result *res, const struct sleepable *s)
{
	if (!s->refusal[0])
		return;
	check_detail_str(res, "syscall_refused", s->refusal);
	check_reason_append(res, "sleepable programs are refused on '%s' here (%s)",
			    SYSCALL_WRITE, s->refusal);
	if (kconfig_state("CONFIG_FUNCTION_ERROR_INJECTION") == KCONFIG_NOT_SET)
		check_reason_append(res, "likely: CONFIG_FUNCTION_ERROR_INJECTION is not set (%s), "
				    "which puts syscall entries on the error-injection list",
				    kconfig_source());
}

/* The verifier refused every target to sleepable programs: unsupported where no function is
 * on the error-injection list. */
static void explain_not_sleepable(struct check_result *res, int err, const char *what,
				  const struct sleepable *s)
{
	check_explain(res, err, what, NULL);
	if (s->refusal[0]) {
		check_detail_str(res, "syscall_refused", s->refusal);
		check_reason_append(res, "'%s' was refused first (%s)", SYSCALL_WRITE,
				    s->refusal);
	}
	if (kconfig_state("CONFIG_FUNCTION_ERROR_INJECTION") != KCONFIG_NOT_SET)
		return;
	res->status = CHECK_UNSUPPORTED;
	check_detail_str(res, "missing_config", "CONFIG_FUNCTION_ERROR_INJECTION");
	check_reason_append(res, "CONFIG_FUNCTION_ERROR_INJECTION is not set (%s): no function "
			    "is on the error-injection list, where sleepable fentry programs may "
			    "attach", kconfig_source());
}

static void run_fentry_sleepable(struct check_result *res)
{
	struct cold_page page = COLD_PAGE_INIT;
	struct sleepable s = { 0 };
	struct bpf_link *link = NULL;
	const char *step;
	char what[96];
	int err;

	err = cold_page_init(&page, &step);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "%s", step);
		goto cleanup;
	}
	if (SYSCALL_WRITE) {
		err = load(&s, &page, true);
		if (err && libbpf_log_contains("is not sleepable")) {
			snprintf(s.refusal, sizeof(s.refusal), "%s", libbpf_log_last());
			err = load(&s, &page, false);
		}
	} else {
		err = load(&s, &page, false);
	}
	check_detail_str(res, "target", s.target);
	if (err) {
		snprintf(what, sizeof(what), "load 'fentry.s/%s'", s.target);
		if (libbpf_log_contains("is not sleepable")) {
			explain_not_sleepable(res, err, what, &s);
		} else {
			trampoline_explain(res, err, what);
			explain_refusal(res, &s);
		}
		goto cleanup;
	}
	link = bpf_program__attach_trace(s.prog);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach 'fentry.s/%s'", s.target);
		trampoline_explain(res, err, what);
		explain_refusal(res, &s);
		goto cleanup;
	}
	if (!trigger(res, &s, &page)) {
		verify(res, &s, page.pagemap >= 0);
		explain_refusal(res, &s);
	}
cleanup:
	reaper_defer(link);
	fentry_sleepable_bpf__destroy(s.skel);
	cold_page_release(&page);
}

DEFINE_CHECK_SINCE(fentry_sleepable, "trampolines",
		   "read the bytes this process passes to N writes in a sleepable fentry program "
		   "(bpf_copy_from_user)", run_fentry_sleepable, "sleepable fentry programs",
		   5, 10);
