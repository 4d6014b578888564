/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A BPF object file as a tracer ('bpfgauge cost --object FILE'): what a process of its own
 * does with it, as a libbpf application would: open it, load every program, attach each
 * where its section name says (libbpf's auto-attach, as a skeleton's attach does), and hold
 * the links until it is killed.
 *
 *   object_check(path, why, sz)   in bpfgauge, before anything runs: 0 when libbpf opens it
 *                                 and it has a program; -errno with one line
 *   object_hold(path)             in the tracer's process: never returns. Its output says
 *                                 which programs were attached and which name no target
 *                                 (e.g. SEC("uprobe"), SEC("xdp"): not attached); on failure
 *                                 a last line "error: ..." and exit 1
 */
#ifndef BPFGAUGE_OBJECT_HOLD_H
#define BPFGAUGE_OBJECT_HOLD_H

#include <stddef.h>

int object_check(const char *path, char *why, size_t sz);
__attribute__((noreturn)) void object_hold(const char *path);

#endif
