/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block device names by number, from /sys/class/block/NAME/dev ("major:minor").
 *
 *   disk_name(major, minor, buf, sz)   0 and "vda" in buf, or -ENOENT ("dev 254:0" in buf)
 */
#ifndef BPFGAUGE_DISKS_H
#define BPFGAUGE_DISKS_H

#include <stddef.h>

int disk_name(unsigned int major, unsigned int minor, char *buf, size_t sz);

#endif
