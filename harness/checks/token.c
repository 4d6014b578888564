// SPDX-License-Identifier: GPL-2.0
/*
 * token (BPF token, Linux 6.9): a privileged process delegates some of bpf() to an unprivileged
 * one through a BPF file system mounted with delegation options, as a container manager would.
 * A child of this process moves into a new user namespace (root there, nobody in the initial
 * one) and a new mount namespace, and creates a bpffs context there (fsopen), so that the
 * file system belongs to its namespace. This process, privileged, sets the delegation options
 * on it (fsconfig: only CAP_SYS_ADMIN in the initial namespace may) and creates a detached
 * mount (fsmount) that it hands back. The child makes a token of it (BPF_TOKEN_CREATE) and
 * loads, through libbpf's bpf_token_path, an XDP program and a queue map, two types that need
 * CAP_BPF (and CAP_NET_ADMIN) in the initial namespace. Verified: the same load without a
 * token is refused with EPERM, the one with the token works, and N test runs of the program
 * (BPF_PROG_TEST_RUN) push their N packets' values into the map, popped back in order.
 *
 * The child exits and the mount was never attached anywhere: nothing stays behind. Where user
 * namespaces are off (user.max_user_namespaces=0, Debian's kernel.unprivileged_userns_clone=0,
 * no CONFIG_USER_NS) the check is unsupported and says which.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/mount.h>

#include "check.h"
#include "lib/caps.h"
#include "lib/errno_name.h"
#include "lib/fdpass.h"
#include "lib/kconfig.h"
#include "lib/sysctl.h"
#include "lib/userns.h"
#include "token.h"
#include "token_xdp.h"

#define CHILD_TIMEOUT_MS 5000

/*
 * What is delegated: the commands, map types and program types the object needs, and what
 * libbpf's feature probes use through the token: array maps, socket filters, and a
 * cgroup_sock program with an expected attach type (without it libbpf concludes that the
 * kernel knows no expected attach types and loads the XDP program without BPF_XDP). Hex
 * masks, which every kernel with tokens parses (names need the kernel's BTF).
 */
static const struct {
	const char *key, *names;
	unsigned long long mask;
} delegate[] = {
	{ "delegate_cmds", "map_create:prog_load:btf_load",
	  1ULL << BPF_MAP_CREATE | 1ULL << BPF_PROG_LOAD | 1ULL << BPF_BTF_LOAD },
	{ "delegate_maps", "queue:array",
	  1ULL << BPF_MAP_TYPE_QUEUE | 1ULL << BPF_MAP_TYPE_ARRAY },
	{ "delegate_progs", "xdp:socket_filter:cgroup_sock",
	  1ULL << BPF_PROG_TYPE_XDP | 1ULL << BPF_PROG_TYPE_SOCKET_FILTER |
	  1ULL << BPF_PROG_TYPE_CGROUP_SOCK },
	{ "delegate_attachs", "any", ~0ULL },
};

/* Waits up to ms for a message from the child. 0 or -errno (-ETIMEDOUT). */
static int recv_report(int sock, struct token_report *r, int *fd, int ms)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	return fd_recv(sock, fd, r, sizeof(*r));
}

