// SPDX-License-Identifier: GPL-2.0
/*
 * The network checks against evidence the test gathers itself with other tools: iproute2
 * creates a veth pair and attaches XDP or tc filters in a private namespace of its own
 * (unshare -n, gone when the shell exits), the kernel config is read with zcat/grep, the
 * cgroup2 mount with awk, the attach types the kernel knows with bpftool from its BTF. And
 * after a run, also a killed one, nothing of the checks is left.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "integration.h"
#include "net_tests.h"
#include "support.h"

#define NET_CHECKS "xdp_generic,xdp_native,tc,tcx,cgroup_skb"
/* The checks' BPF program names, as 'bpftool prog show' prints them. */
#define NET_PROGS "name (net_xdp|net_tc_ingress|net_tc_egress|net_cg_egress|net_cg_ingress) "

Test(network, xdp_generic_matches_evidence)
{
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("xdp_generic");
	if (!net_evidence_veth()) {
		net_assert_no_veth_explained(doc, "xdp_generic");
	} else {
		/* Generic XDP works on every device: with a veth here, it must pass. */
		cr_assert_str_eq(probe_status(doc, "xdp_generic"), "pass", "reason: %s",
				 probe_reason(doc, "xdp_generic"));
		cr_assert_str_eq(net_detail_str(doc, "xdp_generic", "attach_mode"), "generic");
	}
	json_decref(doc);
}

Test(network, xdp_native_matches_evidence)
{
	char *out;
	json_t *doc;
	int st;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("xdp_native");
	if (!net_evidence_veth()) {
		net_assert_no_veth_explained(doc, "xdp_native");
		json_decref(doc);
		return;
	}
	/* iproute2 attaches in driver mode through netlink, not through a BPF link. */
	st = net_in_private_netns("ip link add bgt0 type veth peer name bgt1 && "
			      "ip link set bgt0 up && ip link set bgt1 up && "
			      "ip link set dev bgt1 xdpdrv obj build/xdp_count.bpf.o sec xdp",
			      &out);
	if (st != 0 && strstr(out, "Operation not supported")) {
		cr_assert_str_eq(probe_status(doc, "xdp_native"), "skipped", "ip said: %s", out);
		cr_assert(strstr(probe_reason(doc, "xdp_native"), "EOPNOTSUPP"), "reason: %s",
			  probe_reason(doc, "xdp_native"));
	} else {
		cr_assert_eq(st, 0, "ip could not attach XDP in driver mode: %s", out);
		cr_assert_str_eq(probe_status(doc, "xdp_native"), "pass", "reason: %s",
				 probe_reason(doc, "xdp_native"));
		cr_assert_str_eq(net_detail_str(doc, "xdp_native", "attach_mode"), "native");
	}
	free(out);
	json_decref(doc);
}

Test(network, tc_matches_evidence)
{
	/* Classic BPF bytecode: cls_bpf on clsact, without the check's own object. */
	static const char script[] =
		"ip link add bgt0 type veth peer name bgt1 && tc qdisc add dev bgt1 clsact && "
		"tc filter add dev bgt1 ingress bpf bytecode \"1,6 0 0 4294967295,\" && "
		"tc filter add dev bgt1 egress bpf bytecode \"1,6 0 0 4294967295,\"";
	char *out;
	json_t *doc;
	int st;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("tc");
	st = net_in_private_netns(script, &out);
	if (st == 0) {
		cr_assert_str_eq(probe_status(doc, "tc"), "pass", "reason: %s",
				 probe_reason(doc, "tc"));
		cr_assert(strstr(probe_reason(doc, "tc"), "ingress counted 8 of 8"));
	} else if (!net_evidence_veth()) {
		net_assert_no_veth_explained(doc, "tc");
	} else {
		cr_assert_str_neq(probe_status(doc, "tc"), "pass", "tc itself failed: %s", out);
		for (int i = 0; i < 2; i++) {
			const char *cfg = i ? "CONFIG_NET_CLS_BPF" : "CONFIG_NET_SCH_INGRESS";

			if (evidence_config(cfg) != 0)
				continue;
			cr_assert_str_eq(probe_status(doc, "tc"), "unsupported");
			cr_assert(strstr(probe_reason(doc, "tc"), cfg), "reason: %s",
				  probe_reason(doc, "tc"));
			break;
		}
	}
	free(out);
	json_decref(doc);
}

/*
 * tcx: the kernel has tcx links where its BTF names the attach type (enum bpf_attach_type's
 * BPF_TCX_INGRESS, read with bpftool); iproute2 here is too old to attach one itself.
 */
