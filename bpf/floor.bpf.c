// SPDX-License-Identifier: GPL-2.0
/*
 * The floor a tool is compared against: empty programs, 24 of each kind, for user
 * space to put on the same hooks as the tool's programs, one program per hook, attached the
 * same way (harness/attach/floor.h). The BTF kinds get their target before load
 * (bpf_program__set_attach_target), the others when they are attached.
 *
 * The floor with the clock: the same, each program reading the clock once, as a latency tool
 * must at entry and at exit at the least (bpf_ktime_get_ns() is not free, and in some VMs it
 * is the largest part of a tool's cost).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define EMPTY(kind, sec, i)                                                                  \
	SEC(sec)                                                                             \
	int kind##_##i(void *ctx)                                                            \
	{                                                                                    \
		return 0;                                                                    \
	}

__u64 clock_sink;

#define CLOCK(kind, sec, i)                                                                  \
	SEC(sec)                                                                             \
	int kind##_clock_##i(void *ctx)                                                      \
	{                                                                                    \
		clock_sink = bpf_ktime_get_ns();                                             \
		return 0;                                                                    \
	}

#define BOTH(kind, sec, i) EMPTY(kind, sec, i) CLOCK(kind, sec, i)
#define COPIES_4(kind, sec, b)                                                               \
	BOTH(kind, sec, b##0) BOTH(kind, sec, b##1) BOTH(kind, sec, b##2) BOTH(kind, sec, b##3)
#define COPIES(kind, sec)                                                                    \
	COPIES_4(kind, sec, 0) COPIES_4(kind, sec, 1) COPIES_4(kind, sec, 2)                 \
	COPIES_4(kind, sec, 3) COPIES_4(kind, sec, 4) COPIES_4(kind, sec, 5)

/* 24 of each kind and flavour: as many as a tool's method may have programs (TOOL_MAX_HOOKS). */
COPIES(tp_btf, "tp_btf")
COPIES(fentry, "fentry")
COPIES(fexit, "fexit")
COPIES(raw_tp, "raw_tp")
COPIES(tp, "tracepoint")
COPIES(kprobe, "kprobe")
COPIES(kretprobe, "kretprobe")
COPIES(uprobe, "uprobe")
COPIES(uretprobe, "uretprobe")
COPIES(perf_event, "perf_event")

char LICENSE[] SEC("license") = "GPL";
