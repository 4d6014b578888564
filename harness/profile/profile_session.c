// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

#include "lib/errno_name.h"
#include "lib/libbpf_log.h"
#include "profile.h"
#include "profile.skel.h"
#include "profile_session.h"
#include "tools/proc_tree.h"
#include "tools/tool_common.h"

static const struct attach_method offcpu_methods[] = {
	{ "tp_btf", { "switch_btf" } },
	{ "raw_tp", { "switch_raw" } },
	{ "tracepoint", { "switch_tp" } },
};

static long sysctl_long(const char *path, long dflt)
{
	FILE *f = fopen(path, "re");
	long v;

	if (!f)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

long profile_max_hz(void)
{
	return sysctl_long("/proc/sys/kernel/perf_event_max_sample_rate", 100000);
}

static int on_seen(void *ctx, void *data, size_t size)
{
	const struct profile_seen *seen = data;

	if (size >= sizeof(*seen))
		usyms_snapshot(ctx, seen->pid);	/* gone already: named '[unknown]' later */
	return 0;
}

static int session_open(struct profile_session *s, const struct profile_config *cfg,
			bool task_storage)
{
	struct profile_bpf *skel = profile_bpf__open();
	struct trace_opts o = { .pid = cfg->pid };

	if (!skel)
		return -errno;
	TOOL_FILTER_SET(skel, &o);
	skel->rodata->min_block_ns = cfg->min_block_us * 1000;
	bpf_map__set_max_entries(skel->maps.stacks, PROFILE_MAX_STACKS);
	bpf_map__set_max_entries(skel->maps.counts, PROFILE_MAX_STACKS);
	/* The hash of start times is preallocated: only as large as the method needs. */
	bpf_map__set_max_entries(skel->maps.tid_starts, task_storage ? 1 : PROFILE_TID_STARTS);
	s->skel = skel;
	return 0;
}

static int start_cpu(struct profile_session *s, const struct profile_config *cfg, char *err,
		     size_t errsz)
{
	struct bpf_program *prog;
	int ret = session_open(s, cfg, true);

	if (ret) {
		snprintf(err, errsz, "open 'profile' BPF object: %s", errno_name(ret));
		return ret;
	}
	bpf_object__for_each_program(prog, s->skel->obj)
		bpf_program__set_autoload(prog, prog == s->skel->progs.cpu_sample ||
					  prog == s->skel->progs.mmap_exec ||
					  prog == s->skel->progs.mmap_exec_done ||
					  (cfg->pid && proc_tree_prog(bpf_program__name(prog))));
	libbpf_log_reset();
	ret = profile_bpf__load(s->skel);
	if (ret) {
		snprintf(err, errsz, "load 'perf_event' program: %s%s%s", errno_name(ret),
			 libbpf_log_last()[0] ? ": " : "", libbpf_log_last());
		return ret;
	}
	if (cfg->pid) {
		ret = proc_tree_attach(s->skel->obj, s->tree);
		if (ret) {
			snprintf(err, errsz, "follow the descendants of pid %d: %s", cfg->pid,
				 errno_name(ret));
			return ret;
		}
	}
	/* Optional: without them, code mapped later is named while its process still runs. */
	s->mmap_links[0] = bpf_program__attach(s->skel->progs.mmap_exec_done);
	s->mmap_links[1] = s->mmap_links[0] ? bpf_program__attach(s->skel->progs.mmap_exec) :
					      NULL;
	if (!s->mmap_links[1])
		snprintf(s->mmap_note, sizeof(s->mmap_note), "naming code mapped after a "
			 "process starts (syscalls:sys_enter_mmap, sys_exit_mmap): %s",
			 errno_name(-errno));
	ret = perf_sampler_attach(s->skel->progs.cpu_sample, cfg->hz, &s->ps, err, errsz);
	if (ret)
		return ret;
	s->method = s->ps.event;
	s->nr_cpus = s->ps.nr_links;
	snprintf(s->note, sizeof(s->note), "%s", s->ps.note);
	return 0;
}

static int start_offcpu(struct profile_session *s, const struct profile_config *cfg, char *err,
			size_t errsz)
{
	char why[200];
	int ret = -EOPNOTSUPP;

	for (size_t i = 0; i < sizeof(offcpu_methods) / sizeof(offcpu_methods[0]); i++) {
		struct attach_method m = offcpu_methods[i];

		/* Task storage needs the BTF task pointers only tp_btf is given. */
		ret = session_open(s, cfg, !strcmp(m.name, "tp_btf"));
		if (ret) {
			snprintf(err, errsz, "open 'profile' BPF object: %s", errno_name(ret));
			return ret;
		}
		if (cfg->pid && proc_tree_add(&m)) {
			snprintf(err, errsz, "method '%s' has too many programs", m.name);
			return -E2BIG;
		}
		ret = method_load_attach(s->skel->obj, &m, s->links, why, sizeof(why));
		if (!ret) {
			s->method = m.name;
			return 0;
		}
		tool_note_add(s->note, sizeof(s->note), m.name, why);
		profile_bpf__destroy(s->skel);
		s->skel = NULL;
	}
	snprintf(err, errsz, "no way to attach to 'sched_switch' here: %s", s->note);
	return ret;
}

int profile_session_start(struct profile_session *s, const struct profile_config *cfg,
			  char *err, size_t errsz)
{
	int ret;

	s->off_cpu = cfg->off_cpu;
	s->depth = sysctl_long("/proc/sys/kernel/perf_event_max_stack", PROFILE_MAX_DEPTH);
	if (s->depth > PROFILE_MAX_DEPTH || s->depth < 1)
		s->depth = PROFILE_MAX_DEPTH;
	s->usyms = usyms_new();
	if (!s->usyms) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	ret = cfg->off_cpu ? start_offcpu(s, cfg, err, errsz) : start_cpu(s, cfg, err, errsz);
	if (ret)
		return ret;
	s->pid = cfg->pid;
	s->seeded = cfg->pid ? proc_tree_seed(s->skel->obj, cfg->pid) : 0;
	if (s->seeded < 0) {
		ret = (int)s->seeded;
		snprintf(err, errsz, "follow the descendants of pid %d: %s", cfg->pid,
			 errno_name(ret));
		return ret;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.seen_events), on_seen, s->usyms,
				 NULL);
	if (!s->rb) {
		ret = -errno;
		snprintf(err, errsz, "ring buffer 'seen_events': %s", errno_name(ret));
		return ret;
	}
	return 0;
}

