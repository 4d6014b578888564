// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/types.h>

#include "caps.h"
#include "net_probe.h"
#include "netlab.h"

/*
 * How long a veth end may take to report IFF_RUNNING after both ends are up: the kernel's
 * linkwatch sets the operational state from a work item that may wait up to a second. On this
 * project's VM it takes well under 100 ms; a Debian 6.1 guest under QEMU's TCG took 1014 to
 * 1022 ms for the first lab of a run and 0 ms for the next ones (every xdp_generic run failed
 * with ENETDOWN at 100 ms). Only a failure waits this long.
 */
#define SYNC_MS 2000

static const char *const addr_str[2] = { "192.0.2.1", "192.0.2.2" };
static const char *const cfg_netns[] = { "CONFIG_NET_NS", NULL };
static const char *const cfg_veth[] = { "CONFIG_VETH", NULL };
static const char *const cfg_netkit[] = { "CONFIG_NETKIT", NULL };

/* Each kind of pair: its name, how it is made and what the kernel needs to make it. */
static const struct {
	const char *name;
	int (*add)(const struct veth_pair *v, int peer_netns_fd, char *msg, size_t sz);
	const char *const *configs;
} kinds[] = {
	[NETLAB_VETH] = { "veth", veth_pair_add, cfg_veth },
	[NETLAB_NETKIT] = { "netkit", netkit_pair_add, cfg_netkit },
};

const char *netlab_kind_name(enum netlab_kind kind)
{
	return kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[kind].name : "?";
}

const char *netlab_caps_missing(void)
{
	if (!cap_effective(CAP_NET_ADMIN))
		return cap_name(CAP_NET_ADMIN);
	return cap_effective(CAP_SYS_ADMIN) ? NULL : cap_name(CAP_SYS_ADMIN);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void nap(void)
{
	struct timespec ts = { .tv_nsec = 50 * 1000 };

	nanosleep(&ts, NULL);
}

__attribute__((format(printf, 4, 5)))
static int failed(struct netlab *lab, int err, const char *const *configs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lab->failed, sizeof(lab->failed), fmt, ap);
	va_end(ap);
	lab->configs = configs;
	return err;
}

static struct sockaddr_in lab_addr(const struct netlab *lab, int end)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(lab->port) };

	inet_pton(AF_INET, addr_str[end], &sin.sin_addr);
	return sin;
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	return fd < 0 ? -errno : fd;
}

/*
 * Waits until end 'end' runs (from 'start', when both went up). From its own namespace: a device
 * that ethtool cannot sync (netkit) is synced through RTM_GETLINK, which looks in the caller's.
 */
static int wait_running(struct netlab *lab, int end, double start)
{
	const char *name = lab->veth.name[end];
	int err;

	while ((err = netdev_sync(lab->sock[end], name)) == -ENETDOWN &&
	       now_ms() < start + SYNC_MS)
		nap();
	lab->running_ms = now_ms() - start;
	if (err)
		return failed(lab, err, NULL, "wait for '%s' to run (%.0f ms)", name,
			      lab->running_ms);
	return 0;
}

/*
 * From the peer namespace: both ends' MTU, both up, end 0 running, addresses, ARP entries,
 * sockets bound; *start is when both went up.
 */
static int configure(struct netlab *lab, int mtu, double *start)
{
	struct veth_pair *v = &lab->veth;
	int err;

	for (int i = 0; i < 2 && mtu; i++) {
		err = netdev_mtu_set(lab->sock[i], v->name[i], mtu);
		if (err)
			return failed(lab, err, NULL, "set MTU %d on '%s'", mtu, v->name[i]);
	}
	for (int i = 0; i < 2; i++) {
		err = netdev_up(lab->sock[i], v->name[i]);
		if (err)
			return failed(lab, err, NULL, "set '%s' up", v->name[i]);
	}
	*start = now_ms();
	err = wait_running(lab, 0, *start);
	if (err)
		return err;
	for (int i = 0; i < 2; i++) {
		struct sockaddr_in self = lab_addr(lab, i), peer = lab_addr(lab, !i);

		err = netdev_addr4_set(lab->sock[i], v->name[i], self.sin_addr, 24);
		if (err)
			return failed(lab, err, NULL, "add address %s/24 to '%s'", addr_str[i],
				      v->name[i]);
		err = netdev_neigh4_set(lab->sock[i], v->name[i], peer.sin_addr, v->mac[!i]);
		if (err)
			return failed(lab, err, NULL, "add ARP entry %s on '%s'", addr_str[!i],
				      v->name[i]);
		if (bind(lab->sock[i], (struct sockaddr *)&self, sizeof(self)))
			return failed(lab, -errno, NULL, "bind UDP socket to %s:%u", addr_str[i],
				      lab->port);
	}
	return 0;
}

int netlab_open(struct netlab *lab, __u16 port)
{
	return netlab_open_opts(lab, port, NULL);
}

