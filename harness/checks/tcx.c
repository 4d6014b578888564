// SPDX-License-Identifier: GPL-2.0
/*
 * tcx (Linux 6.6): the tc check's two programs attached to the ingress and egress of the same
 * veth end through tcx links (BPF links owned by file descriptors, no qdisc and no filter:
 * what Cilium and other current tools use instead of clsact), in the same private network
 * namespace; the same N datagrams in and M out must be counted with their payloads and
 * delivered. The links go when their descriptors close: nothing stays on the device.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "tc.h"

static const char *const cfg_tcx[] = { "CONFIG_NET_XGRESS", NULL };

static void run_tcx(struct check_result *res)
{
	struct netlab lab = NETLAB_INIT;
	struct bpf_link *links[2] = { NULL, NULL };
	struct tc_count_bpf *skel;
	char what[128];
	int err;

	if (!tc_caps(res))
		return;
	skel = tc_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'tc_count' BPF object");
		return;
	}
	skel->rodata->target_port = TC_PORT;
	skel->rodata->target_tgid = getpid();
	/* The attach type a tcx link takes is the program's expected one. */
	bpf_program__set_expected_attach_type(skel->progs.net_tc_ingress, BPF_TCX_INGRESS);
	bpf_program__set_expected_attach_type(skel->progs.net_tc_egress, BPF_TCX_EGRESS);
	err = tc_count_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'tc' programs for tcx", NULL);
		goto cleanup;
	}
	err = netlab_open(&lab, TC_PORT);
	if (lab.running_ms >= 0)
		check_detail_int(res, "veth_running_ms", (long long)lab.running_ms);
	if (err) {
		check_explain(res, err, lab.failed, lab.configs);
		goto cleanup;
	}
	for (int i = 0; i < 2; i++) {
		links[i] = bpf_program__attach_tcx(i ? skel->progs.net_tc_egress :
						       skel->progs.net_tc_ingress, lab.ifindex, NULL);
		if (!links[i]) {
			err = -errno;
			snprintf(what, sizeof(what), "attach a tcx link to %s of '%s'",
				 i ? "egress" : "ingress", NETLAB_DEV1);
			check_explain(res, err, what, cfg_tcx);
			goto cleanup;
		}
	}
	tc_verify(res, skel, &lab, "tcx");
cleanup:
	check_arrived(res, "tcx", 6, 6);
	for (int i = 0; i < 2; i++)
		bpf_link__destroy(links[i]);
	err = netlab_close(&lab);
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "setns() back to the original network "
				"namespace");
	tc_count_bpf__destroy(skel);
}

DEFINE_CHECK(tcx, "network",
	     "count N datagrams in and M out with tcx links on ingress/egress of a veth", run_tcx);
