// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_frags (XDP multi-buffer; BPF_F_XDP_HAS_FRAGS and veth's jumbo frames in XDP mode, Linux
 * 5.18): a veth pair with an MTU of 9000 on both ends, more than a page. At that MTU veth takes
 * a native (driver mode) XDP program only if it was loaded with BPF_F_XDP_HAS_FRAGS
 * (SEC("xdp.frags")): the check first tries the same program without the flag and records the
 * refusal (ERANGE: "Peer MTU is too large to set XDP"). N datagrams of 8000 bytes (frames of
 * 8042, over two pages) and M of 64 are sent to the receiving end; its program must see each
 * whole (bpf_xdp_get_buff_len() equal to the frame's length), the large ones split into a
 * linear part and fragments, and read each one's last four bytes (bpf_xdp_load_bytes(), from the
 * last fragment); it passes all, and all must arrive with their lengths.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/if_link.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/netlab.h"
#include "xdp_frags.skel.h"

#define NR_BIG 8
#define NR_SMALL 8
#define BIG_LEN 8000
#define SMALL_LEN 64
#define SEQ_SMALL 100
#define LAB_MTU 9000
#define FRAME_HDRS (14 + 20 + 8)	/* Ethernet, IPv4, UDP */
#define FRAGS_PORT 40004
#define WAIT_MS 250

/* The datagrams that arrived with the length they were sent with, of each size. */
static void count_received(const __u32 *seqs, const __u32 *lens, int n, int *big, int *small)
{
	*big = *small = 0;
	for (int i = 0; i < n; i++) {
		if (seqs[i] < NR_BIG && lens[i] == BIG_LEN)
			(*big)++;
		else if (seqs[i] >= SEQ_SMALL && seqs[i] < SEQ_SMALL + NR_SMALL &&
			 lens[i] == SMALL_LEN)
			(*small)++;
	}
}

static void verify(struct check_result *res, struct xdp_frags_bpf *skel, struct netlab *lab,
		   const char *what)
{
	__u32 seqs[NR_BIG + NR_SMALL], lens[NR_BIG + NR_SMALL];
	struct xdp_frags_bpf__bss *b = skel->bss;
	int err = 0, got, big, small;

	for (int i = 0; i < NR_BIG && !err; i++) {
		err = netlab_send_len(lab, 0, i, BIG_LEN);
		if (!err && i < NR_SMALL)
			err = netlab_send_len(lab, 0, SEQ_SMALL + i, SMALL_LEN);
	}
	got = err ?: netlab_recv_len(lab, 1, seqs, lens, NR_BIG + NR_SMALL, WAIT_MS);
	if (got < 0) {
		check_set_errno(res, CHECK_ERROR, got, "send to or receive on '%s'", NETLAB_DEV1);
		return;
	}
	count_received(seqs, lens, got, &big, &small);
	counter_wait(&b->big_hits, NR_BIG, WAIT_MS);
	counter_wait(&b->small_hits, NR_SMALL, WAIT_MS);

	check_detail_int(res, "big_sent", NR_BIG);
	check_detail_int(res, "big_frame_len", BIG_LEN + FRAME_HDRS);
	check_detail_int(res, "big_counted", b->big_hits);
	check_detail_int(res, "big_len_sum", b->big_len_sum);
	check_detail_int(res, "big_split", b->big_split);
	check_detail_int(res, "big_received", big);
	check_detail_int(res, "small_sent", NR_SMALL);
	check_detail_int(res, "small_frame_len", SMALL_LEN + FRAME_HDRS);
	check_detail_int(res, "small_counted", b->small_hits);
	check_detail_int(res, "small_len_sum", b->small_len_sum);
	check_detail_int(res, "small_received", small);
	check_detail_int(res, "tails_read", b->tails_ok);
	check_detail_int(res, "linear_max", b->linear_max);
	if (b->big_hits != NR_BIG || b->small_hits != NR_SMALL) {
		check_set(res, CHECK_FAIL, "%s: sent %d frames of %d bytes and %d of %d, the "
			  "program saw %llu over a page and %llu within one", what, NR_BIG,
			  BIG_LEN + FRAME_HDRS, NR_SMALL, SMALL_LEN + FRAME_HDRS,
			  (unsigned long long)b->big_hits, (unsigned long long)b->small_hits);
	} else if (b->big_len_sum != (__u64)NR_BIG * (BIG_LEN + FRAME_HDRS) ||
		   b->small_len_sum != (__u64)NR_SMALL * (SMALL_LEN + FRAME_HDRS)) {
		check_set(res, CHECK_FAIL, "%s: bpf_xdp_get_buff_len() summed to %llu and %llu, "
			  "expected %d x %d and %d x %d", what, (unsigned long long)b->big_len_sum,
			  (unsigned long long)b->small_len_sum, NR_BIG, BIG_LEN + FRAME_HDRS,
			  NR_SMALL, SMALL_LEN + FRAME_HDRS);
	} else if (b->big_split != NR_BIG) {
		check_set(res, CHECK_FAIL, "%s: %llu of %d frames over a page came in fragments "
			  "(the longest linear part: %llu bytes)", what,
			  (unsigned long long)b->big_split, NR_BIG,
			  (unsigned long long)b->linear_max);
	} else if (b->tails_ok != NR_BIG + NR_SMALL) {
		check_set(res, CHECK_FAIL, "%s: bpf_xdp_load_bytes() read the last bytes of %llu "
			  "of %d frames right", what, (unsigned long long)b->tails_ok,
			  NR_BIG + NR_SMALL);
	} else if (big != NR_BIG || small != NR_SMALL) {
		check_set(res, CHECK_FAIL, "%s: XDP_PASS, yet the socket received %d of %d "
			  "datagrams of %d bytes and %d of %d of %d", what, big, NR_BIG, BIG_LEN,
			  small, NR_SMALL, SMALL_LEN);
	} else {
		check_set(res, CHECK_PASS, "%s: %d frames of %d bytes seen whole across fragments "
			  "(linear part at most %llu) and %d of %d, their last bytes read; all "
			  "delivered (private netns)", what, NR_BIG, BIG_LEN + FRAME_HDRS,
			  (unsigned long long)b->linear_max, NR_SMALL, SMALL_LEN + FRAME_HDRS);
	}
}

