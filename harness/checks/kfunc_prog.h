/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kfuncs check's programs: a few raw instructions that call one kernel function with
 * sensible arguments (and release what it acquired), loaded as one program type, and what the
 * verifier said about the call.
 *
 *   kfunc_prog_btf_load(&pb)        the program BTF bpf_obj_new needs (a struct to allocate)
 *   kfunc_prog_try(call, as, &pb, &out)   load one program, classify the verifier's verdict
 *
 * The verifier decides whether a program type may call a kfunc when it reaches the call
 * instruction, after the checks every kfunc call gets before verification starts (JIT, GPL
 * licence, the BTF id names a function the kernel can resolve) and before it checks the
 * arguments. So: loaded -> allowed; "calling kernel function X is not allowed" -> not allowed;
 * rejected later, once the log shows the verifier walked the call -> allowed (the program was
 * refused for another reason, kept in out.last); anything else -> error.
 */
#ifndef BPFGAUGE_KFUNC_PROG_H
#define BPFGAUGE_KFUNC_PROG_H

#include <stdbool.h>
#include <linux/bpf.h>

/* How the program calls the kfunc under test (id) and its partner (partner_id, may be 0). */
enum kfunc_shape {
	KFUNC_ACQUIRE,		/* r0 = f(arg); if (r0) partner(r0) */
	KFUNC_OBJ_NEW,		/* r0 = f(local struct type, NULL); if (r0) partner(r0, NULL) */
	KFUNC_PAIR,		/* f(); partner() */
	KFUNC_CTX_DYNPTR,	/* f(ctx, 0, &dynptr on the stack) */
	KFUNC_ITER,		/* f(&iter on the stack, 0, 1); partner(&iter) */
};

struct kfunc_call {
	const char *name;
	const char *partner;	/* the kfunc that releases, unlocks or destroys, or NULL */
	enum kfunc_shape shape;
	int arg;		/* KFUNC_ACQUIRE's argument */
	int id, partner_id;	/* in vmlinux BTF */
};

struct kfunc_prog_type {
	enum bpf_prog_type type;
	enum bpf_attach_type attach;	/* expected_attach_type */
	__u32 attach_btf_id;		/* BTF-typed programs: the target in vmlinux BTF */
	bool sleepable;
};

struct kfunc_prog_btf {
	int fd;			/* -1 until loaded */
	__u32 obj_type_id;	/* struct kfuncs_obj */
	__u32 func_id;		/* the program's function */
};

enum kfunc_verdict { KFUNC_ALLOWED, KFUNC_NOT_ALLOWED, KFUNC_ERROR };

struct kfunc_try {
	enum kfunc_verdict verdict;
	bool loaded;
	int err;		/* the load's negative errno, 0 when it loaded */
	char last[192];		/* the verifier's last line (its error, or its statistics) */
};

/* 0 or a negative errno; pb->fd is the BTF's (close it when done). */
int kfunc_prog_btf_load(struct kfunc_prog_btf *pb);
void kfunc_prog_try(const struct kfunc_call *call, const struct kfunc_prog_type *as,
		    const struct kfunc_prog_btf *pb, struct kfunc_try *out);

#endif
