// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_session (Linux 6.10): one program runs at both the entry and the return of vfs_read
 * through a kprobe_multi link in session mode (bpf_program__attach_kprobe_multi_opts with
 * .session), and shares a cookie between the two (bpf_session_cookie()). This process makes
 * N reads of /dev/zero, each of another size; the program's entry stores a cookie made of the
 * size and returns 1 for the sizes whose two low bits are set, which tells the kernel to skip
 * that call's return. Verified: N entries, the returns of the others only, each of which found
 * its own entry's cookie (the return value is the size), and the return values sum to their
 * sizes. A kprobe_multi link is built on fprobe: where it cannot attach, the check says why
 * as kprobe_multi does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "kprobe_session.skel.h"
#include "kprobes.h"
#include "lib/kernel_ids.h"
#include "lib/reaper.h"

#define TARGET_FUNC "vfs_read"
#define NR_READS 32
#define SIZE_FIRST 1000
/* The entry skips the return of a size whose two low bits are set (bpf/kprobe_session.bpf.c). */
#define SKIPPED(size) (((size) & 3) == 3)

static char read_buf[SIZE_FIRST + NR_READS];

/* NR_READS reads of SIZE_FIRST + i bytes from /dev/zero while armed. 0 or -errno. */
static int trigger(struct kprobe_session_bpf *skel)
{
	int fd, err = 0;

	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	skel->bss->armed = 1;
	for (int i = 0; i < NR_READS; i++) {
		ssize_t n = read(fd, read_buf, SIZE_FIRST + i);

		if (n != SIZE_FIRST + i) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
	}
	skel->bss->armed = 0;
	close(fd);
	return err;
}

static void verify(struct check_result *res, const struct kprobe_session_bpf *skel)
{
	const struct kprobe_session_bpf__bss *b = skel->bss;
	unsigned long long skipped = 0, ret_sum = 0;

	for (int i = 0; i < NR_READS; i++) {
		if (SKIPPED(SIZE_FIRST + i))
			skipped++;
		else
			ret_sum += SIZE_FIRST + i;
	}
	check_detail_int(res, "reads", NR_READS);
	check_detail_int(res, "size_first", SIZE_FIRST);
	check_detail_int(res, "entries", b->entries);
	check_detail_int(res, "returns_skipped", b->skipped);
	check_detail_int(res, "returns", b->returns);
	check_detail_int(res, "cookies_right", b->cookies_right);
	if (b->no_kfuncs && !b->entries)
		check_set(res, CHECK_FAIL, "the session attached, but the kernel's BTF has neither "
			  "bpf_session_cookie(void) nor bpf_session_cookie(void *ctx)");
	else if (b->entries != NR_READS)
		check_set(res, CHECK_FAIL, "'%s': made %d reads, the session saw %llu entries",
			  TARGET_FUNC, NR_READS, (unsigned long long)b->entries);
	else if (b->skipped != skipped || b->returns != NR_READS - skipped)
		check_set(res, CHECK_FAIL, "'%s': %llu entries returned 1, and %llu returns ran; "
			  "expected %llu returns, the %llu others skipped", TARGET_FUNC,
			  (unsigned long long)b->skipped, (unsigned long long)b->returns,
			  NR_READS - skipped, skipped);
	else if (b->cookies_right != b->returns)
		check_set(res, CHECK_FAIL, "'%s': %llu of %llu returns found their entry's cookie "
			  "(last wrong: %#llx)", TARGET_FUNC, (unsigned long long)b->cookies_right,
			  (unsigned long long)b->returns, (unsigned long long)b->last_wrong);
	else if (b->ret_sum != ret_sum)
		check_set(res, CHECK_FAIL, "'%s': the return values summed to %llu, expected %llu",
			  TARGET_FUNC, (unsigned long long)b->ret_sum, ret_sum);
	else
		check_set(res, CHECK_PASS, "'%s': %d entries of a kprobe session; %llu returns, "
			  "each with its entry's cookie and value, and the %llu whose entry returned "
			  "1 skipped", TARGET_FUNC, NR_READS, NR_READS - skipped, skipped);
}

static void run_kprobe_session(struct check_result *res)
{
	LIBBPF_OPTS(bpf_kprobe_multi_opts, opts, .cnt = 1, .session = true);
	static const char *syms[] = { TARGET_FUNC };
	struct kprobe_session_bpf *skel;
	struct bpf_link *link = NULL;
	int err;

	skel = kprobe_session_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'kprobe_session' BPF object");
		return;
	}
	skel->rodata->target_tgid = kernel_tgid();
	err = kprobe_session_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'kprobe.session'", kprobe_load_configs);
		goto cleanup;
	}
	opts.syms = syms;
	link = bpf_program__attach_kprobe_multi_opts(skel->progs.on_session, NULL, &opts);
	if (!link) {
		kprobe_explain_attach(res, -errno, "attach 'kprobe.session' to '" TARGET_FUNC "'",
				      true);
		goto cleanup;
	}
	err = trigger(skel);
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "read '/dev/zero'");
	else
		verify(res, skel);
cleanup:
	reaper_defer(link);
	kprobe_session_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(kprobe_session, "kprobes",
		   "N reads at a kprobe session on vfs_read: entries, returns with the entry's "
		   "cookie, returns skipped", run_kprobe_session, "kprobe sessions", 6, 10);
