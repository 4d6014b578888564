// SPDX-License-Identifier: GPL-2.0
/*
 * tc: in a private network namespace, add a clsact qdisc to one end of a veth pair and attach
 * a cls_bpf program to its ingress and one to its egress. Send N datagrams to that end and M
 * from it (N != M, so that swapped directions show); each program must count its own direction
 * with the right payloads, and both sides' sockets must receive what was sent.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/errno_name.h"
#include "tc.h"

#define NR_IN 8
#define NR_OUT 5
#define SEQ_OUT 100	/* first sequence number sent from the hooked end */
#define WAIT_MS 250

static const char *const cfg_qdisc[] = { "CONFIG_NET_SCH_INGRESS", "CONFIG_NET_CLS_ACT", NULL };
static const char *const cfg_cls[] = { "CONFIG_NET_CLS_BPF", "CONFIG_NET_CLS_ACT", NULL };

static __u64 seq_sum(__u32 first, int n)
{
	return (__u64)n * first + (__u64)n * (n - 1) / 2;
}

int tc_setup(struct check_result *res, struct tc_count_bpf **skel, struct netlab *lab, bool tcx)
{
	int err;

	*skel = NULL;
	if (netlab_caps_missing()) {
		check_set(res, CHECK_SKIPPED, "missing %s (needed for a private network namespace "
			  "with a veth pair)", netlab_caps_missing());
		return -1;
	}
	*skel = tc_count_bpf__open();
	if (!*skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'tc_count' BPF object");
		return -1;
	}
	(*skel)->rodata->target_port = TC_PORT;
	(*skel)->rodata->target_tgid = getpid();
	if (tcx) {
		/* The attach type a tcx link takes is the program's expected one. */
		bpf_program__set_expected_attach_type((*skel)->progs.net_tc_ingress,
						      BPF_TCX_INGRESS);
		bpf_program__set_expected_attach_type((*skel)->progs.net_tc_egress,
						      BPF_TCX_EGRESS);
	}
	err = tc_count_bpf__load(*skel);
	if (err) {
		check_explain(res, err, tcx ? "load 'tc' programs for tcx" : "load 'tc' programs",
			      NULL);
		return -1;
	}
	err = netlab_open(lab, TC_PORT);
	if (lab->running_ms >= 0)
		check_detail_int(res, "veth_running_ms", (long long)lab->running_ms);
	if (err) {
		check_explain(res, err, lab->failed, lab->configs);
		return -1;
	}
	return 0;
}

void tc_teardown(struct check_result *res, struct tc_count_bpf *skel, struct netlab *lab)
{
	int err = netlab_close(lab);

	if (err)
		check_set_errno(res, CHECK_ERROR, err, "setns() back to the original network "
				"namespace");
	tc_count_bpf__destroy(skel);
}

