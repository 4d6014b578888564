// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>

#include "netns.h"

int netns_enter_private(struct netns *ns)
{
	int err;

	ns->home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ns->home_fd < 0) {
		err = -errno;
		ns->home_fd = -1;
		return err;
	}
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		close(ns->home_fd);
		ns->home_fd = -1;
		return err;
	}
	return 0;
}

int netns_leave(struct netns *ns)
{
	int err = 0;

	if (ns->home_fd < 0)
		return 0;
	if (setns(ns->home_fd, CLONE_NEWNET))
		err = -errno;
	close(ns->home_fd);
	ns->home_fd = -1;
	return err;
}

/* A netlink request built in place: header, ifinfomsg, then attributes (nested by hand). */
struct nl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[512];
};

#define NL_NEWLINK_INIT {                                                                      \
	.nh = {                                                                              \
		.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),                         \
		.nlmsg_type = RTM_NEWLINK,                                                   \
		.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL,                                    \
	},                                                                                   \
	.ifi = { .ifi_family = AF_UNSPEC },                                                  \
}

static struct rtattr *nl_attr(struct nl_req *req, int type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nl_nest_end(struct nl_req *req, struct rtattr *nest)
{
	nest->rta_len = (char *)req + req->nh.nlmsg_len - (char *)nest;
}

/* The kernel's message in an extended acknowledgement (NLMSGERR_ATTR_MSG), if any. */
static void nl_ack_msg(const struct nlmsghdr *nh, char *msg, size_t sz)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	size_t off = sizeof(*e), end = nh->nlmsg_len - NLMSG_HDRLEN;
	const struct nlattr *a;

	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	for (; off + NLA_HDRLEN <= end; off += NLA_ALIGN(a->nla_len)) {
		a = (const struct nlattr *)((const char *)e + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			return;
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(msg, sz, "%.*s", (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
			return;
		}
	}
}

/* Sends req and receives the answer into buf: its length, or -errno. */
static ssize_t nl_exchange(struct nl_req *req, char *buf, size_t sz)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd, one = 1;
	ssize_t n;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* Best effort: an older kernel acknowledges without a message. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	req->nh.nlmsg_flags |= NLM_F_REQUEST;
	req->nh.nlmsg_seq = 1;
	n = sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	if (n >= 0)
		n = recv(fd, buf, sz, 0);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/*
 * Sends one request and reads its acknowledgement: 0 or the kernel's -errno, with its message
 * in 'msg' ("" when it gave none; msg may be NULL).
 */
static int nl_talk(struct nl_req *req, char *msg, size_t sz)
{
	char buf[4096];
	struct nlmsghdr *nh;
	ssize_t n;

	if (msg && sz)
		msg[0] = '\0';
	req->nh.nlmsg_flags |= NLM_F_ACK;
	n = nl_exchange(req, buf, sizeof(buf));
	if (n < 0)
		return n;
	for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_ERROR) {
			int err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;

			if (err && msg && sz)
				nl_ack_msg(nh, msg, sz);
			return err;
		}
	}
	return -EPROTO;
}

/* RFC 2863's 'up' as <linux/if.h> numbers it (IF_OPER_UP), a header <net/if.h> excludes. */
#define OPER_UP 6

/*
 * The operational state (IF_OPER_*) of a device of the caller's namespace, read with RTM_GETLINK,
 * which (since Linux 6.8) first brings the device's pending link watch event into effect; or
 * -errno.
 */
static int netdev_operstate(const char *name)
{
	struct nl_req req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_GETLINK,
		},
		.ifi = { .ifi_family = AF_UNSPEC },
	};
	char buf[16384];
	struct nlmsghdr *nh;
	struct rtattr *rta;
	ssize_t n;
	int len;

	nl_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
	n = nl_exchange(&req, buf, sizeof(buf));
	if (n < 0)
		return n;
	nh = (struct nlmsghdr *)buf;
	if (!NLMSG_OK(nh, n))
		return -EPROTO;
	if (nh->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(nh))->error ?: -EPROTO;
	if (nh->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	len = IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(NLMSG_DATA(nh)); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_OPERSTATE && RTA_PAYLOAD(rta) >= 1)
			return *(__u8 *)RTA_DATA(rta);
	return -EPROTO;
}

/* One end of a pair: its name and MAC address, and the namespace it goes to (ns_fd >= 0). */
static void nl_end(struct nl_req *req, const struct veth_pair *v, int end, int ns_fd)
{
	nl_attr(req, IFLA_IFNAME, v->name[end], strlen(v->name[end]) + 1);
	nl_attr(req, IFLA_ADDRESS, v->mac[end], sizeof(v->mac[end]));
	if (ns_fd >= 0)
		nl_attr(req, IFLA_NET_NS_FD, &ns_fd, sizeof(ns_fd));
}

static int pair_names_check(const struct veth_pair *v)
{
	if (strnlen(v->name[0], IFNAMSIZ) == IFNAMSIZ || strnlen(v->name[1], IFNAMSIZ) == IFNAMSIZ)
		return -ENAMETOOLONG;
	return 0;
}

