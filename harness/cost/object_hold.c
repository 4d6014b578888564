// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "lib/libbpf_log.h"
#include "object_hold.h"

/* libbpf's own errors (-4001 and on) have their own texts. */
static const char *error_text(int err, char *buf, size_t sz)
{
	if (libbpf_strerror(err, buf, sz))
		snprintf(buf, sz, "%s", strerror(-err));
	return buf;
}

static struct bpf_object *open_object(const char *path, int *err)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);

	*err = obj ? 0 : -errno;
	return obj;
}

int object_check(const char *path, char *why, size_t sz)
{
	char text[128];
	int err, progs = 0;
	struct bpf_object *obj;
	struct bpf_program *p;

	if (access(path, R_OK)) {
		err = -errno;
		snprintf(why, sz, "cannot read the object '%s': %s", path, strerror(-err));
		return err;
	}
	obj = open_object(path, &err);
	if (!obj) {
		snprintf(why, sz, "libbpf cannot open '%s' as a BPF object: %s", path,
			 error_text(err, text, sizeof(text)));
		return err;
	}
	bpf_object__for_each_program(p, obj)
		progs++;
	bpf_object__close(obj);
	if (!progs) {
		snprintf(why, sz, "the object '%s' has no programs", path);
		return -ENOENT;
	}
	return 0;
}

/*
 * The last words before exit 1: what failed, and libbpf's or the verifier's reason. A forked
 * copy of bpfgauge: _exit, so that nothing of the parent's is flushed or run at exit.
 */
__attribute__((noreturn)) static void fail(const char *what, const char *name, int err)
{
	const char *last = libbpf_log_last();
	char text[128];

	printf("error: %s%s: %s%s%s\n", what, name, error_text(err, text, sizeof(text)),
	       last[0] ? ": " : "", last);
	fflush(stdout);
	_exit(1);
}

void object_hold(const char *path)
{
	struct bpf_program *p;
	struct bpf_object *obj;
	int err, attached = 0;

	libbpf_log_reset();
	obj = open_object(path, &err);
	if (!obj)
		fail("cannot open ", path, err);
	err = bpf_object__load(obj);
	if (err)
		fail("cannot load ", path, err);
	bpf_object__for_each_program(p, obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(p))
			continue;
		link = bpf_program__attach(p);
		err = link ? 0 : -errno;
		/* A section name without a target (SEC("uprobe"), SEC("xdp")): a skeleton's
		 * attach leaves it too. */
		if (err == -EOPNOTSUPP) {
			printf("%s (SEC(\"%s\")): libbpf cannot attach it by its section name "
			       "(EOPNOTSUPP: it names no target), not attached\n",
			       bpf_program__name(p), bpf_program__section_name(p));
			continue;
		}
		if (err)
			fail("cannot attach ", bpf_program__name(p), err);
		printf("%s (SEC(\"%s\")): attached\n", bpf_program__name(p),
		       bpf_program__section_name(p));
		attached++;
	}
	if (!attached) {
		printf("error: none of the programs of '%s' attaches by its section name\n", path);
		fflush(stdout);
		_exit(1);
	}
	fflush(stdout);
	/* The links close with the process: killed at the end of each traced run. */
	for (;;)
		pause();
}
