/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpftrace as the peer that benchmarks compare with: one program run as 'bpftrace -e'.
 *
 *   bpftrace_installed()                whether 'bpftrace' is in PATH
 *   bpftrace_start(&bt, prog, err, sz)  runs PROG behind a BEGIN probe that prints a line,
 *                                       and returns once that line came, i.e. once every
 *                                       probe is attached; 0, or -errno with one line in err
 *                                       (bpftrace's first line of output when it did not start)
 *   bpftrace_stop(&bt)                  SIGINT, as a user would (repeated every second:
 *                                       bpftrace 0.17 can miss one right after its BEGIN
 *                                       probe), SIGTERM after 5 s, SIGKILL after 10 s; its
 *                                       output (maps printed on exit) is drained meanwhile.
 *                                       Accepts a zeroed or stopped bt.
 *
 * bpftrace dies with the thread that started it (PR_SET_PDEATHSIG): a killed bpfgauge leaves
 * no bpftrace running, and bpftrace's probes are owned by its file descriptors.
 */
#ifndef BPFGAUGE_BPFTRACE_H
#define BPFGAUGE_BPFTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The one-liners benchmarks run: syscall latency as a hist(), and a count per syscall. */
#define BPFTRACE_SYSCALL_HIST                                                                \
	"tracepoint:raw_syscalls:sys_enter { @s[tid] = nsecs; } "                            \
	"tracepoint:raw_syscalls:sys_exit /@s[tid]/ "                                        \
	"{ @h = hist(nsecs - @s[tid]); delete(@s[tid]); }"
#define BPFTRACE_SYSCALL_COUNT "tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }"

struct bpftrace {
	pid_t pid;	/* 0: not running */
	int out;	/* its stdout and stderr */
};

bool bpftrace_installed(void);
int bpftrace_start(struct bpftrace *bt, const char *prog, char *err, size_t sz);
void bpftrace_stop(struct bpftrace *bt);

#endif
