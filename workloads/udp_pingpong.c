// SPDX-License-Identifier: GPL-2.0
/*
 * udp-pingpong: this process and a helper exchange UDP datagrams over a veth pair between two
 * private network namespaces (harness/lib/netlab.h). One operation is one round trip: a datagram
 * out and its echo back, each through the whole UDP/IP stack and the veth pair. This process
 * stays in its own namespace; the namespaces and the pair live only as long as the two sockets,
 * which this process and the helper hold, so they vanish with them (also when killed). pid()
 * is the helper's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "lib/errno_name.h"
#include "lib/interrupt.h"
#include "lib/kconfig.h"
#include "lib/netlab.h"
#include "workload.h"
#include "workload_child.h"
#include "workload_util.h"

#define UDP_PORT 9000
#define BATCH 64
#define REPLY_TIMEOUT_S 2	/* a datagram lost on a veth pair would be a kernel bug */

struct udp_pingpong {
	pid_t helper;
	int sock;		/* this process's end (lab end 1) */
	__u64 seq;
};

/* Each datagram carries a sequence number; the echo must bring back the one sent. */
__attribute__((noreturn))
static void echo(int sock)
{
	__u64 seq;

	for (;;) {
		ssize_t n = recv(sock, &seq, sizeof(seq), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(seq))
			_exit(1);
		while ((n = send(sock, &seq, sizeof(seq), 0)) < 0 && errno == EINTR)
			;
		if (n != sizeof(seq))
			_exit(1);
	}
}

/* Blocking, talking to the other end only. */
static int sock_prepare(int sock, int peer, int timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	struct sockaddr_storage addr;
	socklen_t len = sizeof(addr);
	int flags = fcntl(sock, F_GETFL);

	if (flags < 0 || fcntl(sock, F_SETFL, flags & ~O_NONBLOCK) ||
	    getsockname(peer, (struct sockaddr *)&addr, &len) ||
	    connect(sock, (struct sockaddr *)&addr, len) ||
	    (timeout_s && setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))))
		return -errno;
	return 0;
}

static void udp_teardown(void *state)
{
	struct udp_pingpong *u = state;

	if (!u)
		return;
	if (u->sock >= 0)
		close(u->sock);
	workload_child_stop(u->helper);
	free(u);
}

/* netlab's failure as a reason: a CONFIG_ option not set makes it -EOPNOTSUPP. */
static int lab_failed(const struct netlab *lab, int err, char *why, size_t sz)
{
	for (const char *const *c = lab->configs; c && *c; c++) {
		if (kconfig_state(*c) == KCONFIG_NOT_SET) {
			snprintf(why, sz, "%s failed: %s; %s is not set", lab->failed,
				 errno_name(err), *c);
			return -EOPNOTSUPP;
		}
	}
	snprintf(why, sz, "%s failed: %s", lab->failed, errno_name(err));
	return err;
}

static int udp_setup(const struct workload_opts *o, void **state, char *why, size_t sz)
{
	struct netlab lab = NETLAB_INIT;
	struct udp_pingpong *u;
	int err;

	*state = NULL;
	if (!workload_cpu_allowed(o->cpu, why, sz))
		return -EINVAL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->sock = -1;
	err = netlab_open(&lab, UDP_PORT);
	if (err) {
		err = lab_failed(&lab, err, why, sz);
		goto cleanup;
	}
	/* Home again: from here on, the two sockets alone keep the namespaces alive. */
	err = netns_leave(&lab.ns);
	if (err) {
		snprintf(why, sz, "setns() back to this process's namespace failed: %s",
			 errno_name(err));
		goto cleanup;
	}
	err = sock_prepare(lab.sock[0], lab.sock[1], 0);
	if (!err)
		err = sock_prepare(lab.sock[1], lab.sock[0], REPLY_TIMEOUT_S);
	if (err) {
		snprintf(why, sz, "connect the lab's UDP sockets failed: %s", errno_name(err));
		goto cleanup;
	}
	u->helper = workload_child_fork(&lab.sock[0], 1, o->cpu);
	if (u->helper < 0) {
		err = u->helper;
		snprintf(why, sz, "fork() failed: %s", errno_name(err));
		goto cleanup;
	}
	if (u->helper == 0)
		echo(lab.sock[0]);
	u->sock = lab.sock[1];
	lab.sock[1] = -1;
	*state = u;
cleanup:
	netlab_close(&lab);	/* this process's copy of end 0; end 1 stays in u */
	if (err)
		udp_teardown(u);
	return err;
}

static int round_trip(void *state)
{
	struct udp_pingpong *u = state;
	__u64 seq = ++u->seq, back;
	ssize_t n;

	while ((n = send(u->sock, &seq, sizeof(seq), 0)) < 0 && errno == EINTR)
		;
	if (n != sizeof(seq))
		return n < 0 ? -errno : -EIO;
	while ((n = recv(u->sock, &back, sizeof(back), 0)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return n == sizeof(back) && back == seq ? 0 : -EIO;
}

static int udp_run(void *state, const struct workload_opts *o, struct workload_result *r)
{
	return workload_loop(state, o, r, BATCH, round_trip);
}

static pid_t udp_pid(void *state)
{
	return ((struct udp_pingpong *)state)->helper;
}

DEFINE_WORKLOAD(udp_pingpong, "udp-pingpong",
		"UDP datagrams back and forth over a veth pair between two private network "
		"namespaces; one op = one round trip",
		"helper: sys_enter recvfrom + sendto, a veth xmit each way", udp_setup, udp_run,
		udp_teardown, udp_pid);
