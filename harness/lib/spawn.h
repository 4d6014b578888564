/* SPDX-License-Identifier: GPL-2.0 */
/*
 * External programs: workloads (fio, stress-ng) and the tools others ask (qemu, ldd,
 * systemd-detect-virt, ...). A program runs in a process group of its own, dies with this
 * process (PR_SET_PDEATHSIG) and is killed, with its group, at a deadline or when
 * interrupted(). Its job file and its output live in memory files (memfile.h) that it opens
 * by path: nothing is written to disk, nothing outlives the run.
 *
 *   program_installed(name)     whether name is an executable file in a $PATH directory
 *   program_path(name, buf, sz) that file (name itself when it holds a '/'): 0 or -ENOENT
 *   spawn_run(&s)               run s.argv and wait: 0 when it exited 0; -ENOENT (no such
 *                               program), -ECHILD (exited non-zero or by a signal: s.status),
 *                               -ETIMEDOUT (killed at the deadline), -EINTR (killed because
 *                               interrupted()), or another -errno of fork/exec
 *   spawn_capture(&s, &out, &len)   spawn_run() with stdout kept in a memory file: once the
 *                               program exited (0 or -ECHILD), what it wrote, NUL-terminated
 *                               and malloc'd, in out and its size in len (NULL: not wanted);
 *                               -EIO when that cannot be read. Else out is NULL.
 *   spawn_describe(&s, err, log_fd, buf, sz)   spawn_run()'s failure in words, with the last
 *                               line of the program's log ("fio exited with status 1: ...")
 *
 * The program inherits stdin from /dev/null, s.out_fd and s.err_fd as stdout and stderr,
 * s.keep_fds, and no other fd of this process (no BPF link or map lives on in it).
 */
#ifndef BPFGAUGE_SPAWN_H
#define BPFGAUGE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

struct spawn {
	char *const *argv;		/* argv[0] is looked up in $PATH */
	char *const *env;		/* "NAME=value" added to the environment; NULL-terminated */
	const int *keep_fds;		/* memory files it opens by path */
	size_t nr_keep_fds;
	int out_fd, err_fd;		/* its stdout and stderr; -1: /dev/null */
	double timeout_s;		/* then it and its process group are killed */
	int status;			/* its wait status, once it ran */
};

bool program_installed(const char *name);
int program_path(const char *name, char *buf, size_t sz);
int spawn_run(struct spawn *s);
int spawn_capture(struct spawn *s, char **out, size_t *len);
void spawn_describe(const struct spawn *s, int err, int log_fd, char *buf, size_t sz);

#endif
