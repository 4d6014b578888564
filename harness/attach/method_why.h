/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why an attach method failed, with kernel evidence gathered here. After method_load_attach()
 * wrote its reason ("attach 'kprobe/vfs_read': ENOENT"), method_why_explain() appends, for the
 * attach type the method names (attach.h):
 *   - the first CONFIG_ option the type needs that the kernel config does not set
 *     (", CONFIG_KPROBES is not set");
 *   - otherwise the type's own evidence (its explain hook), e.g. for fentry/fexit refused
 *     with EPERM, whether tracefs set_ftrace_filter opens for writing
 *     (ftrace_explain_trampoline() of lib/ftrace.h), because trampolines are built on ftrace
 *     function hooks (", and opening tracefs set_ftrace_filter for writing fails with EPERM
 *     (likely ftrace function hooks are refused)").
 * Nothing is appended without such evidence.
 */
#ifndef BPFGAUGE_METHOD_WHY_H
#define BPFGAUGE_METHOD_WHY_H

#include <stddef.h>

void method_why_explain(const char *method, int err, char *why, size_t sz);

#endif
