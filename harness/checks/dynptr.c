// SPDX-License-Identifier: GPL-2.0
/*
 * dynptr (Linux 5.19): records whose sizes the verifier cannot know, built through dynptrs.
 * This process chooses each record's size and fills the source words in the program's .bss;
 * one run of a syscall program (BPF_PROG_TEST_RUN, bpf/dynptr.bpf.c) reserves each record in a
 * ring buffer as a dynptr (bpf_ringbuf_reserve_dynptr), reads as many words as the size asks
 * through a dynptr over the .bss value (bpf_dynptr_from_mem, bpf_dynptr_read), writes its head
 * and words into the record (bpf_dynptr_write) and submits it. User space must receive every
 * record, in order, each of its size with its words. Nothing is attached, nothing stays.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "dynptr.h"
#include "dynptr.skel.h"

/* Words that differ in their upper half too, small enough for their sum to fit in 63 bits. */
#define SRC_FIRST 0xd1a000000001ULL
#define SRC_STEP ((1ULL << 32) + 77)

struct received {
	const __u32 *words;	/* each record's payload words, as chosen */
	int n;			/* records received */
	int intact;		/* of the size chosen, in order, with their words */
	long long bytes;
	unsigned long long word_sum;	/* of every word received */
};

static __u32 words_of(int seq)
{
	return 1 + seq * 5 % DYNPTR_MAX_WORDS;	/* 1, 6, 3, 8, 5, 2, 7, 4, 1, ... */
}

static __u64 src_word(int k)
{
	return SRC_FIRST + k * SRC_STEP;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct received *r = ctx;
	struct dynptr_head head;
	const __u64 *w = (const __u64 *)((char *)data + sizeof(head));
	bool ok;

	r->bytes += size;
	if (size < sizeof(head) || r->n >= DYNPTR_RECORDS) {
		r->n++;
		return 0;
	}
	memcpy(&head, data, sizeof(head));
	/* The record holds as many words as its head says, and the head is the one expected. */
	ok = size == sizeof(head) + head.words * sizeof(*w);
	for (__u32 j = 0; ok && j < head.words; j++)
		r->word_sum += w[j];
	ok = ok && head.seq == (__u32)r->n && head.words == r->words[r->n];
	for (__u32 j = 0; ok && j < head.words; j++)
		ok = w[j] == src_word(head.seq + j);
	r->intact += ok;
	r->n++;
	return 0;
}

static void verdict(struct check_result *res, const struct dynptr_bpf__bss *b,
		    const struct received *r)
{
	const size_t min = sizeof(struct dynptr_head) + sizeof(__u64);
	const size_t max = sizeof(struct dynptr_head) + DYNPTR_MAX_WORDS * sizeof(__u64);
	json_t *words = json_array();
	long long bytes = 0;

	for (int i = 0; i < DYNPTR_RECORDS; i++) {
		bytes += sizeof(struct dynptr_head) + words_of(i) * sizeof(__u64);
		json_array_append_new(words, json_integer(words_of(i)));
	}
	check_detail_int(res, "records", DYNPTR_RECORDS);
	check_detail_int(res, "submitted", b->records);
	check_detail_int(res, "received", r->n);
	check_detail_int(res, "intact", r->intact);
	check_detail_int(res, "bytes", r->bytes);
	check_detail_int(res, "word_sum", r->word_sum);
	check_detail_int(res, "src_first", SRC_FIRST);
	check_detail_int(res, "src_step", SRC_STEP);
	check_detail_json(res, "record_words", words);
	check_detail_int(res, "size_min", min);
	check_detail_int(res, "size_max", max);
	check_detail_int(res, "size_errors", b->size_errors);
	check_detail_int(res, "reserve_errors", b->reserve_errors);
	check_detail_int(res, "read_errors", b->read_errors);
	check_detail_int(res, "write_errors", b->write_errors);
	if (b->from_mem_err)
		check_set(res, CHECK_FAIL, "bpf_dynptr_from_mem on a .bss value: %lld",
			  (long long)b->from_mem_err);
	else if (b->size_errors || b->reserve_errors || b->read_errors || b->write_errors)
		check_set(res, CHECK_FAIL, "in the program: %llu sizes refused, %llu reservations, "
			  "%llu reads and %llu writes failed", (unsigned long long)b->size_errors,
			  (unsigned long long)b->reserve_errors,
			  (unsigned long long)b->read_errors, (unsigned long long)b->write_errors);
	else if (b->records != DYNPTR_RECORDS || r->n != DYNPTR_RECORDS ||
		 r->intact != DYNPTR_RECORDS || r->bytes != bytes)
		check_set(res, CHECK_FAIL, "%llu records submitted, %d received (%lld bytes), %d "
			  "intact; expected %d records, %lld bytes", (unsigned long long)b->records,
			  r->n, r->bytes, r->intact, DYNPTR_RECORDS, bytes);
	else
		check_set(res, CHECK_PASS, "%d ring buffer records of %zu to %zu bytes built "
			  "through dynptrs arrived in order, each of its size with its words",
			  DYNPTR_RECORDS, min, max);
}

static void run_dynptr(struct check_result *res)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	__u32 words[DYNPTR_RECORDS];
	struct received r = { .words = words };
	struct ring_buffer *rb = NULL;
	struct dynptr_bpf *skel;
	int err;

	skel = dynptr_bpf__open();
	if (!skel) {
		check_set_errno(res, CHECK_ERROR, errno, "open 'dynptr' BPF object");
		return;
	}
	err = dynptr_bpf__load(skel);
	if (err) {
		check_explain(res, err, "load 'build_records' (syscall)", NULL);
		goto out;
	}
	for (int k = 0; k < DYNPTR_SRC_WORDS; k++)
		skel->bss->src[k] = src_word(k);
	for (int i = 0; i < DYNPTR_RECORDS; i++)
		skel->bss->record_words[i] = words[i] = words_of(i);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.dynptr_records), on_record, &r, NULL);
	if (!rb) {
		check_set_errno(res, CHECK_ERROR, errno, "ring_buffer__new");
		goto out;
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.build_records), &opts);
	if (err) {
		check_set_errno(res, CHECK_FAIL, errno, "run 'build_records' (BPF_PROG_TEST_RUN)");
		goto out;
	}
	err = ring_buffer__consume(rb);
	if (err < 0) {
		check_set_errno(res, CHECK_ERROR, err, "ring_buffer__consume");
		goto out;
	}
	verdict(res, skel->bss, &r);
out:
	ring_buffer__free(rb);
	dynptr_bpf__destroy(skel);
}

DEFINE_CHECK_SINCE(dynptr, "programs",
		   "N ring buffer records of sizes unknown to the verifier built through dynptrs",
		   run_dynptr, "dynptrs (bpf_ringbuf_reserve_dynptr, bpf_dynptr_write)", 5, 19);
