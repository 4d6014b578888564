// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_generic, xdp_native: in a private network namespace, attach an XDP program as a link to
 * the receiving end of a veth pair (generic = skb mode, native = driver mode), send it N UDP
 * datagrams the program passes and N it drops, then one more it passes. The program must count
 * all of them with the right payload, the socket behind it must receive the passed ones and none
 * of the dropped ones.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/if_link.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/netlab.h"
#include "xdp_count.skel.h"

#define NR_SENT 16
#define XDP_PORT 40001
#define WAIT_MS 250

static const char *attach_mode_name(__u8 mode)
{
	switch (mode) {
	case XDP_ATTACHED_NONE: return "none";
	case XDP_ATTACHED_DRV: return "native";
	case XDP_ATTACHED_SKB: return "generic";
	case XDP_ATTACHED_HW: return "offload";
	case XDP_ATTACHED_MULTI: return "multi";
	default: return "?";
	}
}

/* Sends datagrams first..first+n-1 from end 0 to end 1; 0 or -errno. */
static int send_seqs(struct netlab *lab, __u32 first, int n)
{
	int err = 0;

	for (int i = 0; i < n && !err; i++)
		err = netlab_send(lab, 0, first + i);
	return err;
}

static void lab_broke(struct check_result *res, int err)
{
	check_set_errno(res, CHECK_ERROR, err, "send to or receive on '%s'", NETLAB_DEV1);
}

/* The three rounds: pass N, drop N, pass one. Sets the verdict. */
static void verify(struct check_result *res, struct xdp_count_bpf *skel, struct netlab *lab,
		   const char *what)
{
	__u32 seqs[NR_SENT + 1];
	int err, got, leaked;

	skel->bss->drop = 0;
	err = send_seqs(lab, 0, NR_SENT);
	got = err ?: netlab_recv(lab, 1, seqs, NR_SENT, WAIT_MS);
	if (got < 0) {
		lab_broke(res, got);
		return;
	}
	counter_wait(&skel->bss->hits, NR_SENT, WAIT_MS);
	check_detail_int(res, "sent_pass", NR_SENT);
	check_detail_int(res, "received_pass", got);
	if (skel->bss->hits != NR_SENT) {
		check_set(res, CHECK_FAIL, "%s: sent %d datagrams, the program saw %llu", what,
			  NR_SENT, (unsigned long long)skel->bss->hits);
		return;
	}
	if (got != NR_SENT) {
		check_set(res, CHECK_FAIL, "%s: XDP_PASS, yet the socket received %d of %d", what,
			  got, NR_SENT);
		return;
	}

	skel->bss->drop = 1;
	err = send_seqs(lab, NR_SENT, NR_SENT);
	if (err) {
		lab_broke(res, err);
		return;
	}
	counter_wait(&skel->bss->hits, 2 * NR_SENT, WAIT_MS);
	/* One veth queue delivers in order: a dropped datagram that leaked would come first. */
	skel->bss->drop = 0;
	err = send_seqs(lab, 2 * NR_SENT, 1);
	got = err ?: netlab_recv(lab, 1, seqs, 1, WAIT_MS);
	leaked = got < 0 ? got : netlab_recv(lab, 1, seqs + 1, NR_SENT, 0);
	if (leaked < 0) {
		lab_broke(res, leaked);
		return;
	}
	leaked += got == 1 && seqs[0] != 2 * NR_SENT;
	counter_wait(&skel->bss->hits, 2 * NR_SENT + 1, WAIT_MS);
	check_detail_int(res, "sent_drop", NR_SENT);
	check_detail_int(res, "received_drop", leaked);
	check_detail_int(res, "counted", skel->bss->hits);
	if (skel->bss->hits != 2 * NR_SENT + 1 || skel->bss->dropped != NR_SENT) {
		check_set(res, CHECK_FAIL, "%s: sent %d datagrams, the program saw %llu and "
			  "dropped %llu of %d", what, 2 * NR_SENT + 1,
			  (unsigned long long)skel->bss->hits,
			  (unsigned long long)skel->bss->dropped, NR_SENT);
	} else if (leaked) {
		check_set(res, CHECK_FAIL, "%s: XDP_DROP, yet the socket received %d of %d",
			  what, leaked, NR_SENT);
	} else if (got != 1) {
		check_set(res, CHECK_FAIL, "%s: XDP_PASS after XDP_DROP: the last datagram did "
			  "not arrive", what);
	} else if (skel->bss->last_seq != 2 * NR_SENT) {
		check_set(res, CHECK_FAIL, "%s: payload read as sequence %u, expected %d", what,
			  skel->bss->last_seq, 2 * NR_SENT);
	} else {
		check_set(res, CHECK_PASS, "%s: %d of %d datagrams seen; XDP_PASS delivered %d, "
			  "XDP_DROP dropped %d (private netns)", what, 2 * NR_SENT + 1,
			  2 * NR_SENT + 1, NR_SENT + 1, NR_SENT);
	}
}

