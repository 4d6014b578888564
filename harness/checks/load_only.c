// SPDX-License-Identifier: GPL-2.0
/*
 * maps, helpers: load-only probes (libbpf_probe_bpf_map_type / _helper), the level of
 * 'bpftool feature probe', for the map types and helpers bpfgauge's programs rely on.
 * They say a map can be created or a helper is known to the verifier, nothing more.
 */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/errno_name.h"

struct map_need {
	enum bpf_map_type type;
	const char *name;
};

static const struct map_need maps_needed[] = {
	{ BPF_MAP_TYPE_HASH, "hash" },
	{ BPF_MAP_TYPE_ARRAY, "array" },
	{ BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash" },
	{ BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array" },
	{ BPF_MAP_TYPE_LRU_HASH, "lru_hash" },
	{ BPF_MAP_TYPE_STACK_TRACE, "stack_trace" },
	{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array" },
	{ BPF_MAP_TYPE_RINGBUF, "ringbuf" },
	{ BPF_MAP_TYPE_TASK_STORAGE, "task_storage" },
};

struct helper_need {
	enum bpf_prog_type prog_type;
	enum bpf_func_id id;
	const char *name;
};

static const struct helper_need helpers_needed[] = {
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_ktime_get_ns, "ktime_get_ns" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_current_pid_tgid, "get_current_pid_tgid" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_current_task, "get_current_task" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_probe_read_kernel, "probe_read_kernel" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_probe_read_user, "probe_read_user" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_stackid, "get_stackid" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_perf_event_output, "perf_event_output" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_ringbuf_output, "ringbuf_output" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_ringbuf_reserve, "ringbuf_reserve" },
	{ BPF_PROG_TYPE_KPROBE, BPF_FUNC_ringbuf_submit, "ringbuf_submit" },
	{ BPF_PROG_TYPE_PERF_EVENT, BPF_FUNC_get_stackid, "get_stackid (perf_event)" },
	{ BPF_PROG_TYPE_XDP, BPF_FUNC_redirect, "redirect (xdp)" },
	{ BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_skb_load_bytes, "skb_load_bytes (tc)" },
};

/* Appends name to a comma-separated list. */
static void list_add(char *list, size_t sz, const char *name)
{
	size_t len = strlen(list);

	snprintf(list + len, sz - len, "%s%s", len ? ", " : "", name);
}

static void run_maps(struct check_result *res)
{
	size_t n = sizeof(maps_needed) / sizeof(maps_needed[0]), ok = 0;
	json_t *types = json_object();
	char missing[256] = "";

	check_detail_bool(res, "load_only", true);
	for (size_t i = 0; i < n; i++) {
		int r = libbpf_probe_bpf_map_type(maps_needed[i].type, NULL);

		json_object_set_new(types, maps_needed[i].name, json_boolean(r == 1));
		if (r == 1) {
			ok++;
		} else if (r < 0) {
			char what[64];

			snprintf(what, sizeof(what), "%s (%s)", maps_needed[i].name, errno_name(r));
			list_add(missing, sizeof(missing), what);
		} else {
			list_add(missing, sizeof(missing), maps_needed[i].name);
		}
	}
	check_detail_json(res, "map_types", types);
	if (ok == n)
		check_set(res, CHECK_PASS, "load-only: all %zu map types bpfgauge uses can be created",
			  n);
	else
		check_set(res, CHECK_UNSUPPORTED, "load-only: %zu of %zu map types missing: %s",
			  n - ok, n, missing);
}

static void run_helpers(struct check_result *res)
{
	size_t n = sizeof(helpers_needed) / sizeof(helpers_needed[0]), ok = 0;
	json_t *helpers = json_object();
	char missing[384] = "";

	check_detail_bool(res, "load_only", true);
	for (size_t i = 0; i < n; i++) {
		const struct helper_need *h = &helpers_needed[i];
		int r = libbpf_probe_bpf_helper(h->prog_type, h->id, NULL);

		json_object_set_new(helpers, h->name, json_boolean(r == 1));
		if (r == 1)
			ok++;
		else
			list_add(missing, sizeof(missing), h->name);
	}
	check_detail_json(res, "helpers", helpers);
	if (ok == n)
		check_set(res, CHECK_PASS, "load-only: all %zu helpers bpfgauge uses are known to the "
			  "verifier", n);
	else
		check_set(res, CHECK_UNSUPPORTED, "load-only: %zu of %zu helpers unknown: %s", n - ok,
			  n, missing);
}

DEFINE_CHECK(maps, "load-only", "map types bpfgauge uses can be created (load-only)", run_maps);
DEFINE_CHECK(helpers, "load-only", "helpers bpfgauge uses are known to the verifier (load-only)",
	     run_helpers);
