/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tc and tcx checks share (tc.c): tc_count's two programs on one end of the netlab
 * veth pair, N datagrams sent to it and M from it.
 *   tc_setup(res, &skel, &lab, tcx)   tc_count opened, aimed at this process's datagrams and
 *                                     loaded (for tcx links when tcx), the lab opened: 0, or
 *                                     -1 with res set ('skipped' without the capabilities)
 *   tc_teardown(res, skel, lab)       the lab closed and the object destroyed, on every path
 *   tc_verify(res, skel, lab, how)    sends both directions and sets the verdict from what
 *                                     each program counted and each socket received; 'how'
 *                                     names the hook in the reason ("clsact", "tcx")
 */
#ifndef BPFGAUGE_CHECKS_TC_H
#define BPFGAUGE_CHECKS_TC_H

#include <stdbool.h>

#include "check.h"
#include "lib/netlab.h"
#include "tc_count.skel.h"

#define TC_PORT 40002

int tc_setup(struct check_result *res, struct tc_count_bpf **skel, struct netlab *lab,
	     bool tcx);
void tc_teardown(struct check_result *res, struct tc_count_bpf *skel, struct netlab *lab);
void tc_verify(struct check_result *res, struct tc_count_bpf *skel, struct netlab *lab,
	       const char *how);

#endif
