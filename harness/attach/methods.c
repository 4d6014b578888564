// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/errno_name.h"
#include "lib/libbpf_log.h"
#include "methods.h"

static bool in_method(const struct attach_method *m, const char *name)
{
	for (int i = 0; i < METHOD_MAX_PROGS && m->progs[i]; i++)
		if (!strcmp(m->progs[i], name))
			return true;
	return false;
}

int method_load_attach(struct bpf_object *obj, const struct attach_method *m,
		       struct bpf_link *links[METHOD_MAX_PROGS], char *why, size_t sz)
{
	struct bpf_program *prog;
	int err, n = 0;

	memset(links, 0, sizeof(struct bpf_link *) * METHOD_MAX_PROGS);
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, in_method(m, bpf_program__name(prog)));
	libbpf_log_reset();
	err = bpf_object__load(obj);
	if (err) {
		const char *last = libbpf_log_last();

		snprintf(why, sz, "load: %s%s%s", errno_name(err), last[0] ? ": " : "", last);
		return err;
	}
	for (int i = 0; i < METHOD_MAX_PROGS && m->progs[i]; i++) {
		prog = bpf_object__find_program_by_name(obj, m->progs[i]);
		links[n] = prog ? bpf_program__attach(prog) : NULL;
		if (!links[n]) {
			err = prog ? -errno : -ENOENT;
			snprintf(why, sz, "attach '%s': %s", prog ? bpf_program__section_name(prog) :
				 m->progs[i], errno_name(err));
			method_links_destroy(links);
			return err;
		}
		n++;
	}
	return 0;
}

void method_links_destroy(struct bpf_link *links[METHOD_MAX_PROGS])
{
	for (int i = 0; i < METHOD_MAX_PROGS; i++) {
		bpf_link__destroy(links[i]);
		links[i] = NULL;
	}
}
