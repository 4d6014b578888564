// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kfunc_prog.h"
#include "lib/errno_name.h"

#define MAX_INSNS 16
#define LOG_SIZE (16 * 1024)

struct prog {
	struct bpf_insn insns[MAX_INSNS];
	int n;
	int call_at;		/* the call to the kfunc under test */
};

static void emit(struct prog *p, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	if (p->n < MAX_INSNS)
		p->insns[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
						      .off = off, .imm = imm };
}

static void mov_imm(struct prog *p, int dst, int imm)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm);
}

static void mov_reg(struct prog *p, int dst, int src)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}

/* dst = the frame pointer + off: a slot on the program's stack. */
static void stack_ptr(struct prog *p, int dst, int off)
{
	mov_reg(p, dst, BPF_REG_10);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, off);
}

/* A call to a kfunc of vmlinux BTF (off 0): the verifier resolves imm there. */
static void call_kfunc(struct prog *p, int id)
{
	emit(p, BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, id);
}

/* The kfunc under test, its arguments already in R1-R3. */
static void call_target(struct prog *p, int id)
{
	p->call_at = p->n;
	call_kfunc(p, id);
}

/* if (r0) partner(r0[, NULL]): what a KF_ACQUIRE kfunc returned is released, NULL or not. */
static void release_r0(struct prog *p, int partner_id, bool null_r2)
{
	if (!partner_id)
		return;
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, null_r2 ? 3 : 2, 0);
	mov_reg(p, BPF_REG_1, BPF_REG_0);
	if (null_r2)
		mov_imm(p, BPF_REG_2, 0);
	call_kfunc(p, partner_id);
}

static void build(struct prog *p, const struct kfunc_call *c, const struct kfunc_prog_btf *pb)
{
	memset(p, 0, sizeof(*p));
	switch (c->shape) {
	case KFUNC_ACQUIRE:
		mov_imm(p, BPF_REG_1, c->arg);
		call_target(p, c->id);
		release_r0(p, c->partner_id, false);
		break;
	case KFUNC_OBJ_NEW:
		mov_imm(p, BPF_REG_1, pb->obj_type_id);
		mov_imm(p, BPF_REG_2, 0);
		call_target(p, c->id);
		release_r0(p, c->partner_id, true);
		break;
	case KFUNC_PAIR:
		call_target(p, c->id);
		if (c->partner_id)
			call_kfunc(p, c->partner_id);
		break;
	case KFUNC_CTX_DYNPTR:
		/* R1 still holds the context; a dynptr is 16 bytes, 8-aligned. */
		mov_imm(p, BPF_REG_2, 0);
		stack_ptr(p, BPF_REG_3, -16);
		call_target(p, c->id);
		break;
	case KFUNC_ITER:
		stack_ptr(p, BPF_REG_1, -8);
		mov_imm(p, BPF_REG_2, 0);
		mov_imm(p, BPF_REG_3, 1);
		call_target(p, c->id);
		if (c->partner_id) {
			stack_ptr(p, BPF_REG_1, -8);
			call_kfunc(p, c->partner_id);
		}
		break;
	}
	mov_imm(p, BPF_REG_0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int kfunc_prog_btf_load(struct kfunc_prog_btf *pb)
{
	struct btf *btf = btf__new_empty();
	int err = libbpf_get_error(btf), int_id, obj, proto, func;

	pb->fd = -1;
	if (err)
		return err;
	int_id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	obj = btf__add_struct(btf, "kfuncs_obj", 8);
	err = btf__add_field(btf, "value", int_id, 0, 0) ?:
	      btf__add_field(btf, "spare", int_id, 32, 0);
	proto = btf__add_func_proto(btf, int_id);
	func = btf__add_func(btf, "kfuncs_prog", BTF_FUNC_GLOBAL, proto);
	if (!err && (int_id < 0 || obj < 0 || proto < 0 || func < 0))
		err = -EINVAL;
	err = err ?: btf__load_into_kernel(btf);
	if (!err) {
		pb->obj_type_id = obj;
		pb->func_id = func;
		pb->fd = dup(btf__fd(btf));
		if (pb->fd < 0)
			err = -errno;
	}
	btf__free(btf);
	return err;
}

/* Whether the verifier's log shows it walked instruction 'at', a call. */
static bool walked(const char *log, int at)
{
	char want[24];
	size_t len = snprintf(want, sizeof(want), "%d: (85)", at);
	const char *line, *nl;

	for (line = log; *line; line = nl + 1) {
		if (!strncmp(line, want, len))
			return true;
		nl = strchrnul(line, '\n');
		if (!*nl)
			break;
	}
	return false;
}

/*
 * The verifier's last line: past a rejection, its error, the last line that is not a
 * statistic. Newer verifiers explain an error in a block of lines after it, which opens with
 * "Verification failed:"; the error is then the last line before that block.
 */
static void last_line(const char *log, bool loaded, char *out, size_t sz)
{
	const char *line = log, *pick = NULL, *nl;

	for (; *line; line = nl + 1) {
		nl = strchrnul(line, '\n');
		if (!loaded && !strncmp(line, "Verification failed:", 20))
			break;
		if (nl > line && (loaded || (strncmp(line, "processed ", 10) &&
					     strncmp(line, "verification time", 17) &&
					     strncmp(line, "stack depth", 11))))
			pick = line;
		if (!*nl)
			break;
	}
	out[0] = '\0';
	if (pick)
		snprintf(out, sz, "%.*s", (int)(strchrnul(pick, '\n') - pick), pick);
}

void kfunc_prog_try(const struct kfunc_call *call, const struct kfunc_prog_type *as,
		    const struct kfunc_prog_btf *pb, struct kfunc_try *out)
{
	static char log[LOG_SIZE];
	struct bpf_func_info func = { .insn_off = 0, .type_id = pb->func_id };
	char not_allowed[160];
	struct prog p;
	int fd;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 1, .expected_attach_type = as->attach,
		    .attach_btf_id = as->attach_btf_id,
		    .prog_flags = as->sleepable ? BPF_F_SLEEPABLE : 0);

	/* Only bpf_obj_new needs the program's BTF: its type argument names a struct there. */
	if (call->shape == KFUNC_OBJ_NEW) {
		opts.prog_btf_fd = pb->fd;
		opts.func_info = &func;
		opts.func_info_cnt = 1;
		opts.func_info_rec_size = sizeof(func);
	}
	build(&p, call, pb);
	log[0] = '\0';
	fd = bpf_prog_load(as->type, "kfunc_probe", "GPL", p.insns, p.n, &opts);
	memset(out, 0, sizeof(*out));
	out->loaded = fd >= 0;
	out->err = fd >= 0 ? 0 : -errno;
	if (fd >= 0)
		close(fd);
	last_line(log, out->loaded, out->last, sizeof(out->last));
	snprintf(not_allowed, sizeof(not_allowed), "calling kernel function %s is not allowed",
		 call->name);
	if (out->loaded) {
		out->verdict = KFUNC_ALLOWED;
	} else if (strstr(log, not_allowed)) {
		out->verdict = KFUNC_NOT_ALLOWED;
	} else if (walked(log, p.call_at)) {
		out->verdict = KFUNC_ALLOWED;	/* refused after the verifier let the call pass */
	} else {
		out->verdict = KFUNC_ERROR;
		if (!out->last[0])
			snprintf(out->last, sizeof(out->last), "%s", errno_name(out->err));
	}
}
