// SPDX-License-Identifier: GPL-2.0
/*
 * user_ringbuf (Linux 6.1): the other direction of a ring buffer, user space to BPF. This
 * process submits NR_SAMPLES samples through libbpf's user ring buffer (user_ring_buffer__new,
 * __reserve, __submit), each with its sequence number and its own value; one run of a syscall
 * program (BPF_PROG_TEST_RUN, bpf/user_ringbuf.bpf.c) drains them all with
 * bpf_user_ringbuf_drain(). Every sample must reach the program, in order, with its value.
 * Destroying the object frees the map and the program: nothing is attached, nothing stays.
 */
#include <errno.h>
#include <stdio.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "lib/errno_name.h"
#include "user_ringbuf.h"
#include "user_ringbuf.skel.h"

#define NR_SAMPLES 16
/* Values that differ in their upper half too: a 32-bit read would not sum up. */
#define VALUE_FIRST 0x5eed0000f00dULL
#define VALUE_STEP ((1ULL << 32) + 4099)

/* Submits the samples; 0, or -1 with the result set. */
static int submit(struct check_result *res, struct user_ring_buffer *rb)
{
	for (int i = 0; i < NR_SAMPLES; i++) {
		struct urb_sample *s = user_ring_buffer__reserve(rb, sizeof(*s));

		if (!s) {
			check_set_errno(res, CHECK_FAIL, errno, "user_ring_buffer__reserve "
					"(sample %d of %d)", i + 1, NR_SAMPLES);
			return -1;
		}
		s->seq = i;
		s->value = VALUE_FIRST + i * VALUE_STEP;
		user_ring_buffer__submit(rb, s);
	}
	return 0;
}

static void verdict(struct check_result *res, const struct user_ringbuf_bpf *skel)
{
	const struct user_ringbuf_bpf__bss *b = skel->bss;
	unsigned long long sum = 0;

	for (int i = 0; i < NR_SAMPLES; i++)
		sum += VALUE_FIRST + i * VALUE_STEP;
	check_detail_int(res, "samples", NR_SAMPLES);
	check_detail_int(res, "drained", b->drained);
	check_detail_int(res, "callbacks", b->callbacks);
	check_detail_int(res, "in_order", b->in_order);
	check_detail_int(res, "matching", b->matching);
	check_detail_int(res, "read_errors", b->read_errors);
	check_detail_int(res, "value_first", VALUE_FIRST);
	check_detail_int(res, "value_step", VALUE_STEP);
	check_detail_int(res, "value_sum", b->value_sum);
	if (b->drained < 0)
		check_set(res, CHECK_FAIL, "bpf_user_ringbuf_drain: %s", errno_name(-b->drained));
	else if (b->drained != NR_SAMPLES || b->callbacks != NR_SAMPLES || b->read_errors)
		check_set(res, CHECK_FAIL, "submitted %d samples: bpf_user_ringbuf_drain returned "
			  "%lld, its callback ran %llu times, %llu reads failed", NR_SAMPLES,
			  (long long)b->drained, (unsigned long long)b->callbacks,
			  (unsigned long long)b->read_errors);
	else if (b->in_order != NR_SAMPLES || b->matching != NR_SAMPLES || b->value_sum != sum)
		check_set(res, CHECK_FAIL, "%d samples drained: %llu in order, %llu with the value "
			  "submitted, values summed to %llu (expected %llu)", NR_SAMPLES,
			  (unsigned long long)b->in_order, (unsigned long long)b->matching,
			  (unsigned long long)b->value_sum, sum);
	else
		check_set(res, CHECK_PASS, "%d samples submitted by user space, drained by one "
			  "program run in order, each with its value", NR_SAMPLES);
}

static void run_user_ringbuf(struct check_result *res)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct user_ring_buffer *rb = NULL;
	struct user_ringbuf_bpf *skel;
	int err;

	skel = user_ringbuf_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'user_ringbuf' BPF object");
		return;
	}
	skel->rodata->value_first = VALUE_FIRST;
	skel->rodata->value_step = VALUE_STEP;
	err = user_ringbuf_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'drain_samples' (syscall) with its "
			      "BPF_MAP_TYPE_USER_RINGBUF map", NULL);
		goto out;
	}
	rb = user_ring_buffer__new(bpf_map__fd(skel->maps.user_samples), NULL);
	if (!rb) {
		check_set_errno(res, CHECK_FAIL, errno, "user_ring_buffer__new");
		goto out;
	}
	if (submit(res, rb))
		goto out;
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.drain_samples), &opts);
	if (err) {
		check_set_errno(res, CHECK_FAIL, errno, "run 'drain_samples' (BPF_PROG_TEST_RUN)");
		goto out;
	}
	verdict(res, skel);
out:
	user_ring_buffer__free(rb);
	user_ringbuf_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(user_ringbuf, "programs",
		   "N samples submitted by user space drained by a program, in order, intact",
		   run_user_ringbuf, "the user ring buffer (BPF_MAP_TYPE_USER_RINGBUF)", 6, 1);
