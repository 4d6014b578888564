// SPDX-License-Identifier: GPL-2.0
/*
 * kfuncs: which kernel functions this kernel offers BPF programs, and to which program types
 * (what 'bpftool feature probe' does not say). Each kfunc is looked up in vmlinux BTF (its
 * FUNC, and the "bpf_kfunc" declaration tag newer kernels put on kfuncs); each one present is
 * called by a tiny program of each program type below (kfunc_prog.c), and the verifier's
 * answer is the matrix in details. Load-only: no program is attached or run.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "kfunc_prog.h"
#include "lib/errno_name.h"

/* The kfuncs asked about, and how a program calls each (kfunc_prog.h). */
static const struct kfunc_call kfuncs_wanted[] = {
	{ "bpf_task_from_pid", "bpf_task_release", KFUNC_ACQUIRE, .arg = 1 },
	{ "bpf_rcu_read_lock", "bpf_rcu_read_unlock", KFUNC_PAIR },
	{ "bpf_cpumask_create", "bpf_cpumask_release", KFUNC_ACQUIRE },
	{ "bpf_obj_new_impl", "bpf_obj_drop_impl", KFUNC_OBJ_NEW },
	{ "bpf_dynptr_from_skb", NULL, KFUNC_CTX_DYNPTR },
	{ "bpf_iter_num_new", "bpf_iter_num_destroy", KFUNC_ITER },
	/* The builtin trusted keyring (id 0). */
	{ "bpf_lookup_system_key", "bpf_key_put", KFUNC_ACQUIRE, .arg = 0 },
};
#define NR_KFUNCS (sizeof(kfuncs_wanted) / sizeof(kfuncs_wanted[0]))

/* The program types that call them; tracing is tp_btf on sys_enter. */
static const struct {
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	const char *target;	/* the BTF typedef a BTF-typed program attaches to */
	bool sleepable;
} kfunc_types[] = {
	{ BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, "btf_trace_sys_enter" },
	{ BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ BPF_PROG_TYPE_SCHED_CLS },
	{ BPF_PROG_TYPE_XDP },
	/* The kernel loads syscall programs only as sleepable ones. */
	{ BPF_PROG_TYPE_SYSCALL, .sleepable = true },
};
#define NR_TYPES (sizeof(kfunc_types) / sizeof(kfunc_types[0]))

static const char *const verdict_names[] = {
	[KFUNC_ALLOWED] = "allowed",
	[KFUNC_NOT_ALLOWED] = "not allowed",
	[KFUNC_ERROR] = "error",
};

struct kfunc_matrix {
	struct kfunc_call calls[NR_KFUNCS];	/* ids filled in; 0 when not in BTF */
	bool tagged[NR_KFUNCS];
	struct kfunc_prog_type as[NR_TYPES];
	int present, nr_tagged, loads, loaded, errors;
	int allowed[NR_TYPES];
	char first_error[256];
	json_t *json;
};

/* The first characters first: most of the names in vmlinux BTF differ there. */
static bool same(const char *want, const char *name)
{
	return want && want[0] == name[0] && !strcmp(want, name);
}

/*
 * One pass over vmlinux BTF (a lookup by name is a pass of its own): the kfuncs' and their
 * partners' FUNCs and the typedefs BTF-typed programs attach to.
 */
static void find_ids(const struct btf *btf, struct kfunc_matrix *m)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_func(t) && !btf_is_typedef(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		for (size_t k = 0; btf_is_func(t) && k < NR_KFUNCS; k++) {
			if (same(m->calls[k].name, name))
				m->calls[k].id = id;
			if (same(m->calls[k].partner, name))
				m->calls[k].partner_id = id;
		}
		for (size_t i = 0; btf_is_typedef(t) && i < NR_TYPES; i++)
			if (same(kfunc_types[i].target, name))
				m->as[i].attach_btf_id = id;
	}
}

/* The "bpf_kfunc" declaration tags on the kfuncs found. */
static void find_tags(const struct btf *btf, struct kfunc_matrix *m)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1 ||
		    strcmp(btf__name_by_offset(btf, t->name_off), "bpf_kfunc"))
			continue;
		for (size_t k = 0; k < NR_KFUNCS; k++)
			if (m->calls[k].id && (__u32)m->calls[k].id == t->type && !m->tagged[k]) {
				m->tagged[k] = true;
				m->nr_tagged++;
			}
	}
}

/* The kfuncs' ids and tags, and the program types' attach targets. 0 or a negative errno. */
static int lookup(struct check_result *res, struct kfunc_matrix *m)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int err = libbpf_get_error(btf);

	if (err) {
		check_explain(res, err, "libbpf: parse vmlinux BTF",
			      (const char *const[]){ "CONFIG_DEBUG_INFO_BTF", NULL });
		return err;
	}
	for (size_t k = 0; k < NR_KFUNCS; k++)
		m->calls[k] = kfuncs_wanted[k];
	for (size_t t = 0; t < NR_TYPES; t++) {
		m->as[t].type = kfunc_types[t].type;
		m->as[t].attach = kfunc_types[t].attach;
		m->as[t].sleepable = kfunc_types[t].sleepable;
	}
	find_ids(btf, m);
	find_tags(btf, m);
	for (size_t k = 0; k < NR_KFUNCS; k++)
		m->present += m->calls[k].id > 0;
	btf__free(btf);
	return 0;
}

