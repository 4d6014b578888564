// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_skb: attach cgroup_skb/egress and cgroup_skb/ingress programs to a temporary cgroup v2,
 * have a child process join it and send N UDP datagrams to its own socket on 127.0.0.1, and
 * verify that each program counted the N datagrams to that port and that all N arrived.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cgroup_skb_count.skel.h"
#include "check.h"
#include "lib/caps.h"
#include "lib/cgroup.h"
#include "lib/errno_name.h"
#include "net_probe.h"

#define NR_SENT 8
#define RECV_TIMEOUT_MS 500

static const char *const cfg_cgroup_bpf[] = { "CONFIG_CGROUP_BPF", NULL };

/* What the child reports through its pipe: first its port, then what it received. */
struct child_msg {
	int err;		/* negative errno of 'step', or 0 */
	char step[48];
	__u16 port;
	int received;
};

static void child_send(int fd, struct child_msg *msg, int err, const char *step)
{
	msg->err = err;
	snprintf(msg->step, sizeof(msg->step), "%s", step);
	if (write(fd, msg, sizeof(*msg)) != sizeof(*msg))
		_exit(1);
}

static void __attribute__((noreturn)) child_fail(int fd, struct child_msg *msg, const char *step)
{
	child_send(fd, msg, -errno, step);
	_exit(1);
}

/*
 * Runs in the child: join the cgroup unless born in it (procs NULL), then send and receive N
 * datagrams on loopback.
 */
static void __attribute__((noreturn)) child_run(const char *procs, pid_t parent, int up, int down)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { .tv_usec = RECV_TIMEOUT_MS * 1000 };
	struct child_msg msg = {};
	socklen_t len = sizeof(sin);
	char pid[16], go;
	int fd, rx, tx;

	/* Dies with the parent: a killed run leaves no process in the cgroup. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	if (procs) {
		fd = open(procs, O_WRONLY | O_CLOEXEC);
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		if (fd < 0 || write(fd, pid, strlen(pid)) < 0)
			child_fail(up, &msg, "join the cgroup");
		close(fd);
	}
	/* Sockets belong to the cgroup of the process that creates them. */
	rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (rx < 0 || tx < 0 || bind(rx, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(rx, (struct sockaddr *)&sin, &len) ||
	    setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		child_fail(up, &msg, "open a UDP socket on 127.0.0.1");
	msg.port = ntohs(sin.sin_port);
	child_send(up, &msg, 0, "");
	if (read(down, &go, 1) != 1)
		_exit(1);

	for (int i = 0; i < NR_SENT; i++) {
		struct net_probe_payload p = {
			.magic = NET_PROBE_MAGIC,
			.tgid = getpid(),
			.seq = i,
		};

		if (sendto(tx, &p, sizeof(p), 0, (struct sockaddr *)&sin, sizeof(sin)) < 0)
			child_fail(up, &msg, "send to 127.0.0.1");
	}
	while (msg.received < NR_SENT) {
		struct net_probe_payload p;

		if (recv(rx, &p, sizeof(p), 0) < 0)
			break;
		msg.received += p.magic == NET_PROBE_MAGIC;
	}
	child_send(up, &msg, 0, "");
	_exit(0);
}

/*
 * A child born in the cgroup (clone3 with CLONE_INTO_CGROUP, Linux 5.7) needs no migration,
 * which costs an RCU grace period now and then (about 12 ms here). Older kernels fork, and the
 * child joins through cgroup.procs.
 */
static pid_t fork_into(int cg_fd, bool *born_inside)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = cg_fd,
	};
	long pid = syscall(SYS_clone3, &args, sizeof(args));

	*born_inside = pid >= 0;
	if (pid >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
		return pid;
	return fork();
}

/* Reads one report of the child; 0, or -EPIPE when it died without one. */
static int child_read(int fd, struct child_msg *msg)
{
	ssize_t n = read(fd, msg, sizeof(*msg));

	if (n == sizeof(*msg))
		return 0;
	return n < 0 ? -errno : -EPIPE;
}

