/* SPDX-License-Identifier: GPL-2.0 */
/*
 * '-- COMMAND': the command is forked first, so that its pid can be configured into BPF
 * programs, and held on a pipe until they are attached.
 *
 *   command_fork_held(argv, who, &go_fd)   pid, or -1 with errno set; 'who' prefixes the
 *                                          child's message when exec fails. Until exec
 *                                          the child is named COMMAND_PRE_EXEC_NAME.
 *   command_release(&go_fd, run)           run=true: the command execs now; run=false: it
 *                                          exits with 127 without running. Closes go_fd.
 */
#ifndef BPFGAUGE_COMMAND_H
#define BPFGAUGE_COMMAND_H

#include <stdbool.h>
#include <sys/types.h>

#define COMMAND_PRE_EXEC_NAME "bpfgauge-exec"

pid_t command_fork_held(char **argv, const char *who, int *go_fd);
void command_release(int *go_fd, bool run);

#endif
