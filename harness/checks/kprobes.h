/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the checks of kprobe-based programs share (kprobes.c):
 *   kprobe_load_configs   the CONFIG_ options a kprobe program's load needs
 *   kprobe_explain_attach(res, err, what, multi)   after attaching 'what' failed with err: the
 *       verdict and the evidence of why. multi: a kprobe_multi link (fprobe: CONFIG_FPROBE),
 *       else a kprobe perf event (CONFIG_KPROBES, the 'kprobe' PMU, tracefs kprobe_events).
 *       Both: lockdown, blamed only in confidentiality mode and only as likely.
 */
#ifndef BPFGAUGE_CHECKS_KPROBES_H
#define BPFGAUGE_CHECKS_KPROBES_H

#include <stdbool.h>

#include "check.h"

extern const char *const kprobe_load_configs[];

void kprobe_explain_attach(struct check_result *res, int err, const char *what, bool multi);

#endif
