// SPDX-License-Identifier: GPL-2.0
#include "autoload.h"

void autoload_only(struct bpf_object *obj, struct bpf_program *keep)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, prog == keep);
}