int veth_pair_add(const struct veth_pair *v, int peer_netns_fd, char *msg, size_t sz)
{
	struct nl_req req = NL_NEWLINK_INIT;
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *linkinfo, *data, *peer;
	int err = pair_names_check(v);

	if (err)
		return err;
	nl_end(&req, v, 0, -1);
	linkinfo = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "veth", sizeof("veth"));
	data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER holds an ifinfomsg followed by the peer's own attributes. */
	peer = nl_attr(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	nl_end(&req, v, 1, peer_netns_fd);
	nl_nest_end(&req, peer);
	nl_nest_end(&req, data);
	nl_nest_end(&req, linkinfo);
	return nl_talk(&req, msg, sz);
}

/* <linux/if_link.h>'s netkit attributes and values (Linux 6.7): Debian 12's headers lack them. */
enum {
	NK_INFO_PEER = 1,	/* IFLA_NETKIT_PEER_INFO */
	NK_INFO_POLICY = 3,	/* IFLA_NETKIT_POLICY: the primary's default verdict */
	NK_INFO_PEER_POLICY = 4,
	NK_INFO_MODE = 5,	/* IFLA_NETKIT_MODE */
};
#define NK_MODE_L2 0		/* NETKIT_L2 */
#define NK_PASS 0		/* NETKIT_PASS */

int netkit_pair_add(const struct veth_pair *v, int peer_netns_fd, char *msg, size_t sz)
{
	static const __u32 mode = NK_MODE_L2, pass = NK_PASS;
	struct nl_req req = NL_NEWLINK_INIT;
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *linkinfo, *data, *peer;
	int err = pair_names_check(v);

	if (err)
		return err;
	/* The device the request names is the primary: end 1, which goes to peer_netns_fd. */
	nl_end(&req, v, 1, peer_netns_fd);
	linkinfo = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "netkit", sizeof("netkit"));
	data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	nl_attr(&req, NK_INFO_MODE, &mode, sizeof(mode));
	nl_attr(&req, NK_INFO_POLICY, &pass, sizeof(pass));
	nl_attr(&req, NK_INFO_PEER_POLICY, &pass, sizeof(pass));
	/* Like VETH_INFO_PEER: an ifinfomsg, then the peer's attributes; the peer stays here. */
	peer = nl_attr(&req, NK_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	nl_end(&req, v, 0, -1);
	nl_nest_end(&req, peer);
	nl_nest_end(&req, data);
	nl_nest_end(&req, linkinfo);
	return nl_talk(&req, msg, sz);
}

static int ifreq_init(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	if (strlen(name) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	strcpy(ifr->ifr_name, name);
	return 0;
}

static int sock_ioctl(int sock, unsigned long req, void *arg)
{
	return ioctl(sock, req, arg) ? -errno : 0;
}

int netdev_up(int sock, const char *name)
{
	struct ifreq ifr;
	int err;

	err = ifreq_init(&ifr, name) ?: sock_ioctl(sock, SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	ifr.ifr_flags |= IFF_UP;
	return sock_ioctl(sock, SIOCSIFFLAGS, &ifr);
}

int netdev_sync(int sock, const char *name)
{
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr;
	int err;

	err = ifreq_init(&ifr, name);
	if (err)
		return err;
	ifr.ifr_data = (void *)&link;
	err = sock_ioctl(sock, SIOCETHTOOL, &ifr);
	if (err == -EOPNOTSUPP) {
		/* No ethtool get_link (netkit): up once link watch ran, as RTM_GETLINK tells. */
		err = netdev_operstate(name);
		if (err < 0)
			return err;
		link.data = err == OPER_UP;
	} else if (err) {
		return err;
	}
	err = sock_ioctl(sock, SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	return link.data && (ifr.ifr_flags & IFF_RUNNING) ? 0 : -ENETDOWN;
}

int netdev_mtu_set(int sock, const char *name, int mtu)
{
	struct ifreq ifr;
	int err;

	err = ifreq_init(&ifr, name);
	if (err)
		return err;
	ifr.ifr_mtu = mtu;
	return sock_ioctl(sock, SIOCSIFMTU, &ifr);
}

int netdev_addr4_set(int sock, const char *name, struct in_addr addr, int prefix)
{
	struct sockaddr_in *sin;
	struct ifreq ifr;
	int err;

	if (prefix < 0 || prefix > 32)
		return -EINVAL;
	err = ifreq_init(&ifr, name);
	if (err)
		return err;
	sin = (struct sockaddr_in *)&ifr.ifr_addr;
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
	err = sock_ioctl(sock, SIOCSIFADDR, &ifr);
	if (err)
		return err;
	sin->sin_addr.s_addr = prefix ? htonl(~0u << (32 - prefix)) : 0;
	return sock_ioctl(sock, SIOCSIFNETMASK, &ifr);
}

int netdev_neigh4_set(int sock, const char *name, struct in_addr addr, const unsigned char *mac)
{
	struct arpreq req = { .arp_flags = ATF_COM | ATF_PERM };
	struct sockaddr_in *sin = (struct sockaddr_in *)&req.arp_pa;

	if (strlen(name) >= sizeof(req.arp_dev))
		return -ENAMETOOLONG;
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
	req.arp_ha.sa_family = ARPHRD_ETHER;
	memcpy(req.arp_ha.sa_data, mac, 6);
	strcpy(req.arp_dev, name);
	return sock_ioctl(sock, SIOCSARP, &req);
}

int netdev_ifindex(int sock, const char *name)
{
	struct ifreq ifr;
	int err;

	err = ifreq_init(&ifr, name) ?: sock_ioctl(sock, SIOCGIFINDEX, &ifr);
	return err ? err : ifr.ifr_ifindex;
}
