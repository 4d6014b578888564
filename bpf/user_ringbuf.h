/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the samples user space submits to user_ringbuf.bpf.c. */
#ifndef BPFGAUGE_USER_RINGBUF_H
#define BPFGAUGE_USER_RINGBUF_H

struct urb_sample {
	__u64 seq;		/* 0, 1, 2, ... in the order submitted */
	__u64 value;		/* first + seq * step */
};

#endif
