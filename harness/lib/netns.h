/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private network namespaces and veth pairs for network checks. A namespace made here is never
 * named or bind-mounted: it and its devices vanish with their last reference (a process, a
 * socket, an fd), so they cannot outlive the process, not even when it is killed.
 *
 *   netns_enter_private(&ns)   save the current namespace, move into a new empty one
 *   netns_leave(&ns)           go back and drop the saved fd (safe when never entered)
 *   veth_pair_add(&v, ns_fd)   create v's pair here, end 1 in namespace ns_fd (-1: here too)
 *
 * Device settings go through 'sock', any AF_INET socket of the device's namespace (an ioctl
 * acts in its socket's namespace, wherever the caller is):
 *   netdev_up(sock, name)  netdev_sync(sock, name)  netdev_addr4_set(sock, name, addr, prefix)
 *   netdev_neigh4_set(sock, name, addr, mac)
 *
 * All return 0 or a negative errno.
 */
#ifndef BPFGAUGE_NETNS_H
#define BPFGAUGE_NETNS_H

#include <net/if.h>
#include <netinet/in.h>

struct netns {
	int home_fd;		/* the namespace to go back to; -1 when not entered */
};

#define NETNS_INIT { .home_fd = -1 }

int netns_enter_private(struct netns *ns);
int netns_leave(struct netns *ns);

struct veth_pair {
	char name[2][IFNAMSIZ];
	unsigned char mac[2][6];
};

/* Creates the pair with v's names and MAC addresses; both ends stay down. */
int veth_pair_add(const struct veth_pair *v, int peer_netns_fd);

int netdev_up(int sock, const char *name);
/*
 * Brings the device's pending carrier change into effect now (ETHTOOL_GLINK syncs the kernel's
 * link watch, which otherwise activates a veth's transmit queue a moment after its peer comes
 * up; until then, sent packets are silently dropped). Then checks that it is running.
 */
int netdev_sync(int sock, const char *name);
int netdev_addr4_set(int sock, const char *name, struct in_addr addr, int prefix);
/* A permanent ARP entry, so that nothing but the check's own packets crosses the pair. */
int netdev_neigh4_set(int sock, const char *name, struct in_addr addr, const unsigned char *mac);
int netdev_ifindex(int sock, const char *name);

#endif
