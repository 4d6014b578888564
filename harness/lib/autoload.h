/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Several checks share one BPF object; each loads only its own program:
 *   autoload_only(obj, prog)   turn autoload off for every program of obj but prog
 */
#ifndef BPFGAUGE_AUTOLOAD_H
#define BPFGAUGE_AUTOLOAD_H

#include <bpf/libbpf.h>

void autoload_only(struct bpf_object *obj, struct bpf_program *keep);

#endif
