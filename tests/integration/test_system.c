// SPDX-License-Identifier: GPL-2.0
/* System facts and the first functional checks, each against evidence gathered here. */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"

static json_t *doc;

static void run_probe(void)
{
	int code;

	doc = probe_json("--only bpf_syscall,jit,unprivileged_bpf,lockdown,capabilities,"
			 "kernel_config,tracefs,bpffs,btf,core,tracepoint,raw_tracepoint,tp_btf,"
			 "maps,helpers", &code);
	cr_assert_not_null(doc, "probe --json did not print JSON");
	cr_assert_eq(code, 0);
}

static void drop_probe(void)
{
	json_decref(doc);
}

TestSuite(system, .init = run_probe, .fini = drop_probe);

static json_t *details(const char *name)
{
	return json_object_get(probe_find(doc, name), "details");
}

static long sysctl_value(const char *path)
{
	char cmd[256], *out;
	long v;

	snprintf(cmd, sizeof(cmd), "cat %s 2>/dev/null", path);
	out = sh(cmd, NULL);
	v = out[0] ? strtol(out, NULL, 10) : -1;
	free(out);
	return v;
}

#define assert_status(name, expect)                                                          \
	cr_assert_str_eq(probe_status(doc, name), expect, "%s: %s", name, probe_reason(doc, name))

Test(system, bpf_syscall_matches_raw_syscall)
{
	union bpf_attr attr = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
				.max_entries = 1 };
	int fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));

	assert_status("bpf_syscall", fd >= 0 ? "pass" : errno == ENOSYS ? "unsupported" : "fail");
	if (fd >= 0)
		close(fd);
}

Test(system, jit_matches_sysctl)
{
	long enable = sysctl_value("/proc/sys/net/core/bpf_jit_enable");

	assert_status("jit", enable > 0 ? "pass" : "unsupported");
	cr_assert_eq(json_integer_value(json_object_get(details("jit"), "bpf_jit_harden")),
		     sysctl_value("/proc/sys/net/core/bpf_jit_harden"));
}

Test(system, unprivileged_bpf_matches_sysctl)
{
	long disabled = sysctl_value("/proc/sys/kernel/unprivileged_bpf_disabled");
	char want[64];

	if (disabled == 0) {
		assert_status("unprivileged_bpf", "pass");
		return;
	}
	assert_status("unprivileged_bpf", "unsupported");
	snprintf(want, sizeof(want), "unprivileged_bpf_disabled=%ld", disabled);
	cr_assert(strstr(probe_reason(doc, "unprivileged_bpf"), want), "%s",
		  probe_reason(doc, "unprivileged_bpf"));
	cr_assert(strstr(probe_reason(doc, "unprivileged_bpf"), "EPERM"));
}

Test(system, lockdown_matches_securityfs)
{
	const char *mode = evidence_lockdown();

	assert_status("lockdown", strcmp(mode, "none") ? "unsupported" : "pass");
	cr_assert_str_eq(json_string_value(json_object_get(details("lockdown"), "mode")), mode);
}

Test(system, capabilities_match_capeff)
{
	char *out = sh("awk '/^CapEff/ {print $2}' /proc/self/status", NULL);
	unsigned long long eff = strtoull(out, NULL, 16);
	const int caps[] = { 39, 38, 21, 12 };
	bool all = true;

	for (int i = 0; i < 4; i++)
		all &= !!(eff & (1ULL << caps[i]));
	assert_status("capabilities", all ? "pass" : "unsupported");
	free(out);
}

Test(system, kernel_config_values_match_zcat)
{
	const char *opts[] = { "CONFIG_KPROBES", "CONFIG_BPF_SYSCALL", "CONFIG_FPROBE",
			       "CONFIG_UPROBES" };
	json_t *values = json_object_get(details("kernel_config"), "values");

	if (evidence_config("CONFIG_BPF") < 0) {
		assert_status("kernel_config", "unsupported");
		return;
	}
	assert_status("kernel_config", "pass");
	for (int i = 0; i < 4; i++) {
		json_t *v = json_object_get(values, opts[i]);

		cr_assert_not_null(v, "%s missing from details", opts[i]);
		cr_assert_eq(!json_is_null(v), evidence_config(opts[i]) == 1, "%s", opts[i]);
	}
}

Test(system, pseudo_filesystems_are_mounted_where_said)
{
	const char *names[] = { "tracefs", "bpffs" };
	const char *types[] = { "tracefs", "bpf" };

	for (int i = 0; i < 2; i++) {
		const char *path = json_string_value(json_object_get(details(names[i]), "path"));
		char cmd[256], *out;

		assert_status(names[i], "pass");
		cr_assert_not_null(path);
		snprintf(cmd, sizeof(cmd), "findmnt -n -o FSTYPE --mountpoint %s", path);
		out = sh(cmd, NULL);
		cr_assert(strstr(out, types[i]), "%s at %s is '%s'", names[i], path, out);
		free(out);
	}
}

Test(system, btf_type_count_matches_bpftool)
{
	char *out;

	if (!evidence_exists("/sys/kernel/btf/vmlinux")) {
		cr_assert_str_neq(probe_status(doc, "btf"), "pass");
		cr_assert_str_neq(probe_status(doc, "core"), "pass");
		return;
	}
	assert_status("btf", "pass");
	assert_status("core", "pass");
	out = sh("bpftool btf dump file /sys/kernel/btf/vmlinux | grep -c '^\\['", NULL);
	/* libbpf counts type 0 (void), which bpftool does not print. */
	cr_assert_eq(json_integer_value(json_object_get(details("btf"), "types")),
		     strtol(out, NULL, 10) + 1);
	free(out);
}

Test(system, tracepoints_match_config_and_count_exactly)
{
	const char *names[] = { "tracepoint", "raw_tracepoint", "tp_btf" };
	bool ok = evidence_config("CONFIG_BPF_EVENTS") == 1 &&
		  evidence_config("CONFIG_FTRACE_SYSCALLS") == 1;

	for (int i = 0; i < 3; i++) {
		json_t *d = details(names[i]);

		if (!ok) {
			cr_assert_str_neq(probe_status(doc, names[i]), "pass");
			continue;
		}
		assert_status(names[i], "pass");
		cr_assert_gt(json_integer_value(json_object_get(d, "calls")), 0);
		cr_assert_eq(json_integer_value(json_object_get(d, "counted")),
			     json_integer_value(json_object_get(d, "calls")), "%s", names[i]);
	}
}

/* bpftool's own probe, a different loader, must agree with the load-only checks. */
Test(system, load_only_checks_agree_with_bpftool)
{
	char *out = sh("bpftool feature probe kernel 2>/dev/null", NULL);
	json_t *types = json_object_get(details("maps"), "map_types"), *v;
	const char *name;

	cr_assert(strstr(out, "map_type"), "bpftool feature probe printed nothing useful");
	json_object_foreach(types, name, v) {
		char line[128];

		snprintf(line, sizeof(line), "eBPF map_type %s is available", name);
		cr_assert_eq(json_is_true(v), strstr(out, line) != NULL, "%s", name);
	}
	cr_assert_eq(strcmp(probe_status(doc, "maps"), "pass") == 0,
		     strstr(out, "map_type ringbuf is NOT available") == NULL &&
		     strstr(out, "map_type task_storage is NOT available") == NULL);
	free(out);
}