void profile_session_poll(struct profile_session *s, int ms)
{
	ring_buffer__poll(s->rb, ms);
}

void profile_session_stop(struct profile_session *s)
{
	perf_sampler_detach(&s->ps);
	method_links_destroy(s->links);
	for (int i = 0; i < 2; i++) {
		bpf_link__destroy(s->mmap_links[i]);
		s->mmap_links[i] = NULL;
	}
	for (int i = 0; i < TREE_NR_PROGS; i++) {
		bpf_link__destroy(s->tree[i]);
		s->tree[i] = NULL;
	}
}

int profile_session_read(struct profile_session *s, struct folded *f,
			 struct profile_stacks_stats *st)
{
	/* Processes announced at the very end still get their maps read. */
	ring_buffer__consume(s->rb);
	s->dropped = s->skel->bss->dropped;
	s->lost_seen = s->skel->bss->lost_seen;
	if (s->pid)
		proc_tree_totals(s->skel->obj, s->seeded, &s->descendants, &s->descendants_lost);
	return profile_stacks_read(bpf_map__fd(s->skel->maps.counts),
				   bpf_map__fd(s->skel->maps.stacks), s->depth, s->off_cpu,
				   s->usyms, f, st);
}

void profile_session_free(struct profile_session *s)
{
	profile_session_stop(s);
	ring_buffer__free(s->rb);
	s->rb = NULL;
	profile_bpf__destroy(s->skel);
	s->skel = NULL;
	usyms_free(s->usyms);
	s->usyms = NULL;
}
