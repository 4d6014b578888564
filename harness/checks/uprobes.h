/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the uprobe checks share (uprobes.c):
 *   uprobe_self_exe(res, path, sz)     this binary's path (detail 'binary'); -1 with res set
 *   uprobe_target_locate(res, path, sz)   this binary's path, and the file offset of
 *                                      UPROBE_TARGET_SYMBOL in it (details 'binary',
 *                                      'symbol', 'offset'); -1 with res set
 *   uprobe_require_pmu(res)            0 when the 'uprobe' PMU exists (detail 'uprobe_pmu');
 *                                      else -1 with res unsupported: without it libbpf would
 *                                      attach through tracefs uprobe_events, which a killed
 *                                      process leaves behind
 */
#ifndef BPFGAUGE_CHECKS_UPROBES_H
#define BPFGAUGE_CHECKS_UPROBES_H

#include <stddef.h>

#include "check.h"

int uprobe_self_exe(struct check_result *res, char *path, size_t sz);
long uprobe_target_locate(struct check_result *res, char *path, size_t sz);
int uprobe_require_pmu(struct check_result *res);

#endif
