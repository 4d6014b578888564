// SPDX-License-Identifier: GPL-2.0
/*
 * The last words a check quotes from libbpf's log: the verifier's error, past libbpf's generic
 * lines and past the explanation newer verifiers print after the error.
 */
#include <criterion/criterion.h>

#include "lib/libbpf_log.h"

#define BEGIN "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --\n"
#define END "-- END PROG LOAD LOG --\nlibbpf: prog 'p': failed to load: -13\n" \
	    "libbpf: failed to load object 'x'\n"

Test(libbpf_log, last_line_is_the_verifiers_error)
{
	libbpf_log_reset();
	libbpf_log_feed(BEGIN "0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\nR0 !read_ok\n"
			"processed 2 insns (limit 1000000) max_states_per_insn 0\n" END);
	cr_assert_str_eq(libbpf_log_last(), "R0 !read_ok");
}

/* The shape met in a Debian 7.3 guest: "Verification failed:" opens lines that explain the error. */
Test(libbpf_log, explanation_after_the_error_is_not_the_last_line)
{
	libbpf_log_reset();
	libbpf_log_feed(BEGIN "5: (85) call bpf_dynptr_from_skb#1234\n"
			"R1 is ctx expected STRUCT __sk_buff\n"
			"processed 5 insns (limit 1000000)\n"
			"Verification failed:\nReason: the argument's type does not match\n"
			"At: insn 5\nSuggestion: Use a kfunc allowed for this program type\n" END);
	cr_assert_str_eq(libbpf_log_last(), "R1 is ctx expected STRUCT __sk_buff");
	/* A later load's log is read afresh. */
	libbpf_log_feed(BEGIN "R2 invalid mem access 'scalar'\n" END);
	cr_assert_str_eq(libbpf_log_last(), "R2 invalid mem access 'scalar'");
	libbpf_log_reset();
	cr_assert_str_eq(libbpf_log_last(), "");
}
