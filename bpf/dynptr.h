/* SPDX-License-Identifier: GPL-2.0 */
/* Shared with user space: the records dynptr.bpf.c builds in its ring buffer. */
#ifndef BPFGAUGE_DYNPTR_H
#define BPFGAUGE_DYNPTR_H

#define DYNPTR_RECORDS 16
#define DYNPTR_MAX_WORDS 8	/* a record's payload: 1 to 8 words */
/* The source words user space provides: record seq's payload is words seq, seq + 1, ... */
#define DYNPTR_SRC_WORDS (DYNPTR_RECORDS + DYNPTR_MAX_WORDS - 1)

/* A record: this head, then 'words' __u64 words, source words seq to seq + words - 1. */
struct dynptr_head {
	__u32 seq;
	__u32 words;
};

#endif
