/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log2 by shifts and compares: clang 14 crashes on __builtin_clzll in BPF code, and a loop
 * would cost more verifier time than these few instructions.
 */
#ifndef BPFGAUGE_BITS_BPF_H
#define BPFGAUGE_BITS_BPF_H

static __always_inline __u32 log2_u32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 hi = v >> 32;

	return hi ? log2_u32(hi) + 32 : log2_u32(v);
}

#endif