int netlab_open_opts(struct netlab *lab, __u16 port, const struct netlab_opts *opts)
{
	static const struct veth_pair veth = {
		.name = { NETLAB_DEV0, NETLAB_DEV1 },
		/* Locally administered; unique enough inside two private namespaces. */
		.mac = { { 0x02, 0x62, 0x67, 0, 0, 0x01 }, { 0x02, 0x62, 0x67, 0, 0, 0x02 } },
	};
	struct netlab_opts defaults = { .kind = NETLAB_VETH };
	double start = 0;
	char msg[96];
	int lab_ns = -1, err;

	if (!opts)
		opts = &defaults;
	*lab = (struct netlab)NETLAB_INIT;
	lab->veth = veth;
	lab->kind = opts->kind;
	lab->port = port;
	if (lab->kind >= sizeof(kinds) / sizeof(kinds[0]))
		return failed(lab, -EINVAL, NULL, "open a lab of unknown kind %d", (int)lab->kind);

	/* The lab namespace, with end 1's socket. */
	err = netns_enter_private(&lab->ns);
	if (err)
		return failed(lab, err, cfg_netns, "unshare(CLONE_NEWNET)");
	lab->sock[1] = udp_socket();
	if (lab->sock[1] < 0)
		return failed(lab, lab->sock[1], NULL, "open UDP socket");
	lab_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (lab_ns < 0)
		return failed(lab, -errno, NULL, "open '/proc/self/ns/net'");

	/* The peer namespace, alive as long as end 0's socket. */
	if (unshare(CLONE_NEWNET)) {
		err = failed(lab, -errno, cfg_netns, "unshare(CLONE_NEWNET)");
		goto cleanup;
	}
	lab->sock[0] = udp_socket();
	if (lab->sock[0] < 0) {
		err = failed(lab, lab->sock[0], NULL, "open UDP socket");
		goto cleanup;
	}
	err = kinds[lab->kind].add(&lab->veth, lab_ns, msg, sizeof(msg));
	if (err) {
		failed(lab, err, kinds[lab->kind].configs, "create %s pair '%s' (netlink%s%s)",
		       kinds[lab->kind].name, NETLAB_DEV0 "/" NETLAB_DEV1, msg[0] ? ": " : "", msg);
		goto cleanup;
	}
	err = configure(lab, opts->mtu, &start);
	if (err)
		goto cleanup;

	if (setns(lab_ns, CLONE_NEWNET)) {
		err = failed(lab, -errno, NULL, "setns() into the lab namespace");
		goto cleanup;
	}
	err = wait_running(lab, 1, start);
	if (err)
		goto cleanup;
	lab->ifindex = netdev_ifindex(lab->sock[1], NETLAB_DEV1);
	if (lab->ifindex < 0)
		err = failed(lab, lab->ifindex, NULL, "find ifindex of '%s'", NETLAB_DEV1);
cleanup:
	close(lab_ns);
	return err;
}

int netlab_send(struct netlab *lab, int from, __u32 seq)
{
	return netlab_send_len(lab, from, seq, sizeof(struct net_probe_payload));
}

int netlab_send_len(struct netlab *lab, int from, __u32 seq, size_t len)
{
	struct sockaddr_in to = lab_addr(lab, !from);
	struct net_probe_payload p = {
		.magic = NET_PROBE_MAGIC,
		.tgid = getpid(),
		.seq = seq,
	};
	char *buf;
	int err = 0;

	if (len < sizeof(p))
		return -EINVAL;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0xa5, len);
	memcpy(buf, &p, sizeof(p));
	if (len >= sizeof(p) + sizeof(seq))
		memcpy(buf + len - sizeof(seq), &seq, sizeof(seq));
	if (sendto(lab->sock[from], buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		err = -errno;
	free(buf);
	return err;
}

int netlab_recv(struct netlab *lab, int at, __u32 *seqs, int max, int timeout_ms)
{
	return netlab_recv_len(lab, at, seqs, NULL, max, timeout_ms);
}

int netlab_recv_len(struct netlab *lab, int at, __u32 *seqs, __u32 *lens, int max,
		    int timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	__u32 tgid = getpid();
	int n = 0;

	while (n < max) {
		struct pollfd pfd = { .fd = lab->sock[at], .events = POLLIN };
		struct net_probe_payload p;
		double left;
		ssize_t len;

		/* MSG_TRUNC: the datagram's whole length, although only its header is copied. */
		len = recv(lab->sock[at], &p, sizeof(p), MSG_DONTWAIT | MSG_TRUNC);
		if (len >= (ssize_t)sizeof(p) && p.magic == NET_PROBE_MAGIC && p.tgid == tgid) {
			if (lens)
				lens[n] = len;
			seqs[n++] = p.seq;
			continue;
		}
		if (len >= 0)
			continue;	/* not ours */
		if (errno != EAGAIN)
			return -errno;
		left = deadline - now_ms();
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)left + 1) < 0 && errno != EINTR)
			return -errno;
	}
	return n;
}

int netlab_close(struct netlab *lab)
{
	/* The last reference to the peer namespace: it and the veth pair go away with it. */
	for (int i = 0; i < 2; i++) {
		if (lab->sock[i] >= 0)
			close(lab->sock[i]);
		lab->sock[i] = -1;
	}
	return netns_leave(&lab->ns);
}

bool counter_wait(const volatile __u64 *counter, __u64 want, int timeout_ms)
{
	double deadline = now_ms() + timeout_ms;

	while (*counter < want) {
		if (now_ms() > deadline)
			return false;
		nap();
	}
	return true;
}
