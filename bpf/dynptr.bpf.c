// SPDX-License-Identifier: GPL-2.0
/*
 * Dynptrs (5.19): one run of a syscall program (BPF_PROG_TEST_RUN) builds DYNPTR_RECORDS ring
 * buffer records whose sizes user space chose and the verifier does not know: each is reserved
 * as a dynptr (bpf_ringbuf_reserve_dynptr), filled with bpf_dynptr_write, and submitted
 * (bpf_ringbuf_submit_dynptr). Its words are read with bpf_dynptr_read, as many as its size
 * asks, from a local dynptr over a map value user space filled (bpf_dynptr_from_mem). UAPI
 * types only: no CO-RE.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "dynptr.h"

/* Set by user space after loading (.bss is a map value that user space maps). */
__u64 src[DYNPTR_SRC_WORDS];
__u32 record_words[DYNPTR_RECORDS];

__u64 records;		/* submitted */
__u64 size_errors;	/* record_words out of 1..DYNPTR_MAX_WORDS */
__u64 reserve_errors;
__u64 read_errors;
__u64 write_errors;
__s64 from_mem_err;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} dynptr_records SEC(".maps");

SEC("syscall")
int build_records(void *ctx)
{
	__u64 words[DYNPTR_MAX_WORDS] = {};
	struct bpf_dynptr local, rec;
	struct dynptr_head head;
	__u32 len;

	from_mem_err = bpf_dynptr_from_mem(src, sizeof(src), 0, &local);
	if (from_mem_err)
		return 0;
	for (__u32 i = 0; i < DYNPTR_RECORDS; i++) {
		head.seq = i;
		head.words = record_words[i];
		if (head.words < 1 || head.words > DYNPTR_MAX_WORDS) {
			size_errors++;
			continue;
		}
		/* A size the verifier knows only as 8 to 64 bytes. */
		len = head.words * sizeof(words[0]);
		if (bpf_ringbuf_reserve_dynptr(&dynptr_records, sizeof(head) + len, 0, &rec)) {
			reserve_errors++;
			bpf_ringbuf_discard_dynptr(&rec, 0);
			continue;
		}
		if (bpf_dynptr_read(words, len, &local, i * sizeof(words[0]), 0))
			read_errors++;
		if (bpf_dynptr_write(&rec, 0, &head, sizeof(head), 0) ||
		    bpf_dynptr_write(&rec, sizeof(head), words, len, 0))
			write_errors++;
		bpf_ringbuf_submit_dynptr(&rec, 0);
		records++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
