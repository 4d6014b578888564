/* SPDX-License-Identifier: GPL-2.0 */
/* 'bpfgauge profile': CPU or off-CPU flame graphs; returns the exit code. */
#ifndef BPFGAUGE_PROFILE_CMD_H
#define BPFGAUGE_PROFILE_CMD_H

int cmd_profile(int argc, char **argv);

#endif