/* Attaches prog in driver mode to the lab's end 1: the link's fd, or -errno. */
static int attach_native(struct bpf_program *prog, struct netlab *lab)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	int fd = bpf_link_create(bpf_program__fd(prog), lab->ifindex, BPF_XDP, &opts);

	return fd < 0 ? -errno : fd;
}

/* The driver's answer to a program without fragments at this MTU, for the record. */
static void try_linear(struct check_result *res, struct xdp_frags_bpf *skel, struct netlab *lab)
{
	int fd = attach_native(skel->progs.net_xdp_linear, lab);

	check_detail_str(res, "without_frags", fd < 0 ? errno_name(-fd) : "attached");
	if (fd >= 0)
		close(fd);
}

static void run_xdp_frags(struct check_result *res)
{
	struct netlab_opts opts = { .kind = NETLAB_VETH, .mtu = LAB_MTU };
	LIBBPF_OPTS(bpf_xdp_query_opts, query);
	long page = sysconf(_SC_PAGESIZE);
	struct netlab lab = NETLAB_INIT;
	struct xdp_frags_bpf *skel;
	int link_fd = -1, err;
	char what[128];

	if (netlab_caps_missing()) {
		check_set(res, CHECK_SKIPPED, "missing %s (needed for a private network namespace "
			  "with a veth pair)", netlab_caps_missing());
		return;
	}
	if (page <= 0 || BIG_LEN + FRAME_HDRS <= page) {
		check_set(res, CHECK_SKIPPED, "pages of %ld bytes: a frame of %d at MTU %d fits in "
			  "one", page, BIG_LEN + FRAME_HDRS, LAB_MTU);
		return;
	}
	skel = xdp_frags_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'xdp_frags' BPF object");
		return;
	}
	skel->rodata->target_port = FRAGS_PORT;
	skel->rodata->target_tgid = getpid();
	skel->rodata->page_size = page;
	err = xdp_frags_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'xdp.frags' program (BPF_F_XDP_HAS_FRAGS)", NULL);
		goto cleanup;
	}
	err = netlab_open_opts(&lab, FRAGS_PORT, &opts);
	if (lab.running_ms >= 0)
		check_detail_int(res, "veth_running_ms", (long long)lab.running_ms);
	if (err) {
		check_explain(res, err, lab.failed, lab.configs);
		goto cleanup;
	}
	check_detail_int(res, "mtu", LAB_MTU);
	check_detail_int(res, "page_size", page);
	try_linear(res, skel, &lab);
	link_fd = attach_native(skel->progs.net_xdp_frags, &lab);
	if (link_fd < 0) {
		err = link_fd;
		snprintf(what, sizeof(what), "attach 'xdp.frags' in native mode to veth '%s' at "
			 "MTU %d (bpf_link_create)", NETLAB_DEV1, LAB_MTU);
		if (err == -EOPNOTSUPP) {
			check_set_errno(res, CHECK_SKIPPED, err, "%s", what);
			check_reason_append(res, "the driver has no native XDP");
		} else if (err == -ERANGE) {
			check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
			check_reason_append(res, "the driver refuses XDP at this MTU even with "
					    "BPF_F_XDP_HAS_FRAGS");
		} else {
			check_explain(res, err, what, NULL);
		}
		goto cleanup;
	}
	snprintf(what, sizeof(what), "xdp.frags in native mode on veth '%s' at MTU %d",
		 NETLAB_DEV1, LAB_MTU);
	err = bpf_xdp_query(lab.ifindex, 0, &query);
	if (err) {
		check_set_errno(res, CHECK_ERROR, err, "query XDP on '%s'", NETLAB_DEV1);
		goto cleanup;
	}
	if (query.attach_mode != XDP_ATTACHED_DRV) {
		check_set(res, CHECK_FAIL, "%s: the kernel reports attach mode %u, not native",
			  what, query.attach_mode);
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
	xdp_frags_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(xdp_frags, "network",
		   "xdp.frags in native mode on a veth at MTU 9000 sees multi-page frames whole",
		   run_xdp_frags, "XDP multi-buffer (xdp.frags) on veth", 5, 18);
