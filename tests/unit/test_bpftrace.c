// SPDX-License-Identifier: GPL-2.0
/* The bpftrace peer's stop on a peer that never started. */
#include <criterion/criterion.h>

#include "bench/bpftrace.h"

Test(peer_bpftrace, stop_accepts_a_zeroed_peer)
{
	struct bpftrace b = {};

	bpftrace_stop(&b);
	cr_assert_eq(b.pid, 0);
}