/* This process's part: the delegation options, the file system, its detached mount. */
static int parent_delegate(int fs_fd, int *stage, char *step, size_t sz)
{
	char mask[24];
	int mnt;

	*stage = ST_DELEGATE;
	for (size_t i = 0; i < sizeof(delegate) / sizeof(delegate[0]); i++) {
		snprintf(step, sz, "fsconfig(%s)", delegate[i].key);
		snprintf(mask, sizeof(mask), "0x%llx", delegate[i].mask);
		if (syscall(__NR_fsconfig, fs_fd, FSCONFIG_SET_STRING, delegate[i].key, mask, 0))
			return -errno;
	}
	*stage = ST_CREATE;
	snprintf(step, sz, "fsconfig(FSCONFIG_CMD_CREATE)");
	if (syscall(__NR_fsconfig, fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -errno;
	*stage = ST_FSMOUNT;
	snprintf(step, sz, "fsmount()");
	mnt = syscall(__NR_fsmount, fs_fd, FSMOUNT_CLOEXEC, 0);
	return mnt < 0 ? -errno : mnt;
}

/* Why user namespaces could not be made, from the sysctls that turn them off. */
static void explain_userns(struct check_result *res, const struct token_report *r)
{
	long max = -1, clone = -1;

	sysctl_read("user/max_user_namespaces", &max);
	check_detail_int(res, "max_user_namespaces", max);
	if (!sysctl_read("kernel/unprivileged_userns_clone", &clone))
		check_detail_int(res, "unprivileged_userns_clone", clone);
	check_set_errno(res, CHECK_FAIL, r->err, "%s", r->step);
	if (r->err == -ENOSPC && max == 0) {
		res->status = CHECK_UNSUPPORTED;
		check_reason_append(res, "user namespaces are disabled: "
				    "user.max_user_namespaces=0");
	} else if (r->err == -EPERM && userns_chrooted() == 1) {
		/* create_user_ns() refuses a chrooted caller: the place, not the kernel. */
		res->status = CHECK_SKIPPED;
		check_reason_append(res, "likely: this process runs in a chroot (its / is no "
				    "mount point), where the kernel refuses new user namespaces");
		check_detail_bool(res, "chroot", true);
	} else if (r->err == -EPERM && clone == 0) {
		/* Debian's switch: it stops only processes without CAP_SYS_ADMIN, as in a
		 * container whose user namespace is not the initial one. */
		res->status = CHECK_UNSUPPORTED;
		check_reason_append(res, "likely: user namespaces are disabled: "
				    "kernel.unprivileged_userns_clone=0");
	} else if (r->err == -EINVAL && kconfig_state("CONFIG_USER_NS") == KCONFIG_NOT_SET) {
		res->status = CHECK_UNSUPPORTED;
		check_reason_append(res, "CONFIG_USER_NS is not set (%s)", kconfig_source());
	}
}

static const char *const stage_names[] = {
	[ST_USERNS] = "userns", [ST_MOUNTNS] = "mountns", [ST_FSOPEN] = "fsopen",
	[ST_DELEGATE] = "delegate", [ST_CREATE] = "create", [ST_FSMOUNT] = "fsmount",
	[ST_TOKEN] = "token", [ST_LOAD] = "load", [ST_NO_TOKEN] = "no_token", [ST_RUN] = "run",
	[ST_DONE] = "done",
};

static const char *stage_name(int stage)
{
	return stage >= 0 && stage < ST_NR ? stage_names[stage] : "?";
}

static const char *refused(int err)
{
	return err ? errno_name(err) : "succeeded";
}

static void verdict(struct check_result *res, const struct token_report *r)
{
	const unsigned int n = TOKEN_VALUES_MAX;

	check_detail_str(res, "stage", stage_name(r->stage));
	if (r->fdinfo[0])
		check_detail_str(res, "token_fdinfo", r->fdinfo);
	if (r->stage >= ST_NO_TOKEN) {
		check_detail_str(res, "map_create_without_token", refused(r->map_no_token));
		check_detail_str(res, "prog_load_without_token", refused(r->prog_no_token));
	}
	switch (r->stage) {
	case ST_USERNS:
		explain_userns(res, r);
		return;
	case ST_DELEGATE:
		check_set_errno(res, CHECK_FAIL, r->err, "%s", r->step);
		/* bpf_parse_param() in kernel/bpf/inode.c asks capable(CAP_SYS_ADMIN). */
		if (r->err == -EPERM && userns_is_initial() == 0) {
			res->status = CHECK_SKIPPED;
			check_reason_append(res, "only CAP_SYS_ADMIN in the initial user namespace "
					    "may set bpffs delegation options, and this process is in "
					    "another");
		}
		return;
	case ST_NO_TOKEN:
		check_set(res, CHECK_FAIL, "in the user namespace, without the token: queue map "
			  "%s, XDP program load %s; nothing shows the token was needed",
			  refused(r->map_no_token), refused(r->prog_no_token));
		return;
	case ST_LOAD:
		check_set_errno(res, CHECK_FAIL, r->err, "%s", r->step);
		if (r->log[0])
			check_reason_append(res, "%s", r->log);
		return;
	case ST_RUN:
	case ST_DONE:
		break;
	default:
		check_set_errno(res, CHECK_FAIL, r->err, "%s", r->step);
		return;
	}
	check_detail_int(res, "runs", r->runs);
	check_detail_int(res, "values_popped", r->popped);
	check_detail_int(res, "values_right", r->right);
	if (r->err)
		check_set_errno(res, CHECK_FAIL, r->err, "%s", r->step);
	else if (r->map_no_token != -EPERM || r->prog_no_token != -EPERM)
		check_set(res, CHECK_FAIL, "without the token the queue map gave %s and the XDP "
			  "program %s, not EPERM", refused(r->map_no_token),
			  refused(r->prog_no_token));
	else if (r->runs != n || r->popped != n || r->right != n)
		check_set(res, CHECK_FAIL, "%u of %u test runs passed, %u values popped, %u as "
			  "pushed (first wrong: %#llx)", r->runs, n, r->popped, r->right,
			  r->first_wrong);
	else if (r->extra_pop != -ENOENT)
		check_set(res, CHECK_FAIL, "the queue held more than the %u values pushed", n);
	else
		check_set(res, CHECK_PASS, "in a user namespace, an XDP program and a queue map "
			  "loaded through a BPF token (bpffs delegation), and without it were "
			  "refused (EPERM); %u test runs pushed %u packet values, popped in order",
			  n, n);
}

/* Reaps the child, killed first unless it reported all it had to: its exit status, or -1. */
static int child_reap(pid_t pid, bool reported)
{
	int status;

	if (!reported)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * The exchange with the child (token.h), its reports kept in r: 0 when it reported, or when
 * this process's part failed (r says where, and the child exits as the socket closes);
 * -errno when the child broke off.
 */
static int talk_to_child(int sock, struct token_report *r)
{
	int fs_fd = -1, mnt_fd, zero = 0, stage, err;
	char step[sizeof(r->step)];

	err = recv_report(sock, r, &fs_fd, CHILD_TIMEOUT_MS);
	if (err || fs_fd < 0)
		return err;
	mnt_fd = parent_delegate(fs_fd, &stage, step, sizeof(step));
	close(fs_fd);
	if (mnt_fd < 0) {
		r->stage = stage;
		r->err = mnt_fd;
		snprintf(r->step, sizeof(r->step), "%s", step);
		return 0;
	}
	/* The fd in flight holds the mount: this process needs no copy of it. */
	err = fd_send(sock, mnt_fd, &zero, sizeof(zero));
	close(mnt_fd);
	if (!err)
		err = recv_report(sock, r, &fs_fd, CHILD_TIMEOUT_MS);
	if (fs_fd >= 0)
		close(fs_fd);
	return err;
}

static void run_token(struct check_result *res)
{
	struct token_report r = { 0 };
	int sv[2], err;
	pid_t pid;

	if (!cap_effective(CAP_SYS_ADMIN)) {
		check_set(res, CHECK_SKIPPED, "setting bpffs delegation options needs "
			  "CAP_SYS_ADMIN, which this process lacks");
		return;
	}
	for (size_t i = 0; i < sizeof(delegate) / sizeof(delegate[0]); i++)
		check_detail_str(res, delegate[i].key, delegate[i].names);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		check_set_errno(res, CHECK_ERROR, errno, "socketpair(AF_UNIX)");
		return;
	}
	pid = fork();
	if (pid < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "fork()");
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		token_child_main(sv[1]);
	}
	close(sv[1]);
	err = talk_to_child(sv[0], &r);
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "the token check's child stopped reporting "
				"(stage '%s')", stage_name(r.stage));
	else
		verdict(res, &r);
	close(sv[0]);
	check_detail_int(res, "child_exit", child_reap(pid, !err));
}

DEFINE_CHECK_SINCE(token, "system",
		   "load an XDP program and a map in a user namespace through a BPF token, and "
		   "not without it", run_token, "BPF token", 6, 9);
