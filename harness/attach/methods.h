/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attach-method fallbacks (tp_btf -> raw_tp -> tracepoint, fentry -> kprobe -> tracepoint):
 * every variant is compiled into one object; a method names the programs it needs, and
 * method_load_attach() keeps just those (autoload), loads and attaches them as fd-owned links.
 * A failed load spoils a bpf_object: open a fresh one for the next method.
 */
#ifndef BPFGAUGE_METHODS_H
#define BPFGAUGE_METHODS_H

#include <stddef.h>
#include <bpf/libbpf.h>

#define METHOD_MAX_PROGS 24

struct attach_method {
	const char *name;
	const char *progs[METHOD_MAX_PROGS];	/* program names, NULL-terminated */
};

/* 0, or -errno with a one-line reason in why ("load 'enter_btf': EPERM ..."). */
int method_load_attach(struct bpf_object *obj, const struct attach_method *m,
		       struct bpf_link *links[METHOD_MAX_PROGS], char *why, size_t sz);
void method_links_destroy(struct bpf_link *links[METHOD_MAX_PROGS]);

#endif
