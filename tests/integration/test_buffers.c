// SPDX-License-Identifier: GPL-2.0
/*
 * ringbuf, perfbuf against what this kernel can create: libbpf_probe_bpf_map_type (a load-level
 * fact the checks do not rely on to pass) and bpftool's feature probe.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "integration.h"
#include "support.h"

/* 1 when bpftool says the map type is available, 0 when not, -1 without bpftool. */
static int bpftool_has_map(const char *name)
{
	char cmd[256], *out;
	int ret;

	snprintf(cmd, sizeof(cmd), "bpftool feature probe kernel 2>/dev/null | "
		 "grep -E '^eBPF map_type %s is (available|NOT available)'", name);
	out = sh(cmd, NULL);
	ret = strstr(out, "NOT available") ? 0 : strstr(out, "available") ? 1 : -1;
	free(out);
	return ret;
}

static void assert_buffer_check(const char *check, enum bpf_map_type type,
				const char *bpftool_name)
{
	int probe = libbpf_probe_bpf_map_type(type, NULL), tool = bpftool_has_map(bpftool_name);
	char args[64];
	json_t *doc, *c;

	if (!evidence_root())
		cr_skip_test("needs root");
	cr_assert_geq(probe, 0, "libbpf_probe_bpf_map_type: %d", probe);
	if (tool >= 0)
		cr_assert_eq(tool, probe, "bpftool and libbpf disagree on %s", bpftool_name);
	snprintf(args, sizeof(args), "--only %s", check);
	doc = probe_json(args, NULL);
	cr_assert_not_null(doc);
	if (probe == 1) {
		cr_assert_str_eq(probe_status(doc, check), "pass", "reason: %s",
				 probe_reason(doc, check));
		c = json_object_get(probe_find(doc, check), "details");
		cr_assert_eq(json_integer_value(json_object_get(c, "received")),
			     json_integer_value(json_object_get(c, "calls")));
	} else {
		cr_assert_str_eq(probe_status(doc, check), "unsupported");
		cr_assert(strstr(probe_reason(doc, check), "this kernel has no"), "reason: %s",
			  probe_reason(doc, check));
	}
	json_decref(doc);
}

Test(buffers, ringbuf_passes_where_the_map_type_exists)
{
	assert_buffer_check("ringbuf", BPF_MAP_TYPE_RINGBUF, "ringbuf");
}

Test(buffers, perfbuf_passes_where_the_map_type_exists)
{
	assert_buffer_check("perfbuf", BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array");
}
