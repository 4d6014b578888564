/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: fs-latency's operations, the keys of its histogram array. */
#ifndef BPFGAUGE_FS_LATENCY_H
#define BPFGAUGE_FS_LATENCY_H

enum fs_op {
	FS_OP_READ,
	FS_OP_WRITE,
	FS_OP_OPEN,
	FS_OP_FSYNC,
	FS_OP_MAX,
};

#endif