static void run_cgroup_skb(struct check_result *res)
{
	int up[2] = { -1, -1 }, down[2] = { -1, -1 }, cg_fd = -1, err;
	struct bpf_link *links[2] = {};
	struct cgroup_skb_count_bpf *skel = NULL;
	struct child_msg msg;
	char path[512] = "", procs[600], what[600];
	pid_t parent = getpid(), child = -1;
	bool born_inside;

	if (!cap_effective(CAP_NET_ADMIN)) {
		check_set(res, CHECK_SKIPPED, "missing CAP_NET_ADMIN (needed to load and attach "
			  "cgroup_skb programs)");
		return;
	}
	if (!cgroup2_root()) {
		check_set(res, CHECK_UNSUPPORTED, "no cgroup2 mount in /proc/self/mounts "
			  "(cgroup v2 is needed to attach cgroup_skb)");
		return;
	}
	skel = cgroup_skb_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'cgroup_skb_count' BPF object");
		return;
	}
	err = cgroup_skb_count_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'cgroup_skb' programs", cfg_cgroup_bpf);
		goto cleanup;
	}
	err = cgroup_tmp_new("cgroup_skb", path, sizeof(path));
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "create cgroup '%s'", path);
		path[0] = '\0';
		goto cleanup;
	}
	check_detail_str(res, "cgroup", path);
	cg_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg_fd < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "open cgroup '%s'", path);
		goto cleanup;
	}
	for (int i = 0; i < 2; i++) {
		struct bpf_program *prog = i ? skel->progs.net_cg_ingress :
					       skel->progs.net_cg_egress;

		links[i] = bpf_program__attach_cgroup(prog, cg_fd);
		if (!links[i]) {
			err = -errno;
			snprintf(what, sizeof(what), "attach '%s' to cgroup '%s'",
				 bpf_program__section_name(prog), path);
			check_explain(res, err, what, cfg_cgroup_bpf);
			goto cleanup;
		}
	}

	if (pipe2(up, O_CLOEXEC) || pipe2(down, O_CLOEXEC)) {
		check_set_errno(res, CHECK_ERROR, errno, "pipe2()");
		goto cleanup;
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", path);
	child = fork_into(cg_fd, &born_inside);
	if (child < 0) {
		check_set_errno(res, CHECK_ERROR, errno, "clone3(CLONE_INTO_CGROUP)");
		goto cleanup;
	}
	if (child == 0) {
		close(up[0]);
		close(down[1]);
		child_run(born_inside ? NULL : procs, parent, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	up[1] = down[0] = -1;

	err = child_read(up[0], &msg) ?: msg.err;
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "child: %s",
				msg.step[0] ? msg.step : "exited early");
		goto cleanup;
	}
	skel->bss->target_port = msg.port;
	if (write(down[1], "g", 1) != 1 || (err = child_read(up[0], &msg) ?: msg.err)) {
		check_set_errno(res, CHECK_ERROR, err ?: -errno, "child: %s",
				msg.step[0] ? msg.step : "exited early");
		goto cleanup;
	}

	check_detail_int(res, "port", msg.port);
	check_detail_int(res, "sent", NR_SENT);
	check_detail_int(res, "received", msg.received);
	check_detail_int(res, "egress_counted", skel->bss->egress_hits);
	check_detail_int(res, "ingress_counted", skel->bss->ingress_hits);
	if (skel->bss->egress_hits != NR_SENT || skel->bss->ingress_hits != NR_SENT)
		check_set(res, CHECK_FAIL, "cgroup '%s': sent %d datagrams to 127.0.0.1:%u, "
			  "counted %llu on egress and %llu on ingress", path, NR_SENT, msg.port,
			  (unsigned long long)skel->bss->egress_hits,
			  (unsigned long long)skel->bss->ingress_hits);
	else if (msg.received != NR_SENT)
		check_set(res, CHECK_FAIL, "cgroup '%s': the programs allowed %d datagrams, the "
			  "socket received %d", path, NR_SENT, msg.received);
	else
		check_set(res, CHECK_PASS, "egress and ingress each counted %d of %d datagrams "
			  "to 127.0.0.1:%u from a process in a temporary cgroup", NR_SENT,
			  NR_SENT, msg.port);
cleanup:
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (up[i] >= 0)
			close(up[i]);
		if (down[i] >= 0)
			close(down[i]);
		bpf_link__destroy(links[i]);
	}
	if (cg_fd >= 0)
		close(cg_fd);
	if (path[0] && (err = cgroup_tmp_remove(path)))
		check_set_errno(res, CHECK_ERROR, err, "remove cgroup '%s'", path);
	cgroup_skb_count_bpf__destroy(skel);
}

DEFINE_CHECK(cgroup_skb, "network",
	     "count N loopback datagrams of a process with cgroup_skb egress/ingress on a cgroup",
	     run_cgroup_skb);
