/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Functions inside the bpfgauge binary for the uprobe, uretprobe and usdt checks to trace.
 *
 *   uprobe_target_call(x)      fires USDT bpfgauge:target_call(x, uprobe_target_tag(x)),
 *                              then returns bpfgauge_uprobe_target(x)
 *   bpfgauge_uprobe_target(x)  3 * x + 7; never inlined, cloned or folded, so that a uprobe at
 *                              its symbol's file offset sees every call
 *   uprobe_target_tag(x)       the USDT probe's second argument: a negative 64-bit value
 */
#ifndef BPFGAUGE_UPROBE_TARGET_H
#define BPFGAUGE_UPROBE_TARGET_H

#define UPROBE_TARGET_SYMBOL "bpfgauge_uprobe_target"
#define UPROBE_TARGET_USDT_PROVIDER "bpfgauge"
#define UPROBE_TARGET_USDT_NAME "target_call"

int bpfgauge_uprobe_target(int x);
int uprobe_target_call(int x);

static inline long uprobe_target_tag(int x)
{
	return -((long)x << 32) - 1;
}

#endif
