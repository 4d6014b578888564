// SPDX-License-Identifier: GPL-2.0
/*
 * The kfuncs check against other evidence: what bpftool reads in the kernel's BTF (each kfunc's
 * FUNC and its id, the "bpf_kfunc" declaration tag on it), and permissions the kernel's source
 * fixes for every kernel that has the kfunc:
 * - bpf_iter_num_new is in the kernel's common kfunc set, registered for no program type in
 *   particular, which the verifier lets every program type call;
 * - bpf_dynptr_from_skb's set is registered for the program types that carry an skb (sched_cls
 *   among them; tracing too on newer kernels), never for XDP (which has bpf_dynptr_from_xdp)
 *   nor for syscall programs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"

static json_t *kfuncs_of(json_t *doc)
{
	json_t *kf = json_object_get(json_object_get(probe_find(doc, "kfuncs"), "details"),
				     "kfuncs");

	cr_assert(json_is_object(kf) && json_object_size(kf) > 0, "kfuncs: no details.kfuncs");
	return kf;
}

/* bpftool's lines for the kfuncs' FUNCs and for every bpf_kfunc tag. */
static char *bpftool_lines(json_t *kf)
{
	char cmd[1024] = "bpftool btf dump file /sys/kernel/btf/vmlinux | grep -E \"FUNC '(";
	const char *name;
	json_t *v;
	int off = strlen(cmd), first = 1;

	json_object_foreach(kf, name, v) {
		off += snprintf(cmd + off, sizeof(cmd) - off, "%s%s", first ? "" : "|", name);
		first = 0;
	}
	snprintf(cmd + off, sizeof(cmd) - off, ")' |DECL_TAG 'bpf_kfunc' \" || true");
	return sh(cmd, NULL);
}

/* The id bpftool gives the FUNC named name, 0 when it has none. */
static long long bpftool_func_id(const char *lines, const char *name)
{
	char want[128];
	const char *at;

	snprintf(want, sizeof(want), "] FUNC '%s' ", name);
	at = strstr(lines, want);
	if (!at)
		return 0;
	while (at > lines && at[-1] != '[')
		at--;
	return atoll(at);
}

Test(kfuncs, btf_lookup_matches_bpftool)
{
	json_t *doc = probe_json("--only kfuncs", NULL), *kf, *one;
	long long present = 0, tagged = 0;
	const char *name;
	char *lines, tag[96];

	cr_assert_not_null(doc);
	kf = kfuncs_of(doc);
	lines = bpftool_lines(kf);
	json_object_foreach(kf, name, one) {
		long long id = bpftool_func_id(lines, name);
		bool has_tag;

		cr_assert_eq(json_is_true(json_object_get(one, "in_btf")), id > 0,
			     "%s: in_btf disagrees with bpftool (id %lld)", name, id);
		if (!id)
			continue;
		present++;
		cr_assert_eq(json_integer_value(json_object_get(one, "btf_id")), id,
			     "%s: btf_id disagrees with bpftool's %lld", name, id);
		snprintf(tag, sizeof(tag), "DECL_TAG 'bpf_kfunc' type_id=%lld component_idx=-1",
			 id);
		has_tag = strstr(lines, tag) != NULL;
		tagged += has_tag;
		cr_assert_eq(json_is_true(json_object_get(one, "tagged")), has_tag,
			     "%s: tagged disagrees with bpftool", name);
	}
	cr_assert_eq(probe_detail_int(doc, "kfuncs", "in_btf"), present);
	cr_assert_eq(probe_detail_int(doc, "kfuncs", "tagged"), tagged);
	if (present) {
		cr_assert_str_eq(probe_status(doc, "kfuncs"), "pass", "%s",
				 probe_reason(doc, "kfuncs"));
	} else {
		cr_assert_str_eq(probe_status(doc, "kfuncs"), "unsupported");
		cr_assert(strstr(probe_reason(doc, "kfuncs"), "none of the"), "%s",
			  probe_reason(doc, "kfuncs"));
	}
	free(lines);
	json_decref(doc);
}

static const char *cell(json_t *kf, const char *kfunc, const char *type)
{
	const char *s = json_string_value(json_object_get(
		json_object_get(json_object_get(kf, kfunc), "types"), type));

	cr_assert_not_null(s, "%s: no verdict for %s programs", kfunc, type);
	return s;
}

static bool in_btf(json_t *kf, const char *kfunc)
{
	return json_is_true(json_object_get(json_object_get(kf, kfunc), "in_btf"));
}

Test(kfuncs, permissions_match_the_kernel_source)
{
	json_t *doc = probe_json("--only kfuncs", NULL), *kf, *allowed, *one, *types, *v;
	const char *name, *type;

	cr_assert_not_null(doc);
	kf = kfuncs_of(doc);
	allowed = json_object_get(json_object_get(probe_find(doc, "kfuncs"), "details"),
				  "allowed");
	if (in_btf(kf, "bpf_iter_num_new")) {
		types = json_object_get(json_object_get(kf, "bpf_iter_num_new"), "types");
		json_object_foreach(types, type, v)
			cr_assert_str_eq(json_string_value(v), "allowed",
					 "bpf_iter_num_new from %s programs", type);
	}
	if (in_btf(kf, "bpf_dynptr_from_skb")) {
		cr_assert_str_eq(cell(kf, "bpf_dynptr_from_skb", "sched_cls"), "allowed");
		cr_assert_str_eq(cell(kf, "bpf_dynptr_from_skb", "xdp"), "not allowed");
		cr_assert_str_eq(cell(kf, "bpf_dynptr_from_skb", "syscall"), "not allowed");
	}
	/* Every cell classified, and each type's count in details.allowed as the cells say. */
	json_object_foreach(allowed, type, v) {
		long long n = 0;

		json_object_foreach(kf, name, one) {
			const char *s;

			if (!in_btf(kf, name))
				continue;
			s = cell(kf, name, type);
			cr_assert(!strcmp(s, "allowed") || !strcmp(s, "not allowed"),
				  "%s from %s programs: %s", name, type, s);
			n += !strcmp(s, "allowed");
		}
		cr_assert_eq(json_integer_value(v), n, "%s: %lld allowed, the cells say %lld",
			     type, (long long)json_integer_value(v), n);
	}
	json_decref(doc);
}