Test(network, tcx_matches_evidence)
{
	json_t *doc;
	bool has_tcx;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("tcx");
	has_tcx = evidence_btf_enum("BPF_TCX_INGRESS") >= 0;
	cr_assert_str_eq(net_detail_str(doc, "tcx", "arrived_in"), "6.6");
	if (!net_evidence_veth()) {
		net_assert_no_veth_explained(doc, "tcx");
	} else if (has_tcx) {
		cr_assert_str_eq(probe_status(doc, "tcx"), "pass", "reason: %s",
				 probe_reason(doc, "tcx"));
		cr_assert(strstr(probe_reason(doc, "tcx"), "tcx on veth"), "reason: %s",
			  probe_reason(doc, "tcx"));
		cr_assert(strstr(probe_reason(doc, "tcx"), "ingress counted 8 of 8"));
	} else {
		cr_assert_str_eq(probe_status(doc, "tcx"), "unsupported", "no BPF_TCX_INGRESS in "
				 "the kernel's BTF, yet: %s", probe_reason(doc, "tcx"));
		if (!evidence_kernel_at_least(6, 6))
			cr_assert(strstr(probe_reason(doc, "tcx"), "< 6.6 where tcx arrived"),
				  "reason: %s", probe_reason(doc, "tcx"));
	}
	json_decref(doc);
}

Test(network, cgroup_skb_matches_evidence)
{
	char *root, *out, cmd[512];
	const char *path;
	json_t *doc;
	int st;

	if (!evidence_root())
		cr_skip_test("needs root");
	doc = net_probe("cgroup_skb");
	root = sh("awk '$3 == \"cgroup2\" { print $2; exit }' /proc/mounts", NULL);
	root[strcspn(root, "\n")] = '\0';
	if (!root[0]) {
		cr_assert_str_eq(probe_status(doc, "cgroup_skb"), "unsupported");
		cr_assert(strstr(probe_reason(doc, "cgroup_skb"), "cgroup2"), "reason: %s",
			  probe_reason(doc, "cgroup_skb"));
	} else if (evidence_config("CONFIG_CGROUP_BPF") == 0) {
		cr_assert_str_eq(probe_status(doc, "cgroup_skb"), "unsupported");
		cr_assert(strstr(probe_reason(doc, "cgroup_skb"), "CONFIG_CGROUP_BPF"),
			  "reason: %s", probe_reason(doc, "cgroup_skb"));
	} else {
		/* A child cgroup can be made here: the check's temporary cgroup must work. */
		snprintf(cmd, sizeof(cmd), "mkdir %s/bgt-$$ && rmdir %s/bgt-$$", root, root);
		out = sh(cmd, &st);
		cr_assert_eq(st, 0, "cannot create a cgroup under %s: %s", root, out);
		free(out);
		cr_assert_str_eq(probe_status(doc, "cgroup_skb"), "pass", "reason: %s",
				 probe_reason(doc, "cgroup_skb"));
		path = net_detail_str(doc, "cgroup_skb", "cgroup");
		cr_assert_not_null(path);
		cr_assert(!strncmp(path, root, strlen(root)), "cgroup %s not under %s", path, root);
		cr_assert(!evidence_exists(path), "cgroup %s is still there", path);
	}
	free(root);
	json_decref(doc);
}

Test(network, nothing_left_after_a_run)
{
	char *before;
	const char *path;
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	before = net_named_netns();
	doc = net_probe(NET_CHECKS);
	net_assert_nothing_left(before, NET_PROGS, "after a run");
	path = net_detail_str(doc, "cgroup_skb", "cgroup");
	if (path)
		cr_assert(!evidence_exists(path), "cgroup %s is still there", path);
	free(before);
	json_decref(doc);
}

/*
 * Killed at some point of the network checks, a run leaves no namespace, device or program;
 * its temporary cgroup, if any, is removed by the next run.
 */
Test(network, nothing_left_after_a_kill)
{
	static const int delays_ms[] = { 2, 8, 15, 25, 40 };
	char *before, cmd[256], *out, when[64];
	json_t *doc;

	if (!evidence_root())
		cr_skip_test("needs root");
	before = net_named_netns();
	for (size_t i = 0; i < sizeof(delays_ms) / sizeof(delays_ms[0]); i++) {
		struct timespec ts = { .tv_nsec = delays_ms[i] * 1000L * 1000 };
		pid_t pid = net_spawn_probe(NET_CHECKS);

		cr_assert_gt(pid, 0);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(when, sizeof(when), "after a kill at %d ms", delays_ms[i]);
		net_assert_nothing_left(before, NET_PROGS, when);

		doc = net_probe("cgroup_skb");
		json_decref(doc);
		snprintf(cmd, sizeof(cmd), "ls $(awk '$3 == \"cgroup2\" { print $2; exit }' "
			 "/proc/mounts) | grep -c '^bpfgauge-%d-'", (int)pid);
		out = sh(cmd, NULL);
		cr_assert_eq(atoi(out), 0, "cgroup of killed run %d still there", (int)pid);
		free(out);
	}
	free(before);
}
