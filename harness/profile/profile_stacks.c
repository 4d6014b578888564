// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <linux/types.h>

#include "lib/ksyms.h"
#include "profile.h"
#include "profile_stacks.h"

struct reader {
	int stacks_fd, depth;
	bool at_tracepoint;	/* kernel stacks begin in the BPF program that took them */
	__u64 *ips;		/* a struct profile_stack's */
	struct usyms *usyms;
	struct ksyms *ksyms;
	bool ksyms_tried;
	struct profile_stacks_stats *st;
};

/* Frames of one stack, leaf first; 0 when there is none. */
static int stack_get(struct reader *r, __u64 id)
{
	int n = 0;

	if (id < PROFILE_STACK_FIRST_ID || bpf_map_lookup_elem(r->stacks_fd, &id, r->ips))
		return 0;
	while (n < r->depth && r->ips[n])
		n++;
	return n;
}

static const struct ksym *kernel_sym(struct reader *r, __u64 addr)
{
	if (!r->ksyms_tried) {
		r->ksyms_tried = true;
		r->ksyms = ksyms_load(NULL, 0);
		r->st->no_ksyms = !r->ksyms;
	}
	return r->ksyms ? ksyms_lookup(r->ksyms, addr, NULL) : NULL;
}

/* The program that took the stack and what called it: not part of what was measured. */
static bool is_tracing_frame(const struct ksym *sym)
{
	return sym && (!strcmp(sym->module, "bpf") || !strncmp(sym->name, "bpf_trace_run", 13) ||
		       !strncmp(sym->name, "__bpf_trace_", 12) ||
		       !strncmp(sym->name, "__traceiter_", 12));
}

/*
 * Appends the frames root first. Every frame but the leaf is a return address, which may
 * already belong to the next function (a call as a function's last instruction): look up
 * the byte before it.
 */
static void frames_push(struct reader *r, struct strbuf *sb, const struct profile_key *k,
			bool kernel)
{
	__u64 id = kernel ? k->kstack : k->ustack;
	int n = stack_get(r, id), leaf = 0;
	char name[512], last[512] = "";

	if (id == PROFILE_STACK_LOST) {
		folded_frame_push(sb, kernel ? "[lost kernel stack]" : "[lost user stack]");
		return;
	}
	/* Not for samples: there a BPF program at the leaf is CPU time it really took. */
	while (kernel && r->at_tracepoint && leaf < n - 1 &&
	       is_tracing_frame(kernel_sym(r, r->ips[leaf] - !!leaf)))
		leaf++;
	for (int i = n - 1; i >= leaf; i--) {
		__u64 addr = r->ips[i] - (i > 0);
		const struct ksym *sym;

		if (kernel) {
			sym = kernel_sym(r, addr);
			snprintf(name, sizeof(name), "%s", sym ? sym->name : "[unknown kernel]");
		} else {
			usyms_name(r->usyms, k->pid, addr, name, sizeof(name));
		}
		/*
		 * A frame-pointer walk through code built without them can loop on one bogus
		 * frame up to the depth limit: a run of one unknown frame is drawn once.
		 * Named frames repeat as they are (recursion).
		 */
		if (!strncmp(name, "[unknown", 8) && !strcmp(name, last))
			continue;
		snprintf(last, sizeof(last), "%s", name);
		/* A leaf without its frame: the walk went on from its caller's, skipping it. */
		if (!kernel && i == 0 && n > 1 && !usyms_leaf_frame(r->usyms, k->pid, addr)) {
			folded_frame_push(sb, PROFILE_MISSING_CALLER);
			r->st->missing_caller++;
		}
		folded_frame_push(sb, name);
	}
}

int profile_stacks_read(int counts_fd, int stacks_fd, int depth, bool at_tracepoint,
			struct usyms *usyms, struct folded *f, struct profile_stacks_stats *st)
{
	struct reader r = { .stacks_fd = stacks_fd, .depth = depth, .at_tracepoint = at_tracepoint,
			    .usyms = usyms, .st = st };
	struct profile_key key, next, *prev = NULL;
	struct strbuf sb = STRBUF_INIT;
	char comm[PROFILE_COMM_LEN + 1];
	__u64 value;
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (r.depth > PROFILE_MAX_DEPTH)
		r.depth = PROFILE_MAX_DEPTH;
	r.ips = calloc(1, sizeof(struct profile_stack));
	if (!r.ips)
		return -ENOMEM;
	while (!bpf_map_get_next_key(counts_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(counts_fd, &key, &value))
			continue;
		st->keys++;
		st->lost += key.kstack == PROFILE_STACK_LOST || key.ustack == PROFILE_STACK_LOST;
		sb.len = 0;
		memcpy(comm, key.comm, PROFILE_COMM_LEN);
		comm[PROFILE_COMM_LEN] = '\0';
		folded_frame_push(&sb, comm[0] ? comm : "[unnamed]");
		frames_push(&r, &sb, &key, false);
		frames_push(&r, &sb, &key, true);
		if (!strchr(sb.buf, ';')) {
			st->no_stack++;
			folded_frame_push(&sb, "[no stack]");
		}
		if (sb.failed) {
			err = -ENOMEM;
			goto cleanup;
		}
		err = folded_add(f, sb.buf, value);
		if (err)
			goto cleanup;
	}
	folded_sort(f);
cleanup:
	strbuf_release(&sb);
	ksyms_free(r.ksyms);
	free(r.ips);
	return err;
}
