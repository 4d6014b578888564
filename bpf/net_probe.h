/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UDP payload network checks send and their BPF programs match: a magic word, the sending
 * process's tgid and a sequence number, all in host byte order. Include <linux/types.h> (or
 * vmlinux.h) first.
 */
#ifndef BPFGAUGE_NET_PROBE_H
#define BPFGAUGE_NET_PROBE_H

#define NET_PROBE_MAGIC 0x62706667	/* "bpfg" */

struct net_probe_payload {
	__u32 magic;
	__u32 tgid;
	__u32 seq;
	__u32 zero;
};

#endif
