/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ctrl-C and SIGTERM only set a flag; long-running code polls interrupted() and winds down
 * through its normal cleanup path. Everything attached is an fd-owned link, so even a killed
 * process leaves nothing attached.
 */
#ifndef BPFGAUGE_INTERRUPT_H
#define BPFGAUGE_INTERRUPT_H

#include <stdbool.h>

void interrupt_setup(void);
bool interrupted(void);

#endif
