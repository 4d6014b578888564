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

/* Sends one request and reads its acknowledgement: 0 or the kernel's -errno. */
static int nl_talk(struct nl_req *req)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[4096];
	struct nlmsghdr *nh;
	ssize_t n;
	int fd, err;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	req->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	req->nh.nlmsg_seq = 1;
	if (sendto(fd, req, req->nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		err = -errno;
		goto cleanup;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		err = -errno;
		goto cleanup;
	}
	err = -EPROTO;
	for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		if (nh->nlmsg_type == NLMSG_ERROR) {
			err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			break;
		}
	}
cleanup:
	close(fd);
	return err;
}

int veth_pair_add(const struct veth_pair *v, int peer_netns_fd)
{
	struct nl_req req = {
		.nh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
			.nlmsg_type = RTM_NEWLINK,
			.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL,
		},
		.ifi = { .ifi_family = AF_UNSPEC },
	};
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *linkinfo, *data, *peer;

	if (strnlen(v->name[0], IFNAMSIZ) == IFNAMSIZ || strnlen(v->name[1], IFNAMSIZ) == IFNAMSIZ)
		return -ENAMETOOLONG;
	nl_attr(&req, IFLA_IFNAME, v->name[0], strlen(v->name[0]) + 1);
	nl_attr(&req, IFLA_ADDRESS, v->mac[0], sizeof(v->mac[0]));
	linkinfo = nl_attr(&req, IFLA_LINKINFO, NULL, 0);
	nl_attr(&req, IFLA_INFO_KIND, "veth", sizeof("veth"));
	data = nl_attr(&req, IFLA_INFO_DATA, NULL, 0);
	/* VETH_INFO_PEER holds an ifinfomsg followed by the peer's own attributes. */
	peer = nl_attr(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	nl_attr(&req, IFLA_IFNAME, v->name[1], strlen(v->name[1]) + 1);
	nl_attr(&req, IFLA_ADDRESS, v->mac[1], sizeof(v->mac[1]));
	if (peer_netns_fd >= 0)
		nl_attr(&req, IFLA_NET_NS_FD, &peer_netns_fd, sizeof(peer_netns_fd));
	nl_nest_end(&req, peer);
	nl_nest_end(&req, data);
	nl_nest_end(&req, linkinfo);
	return nl_talk(&req);
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
	err = sock_ioctl(sock, SIOCETHTOOL, &ifr) ?: sock_ioctl(sock, SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	return link.data && (ifr.ifr_flags & IFF_RUNNING) ? 0 : -ENETDOWN;
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
