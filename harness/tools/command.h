/* SPDX-License-Identifier: GPL-2.0 */
/*
 * '-- COMMAND': the command is forked first, so that its pid can be configured into BPF
 * programs, and held on a pipe until they are attached. Nothing it does before its exec is
 * seen by them: it is looked up in PATH here (not by a string of failed execs in the child),
 * it resets its signal dispositions and mask to the defaults, then waits in read(2), and
 * command_fork_held() returns only once it waits there.
 *
 *   command_fork_held(argv, who, &go_fd)   pid, or -1 once it said why in one line
 *                                          prefixed with 'who' (no such program in PATH,
 *                                          fork failed), as it does when the exec fails in
 *                                          the child. Until exec the child is named
 *                                          COMMAND_PRE_EXEC_NAME. Makes this process the
 *                                          reaper of the command's orphans (a double fork
 *                                          stays below it).
 *   command_release(&go_fd, run)           run=true: the command execs now; run=false: it
 *                                          exits with 127 without running. Closes go_fd.
 *   command_child_defaults()               in a child before exec: every signal disposition
 *                                          the default, the signal mask empty
 *   command_exec(path, argv)               execv(), and a script without '#!' under sh;
 *                                          returns only when that fails (errno set)
 *   command_stop_tree()                    ends what is left of the command's tree (every
 *                                          descendant of this process): SIGTERM, SIGKILL
 *                                          after COMMAND_GRACE_MS, all reaped; how many
 *                                          were running
 */
#ifndef BPFGAUGE_COMMAND_H
#define BPFGAUGE_COMMAND_H

#include <stdbool.h>
#include <sys/types.h>

#define COMMAND_PRE_EXEC_NAME "bpfgauge-exec"
#define COMMAND_GRACE_MS 2000

pid_t command_fork_held(char **argv, const char *who, int *go_fd);
void command_release(int *go_fd, bool run);
int command_stop_tree(void);
void command_child_defaults(void);
void command_exec(const char *path, char **argv);

#endif
