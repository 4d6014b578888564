// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP congestion control written in BPF (struct tcp_congestion_ops as a struct_ops map,
 * registered through a link): Reno's slow start and additive increase, halving on loss. Each
 * callback counts its calls and remembers the ports of the socket it was called for, so that
 * user space can tell that the kernel ran them for its own connection. User space gives it a
 * name of its own (cc.name) before loading it.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 init_calls;
__u64 release_calls;
__u64 cong_avoid_calls;
__u64 acked_packets;
__u64 ssthresh_calls;
__u64 undo_calls;
__u32 init_sport;		/* host order */
__u32 init_dport;		/* host order */
__u32 cong_avoid_sport;

static __always_inline struct tcp_sock *tcp_of(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops")
void BPF_PROG(cc_init, struct sock *sk)
{
	init_sport = sk->__sk_common.skc_num;
	init_dport = bpf_ntohs(sk->__sk_common.skc_dport);
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops")
void BPF_PROG(cc_release, struct sock *sk)
{
	__sync_fetch_and_add(&release_calls, 1);
}

SEC("struct_ops")
__u32 BPF_PROG(cc_ssthresh, struct sock *sk)
{
	__u32 half = tcp_of(sk)->snd_cwnd >> 1;

	__sync_fetch_and_add(&ssthresh_calls, 1);
	return half > 2 ? half : 2;
}

SEC("struct_ops")
void BPF_PROG(cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp_of(sk);
	__u32 cwnd = tp->snd_cwnd;

	cong_avoid_sport = sk->__sk_common.skc_num;
	__sync_fetch_and_add(&cong_avoid_calls, 1);
	__sync_fetch_and_add(&acked_packets, acked);
	if (cwnd >= tp->snd_cwnd_clamp)
		return;
	if (cwnd < tp->snd_ssthresh) {
		/* Slow start: one segment more for each one acknowledged. */
		cwnd += acked;
		tp->snd_cwnd = cwnd < tp->snd_cwnd_clamp ? cwnd : tp->snd_cwnd_clamp;
		return;
	}
	/* Congestion avoidance: one segment more per window acknowledged. */
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= cwnd) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd = cwnd + 1;
	}
}

SEC("struct_ops")
__u32 BPF_PROG(cc_undo_cwnd, struct sock *sk)
{
	struct tcp_sock *tp = tcp_of(sk);

	__sync_fetch_and_add(&undo_calls, 1);
	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops cc = {
	.init = (void *)cc_init,
	.release = (void *)cc_release,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = "bpfgauge_cc",
};

char LICENSE[] SEC("license") = "GPL";
