/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the checks of programs built on BPF trampolines share (trampolines.c):
 *   trampoline_explain(res, err, what)   after 'what' failed with err: the verdict and the
 *       evidence of why (the kernel config, whether ftrace function hooks can be set,
 *       kernel.ftrace_enabled, the lockdown mode), in the reason and the details
 */
#ifndef BPFGAUGE_CHECKS_TRAMPOLINES_H
#define BPFGAUGE_CHECKS_TRAMPOLINES_H

#include "check.h"

void trampoline_explain(struct check_result *res, int err, const char *what);

#endif