static const char *type_name(size_t t)
{
	return libbpf_bpf_prog_type_str(kfunc_types[t].type);
}

/* One cell: the kfunc k called by a program of type t. */
static void try_cell(struct kfunc_matrix *m, size_t k, size_t t,
		     const struct kfunc_prog_btf *pb, json_t *types, json_t *loaded, json_t *last)
{
	struct kfunc_try out;
	char cell[256];

	kfunc_prog_try(&m->calls[k], &m->as[t], pb, &out);
	m->loads++;
	m->loaded += out.loaded;
	m->allowed[t] += out.verdict == KFUNC_ALLOWED;
	snprintf(cell, sizeof(cell), "%s", verdict_names[out.verdict]);
	if (out.verdict == KFUNC_ERROR) {
		snprintf(cell, sizeof(cell), "error: %s", out.last);
		if (!m->errors++)
			snprintf(m->first_error, sizeof(m->first_error), "%s from %s: %s",
				 m->calls[k].name, type_name(t), out.last);
	}
	json_object_set_new(types, type_name(t), json_string(cell));
	json_object_set_new(loaded, type_name(t), json_boolean(out.loaded));
	json_object_set_new(last, type_name(t), json_string(out.last));
}

/* Every kfunc's entry in details; those in BTF called from each program type. */
static void fill_matrix(struct kfunc_matrix *m, const struct kfunc_prog_btf *pb)
{
	for (size_t k = 0; k < NR_KFUNCS; k++) {
		const struct kfunc_call *c = &m->calls[k];
		json_t *one = json_pack("{s:b s:i s:b s:s?}", "in_btf", c->id > 0, "btf_id", c->id,
					"tagged", m->tagged[k], "partner", c->partner);
		json_t *types, *loaded, *last;

		json_object_set_new(m->json, c->name, one);
		if (!c->id)
			continue;
		types = json_object();
		loaded = json_object();
		last = json_object();
		for (size_t t = 0; t < NR_TYPES; t++)
			try_cell(m, k, t, pb, types, loaded, last);
		json_object_set_new(one, "types", types);
		json_object_set_new(one, "loaded", loaded);
		json_object_set_new(one, "last_line", last);
	}
}

static void run_kfuncs(struct check_result *res)
{
	struct kfunc_prog_btf pb = { .fd = -1 };
	struct kfunc_matrix m = {};
	char names[256] = "", per_type[256] = "";
	json_t *allowed;
	int err, off = 0;

	check_detail_bool(res, "load_only", true);
	if (lookup(res, &m))
		return;
	m.json = json_object();
	check_detail_json(res, "kfuncs", m.json);
	check_detail_int(res, "in_btf", m.present);
	check_detail_int(res, "tagged", m.nr_tagged);
	if (!m.present) {
		for (size_t k = 0; k < NR_KFUNCS; k++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 k ? ", " : "", kfuncs_wanted[k].name);
		fill_matrix(&m, &pb);
		check_set(res, CHECK_UNSUPPORTED, "none of the %zu kfuncs asked about is in "
			  "vmlinux BTF: %s", NR_KFUNCS, names);
		return;
	}
	err = kfunc_prog_btf_load(&pb);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "load the programs' BTF into the kernel "
				"(btf__load_into_kernel)");
		return;
	}
	fill_matrix(&m, &pb);
	close(pb.fd);

	allowed = json_object();
	for (size_t t = 0; t < NR_TYPES; t++) {
		json_object_set_new(allowed, type_name(t), json_integer(m.allowed[t]));
		off += snprintf(per_type + off, sizeof(per_type) - off, "%s%s %d", t ? ", " : "",
				type_name(t), m.allowed[t]);
	}
	check_detail_json(res, "allowed", allowed);
	check_detail_int(res, "loads", m.loads);
	check_detail_int(res, "loaded", m.loaded);
	if (m.errors) {
		check_set(res, CHECK_ERROR, "%d of %d loads not classified (neither allowed nor "
			  "refused the kfunc); first: %s", m.errors, m.loads, m.first_error);
		return;
	}
	check_set(res, CHECK_PASS, "%d of %zu kfuncs in vmlinux BTF (%d tagged bpf_kfunc); "
		  "allowed per type: %s; %d of %d programs loaded", m.present, NR_KFUNCS,
		  m.nr_tagged, per_type, m.loaded, m.loads);
}

DEFINE_CHECK_SINCE(kfuncs, "load-only",
		   "which kfuncs vmlinux BTF has and which program types may call them (load-only)",
		   run_kfuncs, "kfunc calls from BPF programs", 5, 13);
