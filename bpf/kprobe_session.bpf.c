// SPDX-License-Identifier: GPL-2.0
/*
 * A kprobe session (SEC("kprobe.session"), Linux 6.10): one program on a kprobe_multi link that
 * runs at a function's entry and again at its return, unless the entry returned non-zero. At
 * the entry of each of this process's vfs_read() calls it stores a cookie made of the size
 * argument in the session's slot (bpf_session_cookie()), and skips the return of calls whose
 * size has its two low bits set; at the return it checks that the slot still holds the cookie
 * for the size the call returned (a read of /dev/zero returns its size).
 *
 * The session kfuncs took no argument until the kernel gave them the program's context
 * (bpf_session_cookie(void *ctx), bpf_session_is_return(void *ctx)): both flavours are
 * declared weak, and libbpf resolves the one whose prototype matches the kernel's BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "armed.bpf.h"

#define COOKIE_BASE 0x5e55000000000000ULL

extern __u64 *bpf_session_cookie___ctx(void *ctx) __ksym __weak;
extern bool bpf_session_is_return___ctx(void *ctx) __ksym __weak;
extern __u64 *bpf_session_cookie___noarg(void) __ksym __weak;
extern bool bpf_session_is_return___noarg(void) __ksym __weak;

__u64 entries;
__u64 skipped;		/* entries that returned 1: no return run expected */
__u64 returns;
__u64 cookies_right;	/* returns that found their entry's cookie */
__u64 last_wrong;	/* the last cookie a return found that was not its entry's */
__u64 ret_sum;
__u32 no_kfuncs;	/* neither flavour of the session kfuncs resolved */

static __always_inline int session(struct pt_regs *ctx, __u64 *cookie, bool is_return)
{
	__u64 size, ret;

	if (is_return) {
		ret = PT_REGS_RC(ctx);
		__sync_fetch_and_add(&returns, 1);
		__sync_fetch_and_add(&ret_sum, ret);
		if (*cookie == COOKIE_BASE + ret)
			__sync_fetch_and_add(&cookies_right, 1);
		else
			last_wrong = *cookie;
		return 0;
	}
	size = PT_REGS_PARM3(ctx);
	__sync_fetch_and_add(&entries, 1);
	*cookie = COOKIE_BASE + size;
	if ((size & 3) == 3) {
		__sync_fetch_and_add(&skipped, 1);
		return 1;
	}
	return 0;
}

SEC("kprobe.session")
int on_session(struct pt_regs *ctx)
{
	if (!armed_here())
		return 1;
	if (bpf_ksym_exists(bpf_session_cookie___ctx) &&
	    bpf_ksym_exists(bpf_session_is_return___ctx))
		return session(ctx, bpf_session_cookie___ctx(ctx),
			       bpf_session_is_return___ctx(ctx));
	if (bpf_ksym_exists(bpf_session_cookie___noarg) &&
	    bpf_ksym_exists(bpf_session_is_return___noarg))
		return session(ctx, bpf_session_cookie___noarg(),
			       bpf_session_is_return___noarg());
	no_kfuncs = 1;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
