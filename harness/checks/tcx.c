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

	if (tc_setup(res, &skel, &lab, true))
		goto cleanup;
	for (int i = 0; i < 2; i++) {
		links[i] = bpf_program__attach_tcx(i ? skel->progs.net_tc_egress :
						       skel->progs.net_tc_ingress, lab.ifindex, NULL);
		if (!links[i]) {
			int err = -errno;

			snprintf(what, sizeof(what), "attach a tcx link to %s of '%s'",
				 i ? "egress" : "ingress", NETLAB_DEV1);
			check_explain(res, err, what, cfg_tcx);
			goto cleanup;
		}
	}
	tc_verify(res, skel, &lab, "tcx");
cleanup:
	for (int i = 0; i < 2; i++)
		bpf_link__destroy(links[i]);
	tc_teardown(res, skel, &lab);
}

DEFINE_CHECK_SINCE(tcx, "network",
		   "count N datagrams in and M out with tcx links on ingress/egress of a veth",
		   run_tcx, "tcx", 6, 6);