void tc_verify(struct check_result *res, struct tc_count_bpf *skel, struct netlab *lab,
	       const char *how)
{
	__u32 seqs[NR_IN > NR_OUT ? NR_IN : NR_OUT];
	int err = 0, got_in, got_out;

	for (int i = 0; i < NR_IN && !err; i++)
		err = netlab_send(lab, 0, i);
	for (int i = 0; i < NR_OUT && !err; i++)
		err = netlab_send(lab, 1, SEQ_OUT + i);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "send UDP datagrams across '%s'",
				NETLAB_DEV0 "/" NETLAB_DEV1);
		return;
	}
	got_in = netlab_recv(lab, 1, seqs, NR_IN, WAIT_MS);
	got_out = got_in < 0 ? got_in : netlab_recv(lab, 0, seqs, NR_OUT, WAIT_MS);
	if (got_out < 0) {
		check_set_errno(res, CHECK_ERROR, got_out, "receive on '%s'",
				NETLAB_DEV0 "/" NETLAB_DEV1);
		return;
	}
	counter_wait(&skel->bss->ingress_hits, NR_IN, WAIT_MS);
	counter_wait(&skel->bss->egress_hits, NR_OUT, WAIT_MS);

	check_detail_int(res, "ingress_sent", NR_IN);
	check_detail_int(res, "ingress_counted", skel->bss->ingress_hits);
	check_detail_int(res, "ingress_received", got_in);
	check_detail_int(res, "egress_sent", NR_OUT);
	check_detail_int(res, "egress_counted", skel->bss->egress_hits);
	check_detail_int(res, "egress_received", got_out);
	if (skel->bss->ingress_hits != NR_IN || skel->bss->egress_hits != NR_OUT) {
		check_set(res, CHECK_FAIL, "%s on '%s': sent %d in and %d out, counted %llu on "
			  "ingress and %llu on egress", how, NETLAB_DEV1, NR_IN, NR_OUT,
			  (unsigned long long)skel->bss->ingress_hits,
			  (unsigned long long)skel->bss->egress_hits);
	} else if (skel->bss->ingress_seq_sum != seq_sum(0, NR_IN) ||
		   skel->bss->egress_seq_sum != seq_sum(SEQ_OUT, NR_OUT)) {
		check_set(res, CHECK_FAIL, "%s on '%s': payload sums %llu/%llu, expected "
			  "%llu/%llu", how, NETLAB_DEV1, (unsigned long long)skel->bss->ingress_seq_sum,
			  (unsigned long long)skel->bss->egress_seq_sum,
			  (unsigned long long)seq_sum(0, NR_IN),
			  (unsigned long long)seq_sum(SEQ_OUT, NR_OUT));
	} else if (got_in != NR_IN || got_out != NR_OUT) {
		check_set(res, CHECK_FAIL, "%s on '%s': TC_ACT_OK, yet the sockets received "
			  "%d of %d in and %d of %d out", how, NETLAB_DEV1, got_in, NR_IN, got_out,
			  NR_OUT);
	} else {
		check_set(res, CHECK_PASS, "%s on veth '%s': ingress counted %d of %d, egress "
			  "%d of %d, all delivered (private netns)", how, NETLAB_DEV1, NR_IN, NR_IN,
			  NR_OUT, NR_OUT);
	}
}

static void run_tc(struct check_result *res)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	struct netlab lab = NETLAB_INIT;
	struct tc_count_bpf *skel;
	bool hooked = false;
	char what[128];
	int err;

	if (tc_setup(res, &skel, &lab, false))
		goto cleanup;
	hook.ifindex = lab.ifindex;
	err = bpf_tc_hook_create(&hook);
	if (err) {
		snprintf(what, sizeof(what), "create clsact qdisc on '%s' (bpf_tc_hook_create)",
			 NETLAB_DEV1);
		check_explain(res, err, what, cfg_qdisc);
		goto cleanup;
	}
	hooked = true;
	for (int i = 0; i < 2; i++) {
		struct bpf_program *prog = i ? skel->progs.net_tc_egress :
					       skel->progs.net_tc_ingress;
		LIBBPF_OPTS(bpf_tc_hook, one, .ifindex = lab.ifindex,
			    .attach_point = i ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(prog));

		err = bpf_tc_attach(&one, &opts);
		if (err) {
			snprintf(what, sizeof(what), "attach cls_bpf to %s of '%s' (bpf_tc_attach)",
				 i ? "egress" : "ingress", NETLAB_DEV1);
			check_explain(res, err, what, cfg_cls);
			goto cleanup;
		}
	}
	tc_verify(res, skel, &lab, "clsact");
cleanup:
	/* Deleting clsact deletes its filters; the namespace would take all of it along. */
	if (hooked && (err = bpf_tc_hook_destroy(&hook)) && res->status == CHECK_PASS)
		check_set_errno(res, CHECK_ERROR, err, "delete clsact qdisc on '%s'", NETLAB_DEV1);
	tc_teardown(res, skel, &lab);
}

DEFINE_CHECK(tc, "network",
	     "count N datagrams in and M out with cls_bpf on clsact ingress/egress of a veth",
	     run_tc);
