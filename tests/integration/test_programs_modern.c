// SPDX-License-Identifier: GPL-2.0
/*
 * The checks of newer program features (user_ringbuf, dynptr, arena) against what the kernel
 * says it has, read by other means: its BTF dumped by bpftool (the map types' and helpers'
 * enumerators, the arena's kfunc), its version from uname, and for the arena, a map the test
 * creates itself through the bpf syscall. Where a check passes, the data in its details must
 * add up to what was sent, computed here; where not, its reason must be the true one. Their
 * programs and maps are gone after the run.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/syscall.h>

#include "integration.h"
#include "support.h"

#define CHECKS "user_ringbuf,dynptr,arena"

static json_t *details(json_t *doc, const char *check)
{
	return json_object_get(probe_find(doc, check), "details");
}

/*
 * Where the kernel's BTF says the feature is missing: no pass, and on a kernel older than the
 * version the check declares, that version in the reason.
 */
static void assert_missing(json_t *doc, const char *check, int major, int minor)
{
	const char *why = probe_reason(doc, check);
	char since[64];

	cr_assert_str_neq(probe_status(doc, check), "pass", "%s passed, yet the kernel's BTF lacks "
			  "it", check);
	snprintf(since, sizeof(since), "< %d.%d where", major, minor);
	if (!evidence_kernel_at_least(major, minor))
		cr_assert(strstr(why, since), "%s: reason '%s' does not say '%s'", check, why,
			  since);
}

Test(programs_modern, user_ringbuf_matches_evidence)
{
	json_t *doc = probe_json("--only user_ringbuf", NULL);
	bool present = evidence_btf_lines("'BPF_MAP_TYPE_USER_RINGBUF'") > 0 &&
		       evidence_btf_lines("'BPF_FUNC_user_ringbuf_drain'") > 0;
	long long n, first, step, sum = 0;

	cr_assert_not_null(doc);
	cr_assert_str_eq(probe_detail_str(doc, "user_ringbuf", "arrived_in"), "6.1");
	if (!present) {
		assert_missing(doc, "user_ringbuf", 6, 1);
	} else {
		cr_assert_str_eq(probe_status(doc, "user_ringbuf"), "pass", "%s",
				 probe_reason(doc, "user_ringbuf"));
		n = probe_detail_int(doc, "user_ringbuf", "samples");
		first = probe_detail_int(doc, "user_ringbuf", "value_first");
		step = probe_detail_int(doc, "user_ringbuf", "value_step");
		cr_assert_gt(n, 1);
		/* Values that differ in their upper half too: a 32-bit read would not sum up. */
		cr_assert_gt(step, 1LL << 32);
		for (long long i = 0; i < n; i++)
			sum += first + i * step;
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "drained"), n);
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "callbacks"), n);
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "in_order"), n);
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "matching"), n);
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "read_errors"), 0);
		cr_assert_eq(probe_detail_int(doc, "user_ringbuf", "value_sum"), sum);
	}
	json_decref(doc);
}

/*
 * dynptr: each record's size as the check chose it (details.record_words), so many words of
 * the source, the record's sequence number onwards: the bytes and the words' sum must be what
 * those sizes and the source's first word and step give.
 */
Test(programs_modern, dynptr_matches_evidence)
{
	json_t *doc = probe_json("--only dynptr", NULL), *words;
	bool present = evidence_btf_lines("'BPF_FUNC_(ringbuf_reserve_dynptr|dynptr_from_mem|"
					  "dynptr_read|dynptr_write)'") == 4;
	long long n, first, step, bytes = 0, sum = 0, w, wmin = 1 << 30, wmax = 0;

	cr_assert_not_null(doc);
	cr_assert_str_eq(probe_detail_str(doc, "dynptr", "arrived_in"), "5.19");
	if (!present) {
		assert_missing(doc, "dynptr", 5, 19);
		json_decref(doc);
		return;
	}
	cr_assert_str_eq(probe_status(doc, "dynptr"), "pass", "%s", probe_reason(doc, "dynptr"));
	n = probe_detail_int(doc, "dynptr", "records");
	first = probe_detail_int(doc, "dynptr", "src_first");
	step = probe_detail_int(doc, "dynptr", "src_step");
	words = json_object_get(details(doc, "dynptr"), "record_words");
	cr_assert_eq((long long)json_array_size(words), n);
	for (long long i = 0; i < n; i++) {
		w = json_integer_value(json_array_get(words, i));
		wmin = w < wmin ? w : wmin;
		wmax = w > wmax ? w : wmax;
		bytes += 8 + 8 * w;	/* the head (seq, words), then the words */
		for (long long j = 0; j < w; j++)
			sum += first + (i + j) * step;
	}
	/* Sizes the program could not know in advance: more than one. */
	cr_assert_lt(wmin, wmax);
	cr_assert_eq(probe_detail_int(doc, "dynptr", "submitted"), n);
	cr_assert_eq(probe_detail_int(doc, "dynptr", "received"), n);
	cr_assert_eq(probe_detail_int(doc, "dynptr", "intact"), n);
	cr_assert_eq(probe_detail_int(doc, "dynptr", "bytes"), bytes);
	cr_assert_eq(probe_detail_int(doc, "dynptr", "word_sum"), sum);
	json_decref(doc);
}

