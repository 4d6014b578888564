/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private network namespaces and pairs of devices (veth, netkit) for network checks. A namespace
 * made here is never named or bind-mounted: it and its devices vanish with their last reference
 * (a process, a socket, an fd), so they cannot outlive the process, not even when it is killed.
 *
 *   netns_enter_private(&ns)   save the current namespace, move into a new empty one
 *   netns_leave(&ns)           go back and drop the saved fd (safe when never entered)
 *   veth_pair_add(&v, ns_fd, msg, sz)     create v's pair here, end 1 in namespace ns_fd (-1:
 *                                         here too); msg gets the kernel's message on failure
 *   netkit_pair_add(&v, ns_fd, msg, sz)   the same as a netkit pair (Linux 6.7) in L2 mode,
 *                                         end 1 its primary device, both policies 'pass'
 *
 * Device settings go through 'sock', any AF_INET socket of the device's namespace (an ioctl
 * acts in its socket's namespace, wherever the caller is):
 *   netdev_up(sock, name)  netdev_sync(sock, name)  netdev_addr4_set(sock, name, addr, prefix)
 *   netdev_neigh4_set(sock, name, addr, mac)   netdev_mtu_set(sock, name, mtu)
 *
 * All return 0 or a negative errno.
 */
#ifndef BPFGAUGE_NETNS_H
#define BPFGAUGE_NETNS_H

#include <stddef.h>
#include <net/if.h>
#include <netinet/in.h>

struct netns {
	int home_fd;		/* the namespace to go back to; -1 when not entered */
};

#define NETNS_INIT { .home_fd = -1 }

int netns_enter_private(struct netns *ns);
int netns_leave(struct netns *ns);

/* The names and MAC addresses of a pair of devices (a veth pair, a netkit pair). */
struct veth_pair {
	char name[2][IFNAMSIZ];
	unsigned char mac[2][6];
};

/* Create the pair with v's names and MAC addresses; both ends stay down. */
int veth_pair_add(const struct veth_pair *v, int peer_netns_fd, char *msg, size_t sz);
int netkit_pair_add(const struct veth_pair *v, int peer_netns_fd, char *msg, size_t sz);

int netdev_up(int sock, const char *name);
/*
 * Brings the device's pending carrier change into effect now (ETHTOOL_GLINK syncs the kernel's
 * link watch, which otherwise activates a veth's transmit queue a moment after its peer comes
 * up; until then, sent packets are silently dropped). Then checks that it is running. A device
 * without that ethtool operation (netkit) is asked with RTM_GETLINK instead, which syncs the same
 * way since Linux 6.8 and finds the device in the caller's namespace (call it from there): it
 * runs once its operational state is up (before link watch ran, it is 'unknown', not down).
 */
int netdev_sync(int sock, const char *name);
int netdev_addr4_set(int sock, const char *name, struct in_addr addr, int prefix);
/* A permanent ARP entry, so that nothing but the check's own packets crosses the pair. */
int netdev_neigh4_set(int sock, const char *name, struct in_addr addr, const unsigned char *mac);
int netdev_ifindex(int sock, const char *name);
int netdev_mtu_set(int sock, const char *name, int mtu);

#endif