static void run_xdp(struct check_result *res, __u32 flags)
{
	const char *mode = flags == XDP_FLAGS_SKB_MODE ? "generic" : "native";
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	LIBBPF_OPTS(bpf_xdp_query_opts, query);
	struct netlab lab = NETLAB_INIT;
	struct xdp_count_bpf *skel;
	int link_fd = -1, err;
	char what[96];

	snprintf(what, sizeof(what), "%s XDP on veth '%s'", mode, NETLAB_DEV1);
	if (netlab_caps_missing()) {
		check_set(res, CHECK_SKIPPED, "missing %s (needed for a private network namespace "
			  "with a veth pair)", netlab_caps_missing());
		return;
	}
	skel = xdp_count_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'xdp_count' BPF object");
		return;
	}
	skel->rodata->target_port = XDP_PORT;
	skel->rodata->target_tgid = getpid();
	err = xdp_count_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'xdp' program", NULL);
		goto cleanup;
	}
	err = netlab_open(&lab, XDP_PORT);
	if (lab.running_ms >= 0)
		check_detail_int(res, "veth_running_ms", (long long)lab.running_ms);
	if (err) {
		check_explain(res, err, lab.failed, lab.configs);
		goto cleanup;
	}

	link_fd = bpf_link_create(bpf_program__fd(skel->progs.net_xdp), lab.ifindex,
				  BPF_XDP, &opts);
	if (link_fd < 0) {
		err = -errno;
		snprintf(what, sizeof(what), "attach XDP in %s mode to veth '%s' (bpf_link_create)",
			 mode, NETLAB_DEV1);
		if (flags == XDP_FLAGS_DRV_MODE && err == -EOPNOTSUPP) {
			check_set_errno(res, CHECK_SKIPPED, err, "%s", what);
			check_reason_append(res, "the driver has no native XDP");
		} else {
			check_explain(res, err, what, NULL);
		}
		goto cleanup;
	}
	err = bpf_xdp_query(lab.ifindex, 0, &query);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "query XDP on '%s'", NETLAB_DEV1);
		goto cleanup;
	}
	check_detail_str(res, "attach_mode", attach_mode_name(query.attach_mode));
	if (query.attach_mode != (flags == XDP_FLAGS_SKB_MODE ? XDP_ATTACHED_SKB :
				  XDP_ATTACHED_DRV)) {
		check_set(res, CHECK_FAIL, "%s: asked for %s mode, the kernel reports %s", what,
			  mode, attach_mode_name(query.attach_mode));
		goto cleanup;
	}
	verify(res, skel, &lab, what);
cleanup:
	if (link_fd >= 0)
		close(link_fd);
	err = netlab_close(&lab);
	if (err)
		check_set_errno(res, CHECK_ERROR, err, "setns() back to the original network "
				"namespace");
	xdp_count_bpf__destroy(skel);
}

static void run_xdp_generic(struct check_result *res)
{
	run_xdp(res, XDP_FLAGS_SKB_MODE);
}

static void run_xdp_native(struct check_result *res)
{
	run_xdp(res, XDP_FLAGS_DRV_MODE);
}

DEFINE_CHECK(xdp_generic, "network",
	     "pass and drop N UDP datagrams with generic (skb) XDP on a veth in a private netns",
	     run_xdp_generic);
DEFINE_CHECK(xdp_native, "network",
	     "pass and drop N UDP datagrams with native (driver) XDP on a veth in a private netns",
	     run_xdp_native);
