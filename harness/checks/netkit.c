// SPDX-License-Identifier: GPL-2.0
/*
 * netkit (Linux 6.7): a netkit pair between the lab's two private namespaces instead of a veth
 * pair (what Cilium puts between a pod and its host: BPF programs run in the device's own
 * transmit routine, with no qdisc and no tc hook), in L2 mode, its primary device in the lab
 * namespace. A program attached as the primary's policy through a netkit link (an fd-owned BPF
 * link) runs for every packet the primary sends to its peer: of the N datagrams sent there it
 * must count all, pass the first ones and drop the last D, and the peer's socket must receive
 * exactly the passed ones; M datagrams the peer sends back meet no program of the primary and
 * all arrive. The link goes with its descriptor, the pair with the namespaces.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/netlab.h"
#include "netkit_policy.skel.h"

#define NR_PASS 12
#define NR_DROP 4
#define NR_BACK 5
#define SEQ_DROP 100	/* the first sequence number the program drops */
#define SEQ_BACK 200
#define NETKIT_PORT 40003
#define WAIT_MS 250

static const char *const cfg_netkit[] = { "CONFIG_NETKIT", NULL };

/* The datagrams a socket received: those of the passed range, and any of the dropped one. */
static void sort_seqs(const __u32 *seqs, int n, int *passed, int *leaked)
{
	*passed = *leaked = 0;
	for (int i = 0; i < n; i++) {
		if (seqs[i] < NR_PASS)
			(*passed)++;
		else if (seqs[i] >= SEQ_DROP && seqs[i] < SEQ_DROP + NR_DROP)
			(*leaked)++;
	}
}

/* N through the primary (the last D of them to be dropped), M back from the peer; the verdict. */
static void verify(struct check_result *res, struct netkit_policy_bpf *skel, struct netlab *lab)
{
	__u32 seqs[NR_PASS + NR_DROP], back[NR_BACK];
	__u64 want_sum = (__u64)NR_PASS * (NR_PASS - 1) / 2;
	int err = 0, got, more, got_back, passed, leaked;
	struct netkit_policy_bpf__bss *b = skel->bss;

	/* Dropped ones go between passed ones; the last one sent is passed. */
	for (int i = 0; i < NR_PASS && !err; i++) {
		err = netlab_send(lab, 1, i);
		if (!err && i < NR_DROP)
			err = netlab_send(lab, 1, SEQ_DROP + i);
	}
	for (int i = 0; i < NR_BACK && !err; i++)
		err = netlab_send(lab, 0, SEQ_BACK + i);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "send UDP datagrams across netkit '%s'",
				NETLAB_DEV0 "/" NETLAB_DEV1);
		return;
	}
	/* The peer gets the passed ones in order: a leaked one would come before the last. */
	got = netlab_recv(lab, 0, seqs, NR_PASS, WAIT_MS);
	more = got < 0 ? got : netlab_recv(lab, 0, seqs + got, NR_DROP, 0);
	got_back = more < 0 ? more : netlab_recv(lab, 1, back, NR_BACK, WAIT_MS);
	if (got_back < 0) {
		check_set_errno(res, CHECK_ERROR, got_back, "receive on netkit '%s'",
				NETLAB_DEV0 "/" NETLAB_DEV1);
		return;
	}
	sort_seqs(seqs, got + more, &passed, &leaked);
	counter_wait(&b->hits, NR_PASS + NR_DROP, WAIT_MS);

	check_detail_int(res, "sent", NR_PASS + NR_DROP);
	check_detail_int(res, "counted", b->hits);
	check_detail_int(res, "dropped", b->dropped);
	check_detail_int(res, "received_pass", passed);
	check_detail_int(res, "received_drop", leaked);
	check_detail_int(res, "sent_back", NR_BACK);
	check_detail_int(res, "received_back", got_back);
	if (b->hits != NR_PASS + NR_DROP || b->dropped != NR_DROP) {
		check_set(res, CHECK_FAIL, "netkit primary '%s': sent %d datagrams through it and "
			  "%d back, its program counted %llu and dropped %llu (expected %d and %d)",
			  NETLAB_DEV1, NR_PASS + NR_DROP, NR_BACK, (unsigned long long)b->hits,
			  (unsigned long long)b->dropped, NR_PASS + NR_DROP, NR_DROP);
	} else if (b->seq_sum != want_sum) {
		check_set(res, CHECK_FAIL, "netkit primary '%s': the passed datagrams' sequence "
			  "numbers sum to %llu, expected %llu", NETLAB_DEV1,
			  (unsigned long long)b->seq_sum, (unsigned long long)want_sum);
	} else if (leaked) {
		check_set(res, CHECK_FAIL, "netkit primary '%s': NETKIT_DROP, yet the peer "
			  "received %d of %d", NETLAB_DEV1, leaked, NR_DROP);
	} else if (passed != NR_PASS || got_back != NR_BACK) {
		check_set(res, CHECK_FAIL, "netkit '%s': NETKIT_PASS, yet the peer received %d "
			  "of %d, and %d of %d came back", NETLAB_DEV0 "/" NETLAB_DEV1, passed,
			  NR_PASS, got_back, NR_BACK);
	} else {
		check_set(res, CHECK_PASS, "netkit (L2) primary '%s': its policy program counted "
			  "%d of %d datagrams, passed %d (delivered) and dropped %d (not "
			  "delivered); %d from the peer arrived past it (private netns)",
			  NETLAB_DEV1, NR_PASS + NR_DROP, NR_PASS + NR_DROP, NR_PASS, NR_DROP,
			  NR_BACK);
	}
}

static void run_netkit(struct check_result *res)
{
	struct netlab_opts opts = { .kind = NETLAB_NETKIT };
	struct netlab lab = NETLAB_INIT;
	struct netkit_policy_bpf *skel;
	struct bpf_link *link = NULL;
	char what[128];
	int err;

	if (netlab_caps_missing()) {
		check_set(res, CHECK_SKIPPED, "missing %s (needed for a private network namespace "
			  "with a netkit pair)", netlab_caps_missing());
		return;
	}
	skel = netkit_policy_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'netkit_policy' BPF object");
		return;
	}
	skel->rodata->target_port = NETKIT_PORT;
	skel->rodata->target_tgid = getpid();
	skel->rodata->drop_from = SEQ_DROP;
	err = netkit_policy_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'netkit/primary' program", NULL);
		goto cleanup;
	}
	err = netlab_open_opts(&lab, NETKIT_PORT, &opts);
	if (lab.running_ms >= 0)
		check_detail_int(res, "netkit_running_ms", (long long)lab.running_ms);
	if (err) {
		check_explain(res, err, lab.failed, lab.configs);
		goto cleanup;
	}
	check_detail_str(res, "mode", "l2");
	check_detail_str(res, "primary", NETLAB_DEV1);
	link = bpf_program__attach_netkit(skel->progs.net_netkit_primary, lab.ifindex, NULL);
	if (!link) {
		err = -errno;
		snprintf(what, sizeof(what), "attach a netkit link to primary '%s'", NETLAB_DEV1);
		check_explain(res, err, what, cfg_netkit);
		goto cleanup;
	}
	verify(res, skel, &lab);
cleanup:
	bpf_link__destroy(link);
	err = netlab_close(&lab);
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "setns() back to the original network "
				"namespace");
	netkit_policy_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(netkit, "network",
		   "pass N datagrams and drop D with a netkit link on a netkit pair's primary",
		   run_netkit, "netkit", 6, 7);
