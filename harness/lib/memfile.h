/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory files (memfd) for the programs spawn_run() starts: a program's job file and its
 * output live in memory and it opens them by path: nothing is written to disk, nothing
 * outlives the run.
 *
 *   memfile_new(name, text)     a memory file holding text ("" for an empty one): fd or -errno
 *   memfile_path(fd, buf, sz)   "/proc/self/fd/N": the path a program opens it by
 *   memfile_read(fd)            its whole content, NUL-terminated and malloc'd; NULL on error
 *   memfile_last_line(fd, buf, sz)  the last non-empty line written to it ("" if none), for
 *                               a reason ("fio: failed to open ...")
 *   memjob_open(&j, prog, text, what, sz)   a program's three memory files: its job (holding
 *                               text), its output and its log, with the paths of the first two;
 *                               0, or -errno with "memfd_create() failed: ERRNAME" in what
 *   memjob_close(&j)            closes those that were made
 */
#ifndef BPFGAUGE_MEMFILE_H
#define BPFGAUGE_MEMFILE_H

#include <stddef.h>

struct memjob {
	int job_fd, out_fd, log_fd;	/* -1 when not made */
	char job_path[32], out_path[32];
};

int memfile_new(const char *name, const char *text);
void memfile_path(int fd, char *buf, size_t sz);
char *memfile_read(int fd);
void memfile_last_line(int fd, char *buf, size_t sz);
int memjob_open(struct memjob *j, const char *prog, const char *text, char *what, size_t sz);
void memjob_close(struct memjob *j);

#endif