/* Creates an arena map of one page through the bpf syscall: 0 if it could, else errno. */
static int arena_create(long long map_type)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = map_type;
	attr.max_entries = 1;
	attr.map_flags = BPF_F_MMAPABLE;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

Test(programs_modern, arena_matches_evidence)
{
	json_t *doc = probe_json("--only arena", NULL);
	long long type = evidence_btf_enum("BPF_MAP_TYPE_ARENA"), pages, values;
	bool present = type >= 0 && evidence_btf_lines("FUNC 'bpf_arena_alloc_pages'") > 0;
	const char *why;
	int err;

	cr_assert_not_null(doc);
	why = probe_reason(doc, "arena");
	cr_assert_str_eq(probe_detail_str(doc, "arena", "arrived_in"), "6.9");
	if (!present) {
		assert_missing(doc, "arena", 6, 9);
		json_decref(doc);
		return;
	}
	err = arena_create(type);
	if (err) {
		/* The kernel has arenas and refuses this one: the check says so, with the errno. */
		cr_assert_str_neq(probe_status(doc, "arena"), "pass", "%s", why);
		cr_assert(strstr(why, strerror(err)), "an arena created here: %s; the check "
			  "says '%s'", strerror(err), why);
		if (err == EPERM) {
			cr_assert_str_eq(probe_status(doc, "arena"), "unsupported", "%s", why);
			cr_assert_str_eq(probe_detail_str(doc, "arena", "errno"), "EPERM");
		}
	} else {
		cr_assert_str_eq(probe_status(doc, "arena"), "pass", "%s", why);
		pages = probe_detail_int(doc, "arena", "pages");
		values = pages * probe_detail_int(doc, "arena", "slots_per_page");
		cr_assert_gt(pages, 1);
		cr_assert_leq(pages, probe_detail_int(doc, "arena", "arena_pages"));
		cr_assert_eq(probe_detail_int(doc, "arena", "alloc_failures"), 0);
		cr_assert_eq(probe_detail_int(doc, "arena", "written"), values);
		cr_assert_eq(probe_detail_int(doc, "arena", "values_read"), values);
		cr_assert_eq(probe_detail_int(doc, "arena", "read_by_program"), values);
		cr_assert(json_is_true(json_object_get(details(doc, "arena"), "sum_as_written")));
	}
	json_decref(doc);
}

/* The programs and maps of the checks, by name, as bpftool lists them; "" when none. */
static char *leftovers(void)
{
	return sh("{ bpftool prog show; bpftool map show; } | grep -E "
		  "'name (drain_samples|build_records|arena_prog|user_samples|dynptr_records|arena|"
		  "bpfgauge_probe|user_rin\\.|dynptr_b\\.|arena_bp\\.)' || true", NULL);
}

/* The kernel frees a finished process's programs and maps at once; allow it a few moments. */
static void assert_nothing_left(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char *out = leftovers();

	for (int tries = 0; out[0] && tries < 25; tries++) {
		free(out);
		nanosleep(&ts, NULL);
		out = leftovers();
	}
	cr_assert_str_empty(out, "left behind: %s", out);
	free(out);
}

Test(programs_modern, nothing_left_after_a_run)
{
	json_t *doc = probe_json("--only " CHECKS, NULL);

	cr_assert_not_null(doc);
	json_decref(doc);
	assert_nothing_left();
}
