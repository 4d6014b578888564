// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge profile': CPU or off-CPU stacks counted in the kernel, as folded stacks and SVG. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "flamegraph.h"
#include "folded.h"
#include "lib/caps.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "profile_cmd.h"
#include "profile_opts.h"
#include "profile_share.h"
#include "profile_session.h"
#include "tools/command.h"
#include "tools/proc_tree.h"

/* Off-CPU sums are nanoseconds in the kernel and microseconds in the output. */
static void folded_ns_to_us(struct folded *f)
{
	size_t kept = 0;

	for (size_t i = 0; i < f->nr; i++) {
		f->lines[i].count = (f->lines[i].count + 500) / 1000;
		if (f->lines[i].count)
			f->lines[kept++] = f->lines[i];
		else
			free(f->lines[i].stack);
	}
	f->nr = kept;
	folded_sort(f);	/* also rebuilds the index over the lines kept */
}

/*
 * The folded stacks and the flame graph, each where asked or, when that name cannot be
 * written, where file_save() kept it (said on stderr); svg and folded hold where they went.
 * 0, or -errno when either is not where asked.
 */
static int write_outputs(const struct profile_opts *o, const struct folded *f,
			 const struct flamegraph_opts *fo, char *svg, char *folded, size_t sz)
{
	struct strbuf sb = STRBUF_INIT;
	int err = 0, ret = 0;

	if (o->folded) {
		folded_format(f, &sb);
		if (sb.failed)
			fprintf(stderr, "bpfgauge profile: write '%s': %s\n", o->folded,
				strerror(ENOMEM));
		ret = sb.failed ? -ENOMEM : file_save("bpfgauge profile", o->folded, 0,
						      sb.buf ? sb.buf : "", sb.len, folded, sz);
		strbuf_release(&sb);
	}
	err = flamegraph_svg(f, fo, &sb);
	if (err)
		fprintf(stderr, "bpfgauge profile: write '%s': %s\n", o->svg, strerror(-err));
	else
		err = file_save("bpfgauge profile", o->svg, 0, sb.buf, sb.len, svg, sz);
	strbuf_release(&sb);
	return err ? err : ret;
}

/*
 * Every frame's share as JSON on stdout with --json; for CPU samples, a warning when the
 * main frames' shares are known to worse than +-5 points. 0 or -ENOMEM.
 */
static int report_shares(const struct profile_opts *o, const struct folded *f,
			 const struct flamegraph_opts *fo, const char *scope)
{
	unsigned long long total = folded_total(f);
	struct folded *nodes = share_nodes(f);
	double half, p;

	if (!nodes)
		return -ENOMEM;
	if (o->json) {
		json_t *doc = json_pack("{s:s s:s s:s s:s s:I s:o}", "title", fo->title, "subtitle",
					fo->subtitle, "scope", scope, "unit", fo->unit, "total",
					(json_int_t)total, "frames",
					share_json(nodes, total, !o->cfg.off_cpu));

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	}
	half = o->cfg.off_cpu ? 0 : share_widest(nodes, total, &p);
	if (half > SHARE_WARN_HALF)
		fprintf(stderr, "warning: %llu samples: a frame with %.0f%% of them is known only "
			"to +-%.1f points (95%%); +-%.0f needs %llu samples: profile longer or "
			"raise -F\n", total, 100 * p, 100 * half, 100 * SHARE_WARN_HALF,
			share_samples_for(p, SHARE_WARN_HALF));
	folded_free(nodes);
	return 0;
}

static int profile_finish(struct profile_session *s, const struct profile_opts *o, double secs)
{
	struct profile_stacks_stats st;
	struct folded *f = folded_new();
	struct flamegraph_opts fo = { .unit = o->cfg.off_cpu ? "us" : "samples",
				      .cool = o->cfg.off_cpu, .sampled = !o->cfg.off_cpu };
	char sub[256], scope[160], svg[PATH_MAX] = "", folded[PATH_MAX] = "";
	unsigned long long total;
	int err, werr;

	if (!f)
		return -ENOMEM;
	err = profile_session_read(s, f, &st);
	if (err) {
		fprintf(stderr, "bpfgauge profile: read stacks: %s\n", strerror(-err));
		goto cleanup;
	}
	if (o->cfg.off_cpu)
		folded_ns_to_us(f);
	total = folded_total(f);
	if (o->cfg.off_cpu) {
		fo.title = "Off-CPU time";
		snprintf(sub, sizeof(sub), "sched_switch via %s, %.2f s, %llu us switched out "
			 "(stretches >= %lu us)", s->method, secs, total, o->cfg.min_block_us);
	} else {
		fo.title = "CPU profile";
		snprintf(sub, sizeof(sub), "%s at %d Hz on %d CPUs, %.2f s, %llu samples",
			 s->method, o->cfg.hz, s->nr_cpus, secs, total);
	}
	fo.subtitle = sub;
	/* Written elsewhere than asked is still an error, but the profile is there: say it all. */
	werr = write_outputs(o, f, &fo, svg, folded, sizeof(svg));
	err = werr;
	if (!svg[0] || (o->folded && !folded[0]))
		goto cleanup;
	proc_tree_scope(o->cfg.pid, s->descendants, s->descendants_lost, scope, sizeof(scope));
	fprintf(stderr, "%s: %s; %zu stacks; wrote '%s'%s%s%s\nprofiled: %s\n", fo.title, sub,
		f->nr, svg, o->folded ? " and '" : "", folded, o->folded ? "'" : "", scope);
	err = report_shares(o, f, &fo, scope);
	if (err)
		goto cleanup;
	if (s->note[0])
		fprintf(stderr, "not used: %s\n", s->note);
	if (s->mmap_note[0])
		fprintf(stderr, "not used: %s\n", s->mmap_note);
	if (s->dropped)
		fprintf(stderr, "warning: %llu sums dropped: a map was full\n", s->dropped);
	if (st.lost)
		fprintf(stderr, "warning: %lu of %lu sums lost a stack: the stacks map was full "
			"('[lost ... stack]')\n", st.lost, st.keys);
	if (s->lost_seen)
		fprintf(stderr, "warning: %llu processes not read when first seen\n", s->lost_seen);
	if (st.missing_caller)
		fprintf(stderr, "note: in %lu of %zu stacks the sampled function had no frame "
			"pointer: its caller is missing, shown as '%s' (see --help)\n",
			st.missing_caller, f->nr, PROFILE_MISSING_CALLER);
	if (st.no_ksyms)
		fprintf(stderr, "warning: /proc/kallsyms shows no addresses (kernel.kptr_restrict):"
			" kernel frames are '[unknown kernel]'\n");
	err = werr;
cleanup:
	folded_free(f);
	return err;
}

/*
 * Waits for the end: duration, Ctrl-C, the command or the -p process ending. Returns whether
 * it reaped the command.
 */
static bool profile_wait(struct profile_session *s, const struct profile_opts *o, pid_t child,
			 double start)
{
	int status;

	while (!interrupted() && (o->duration <= 0 || clock_now_s() - start < o->duration)) {
		profile_session_poll(s, 50);
		if (child && waitpid(child, &status, WNOHANG) == child)
			return true;
		if (!child && o->cfg.pid && kill(o->cfg.pid, 0) && errno == ESRCH)
			break;
	}
	return false;
}

int cmd_profile(int argc, char **argv)
{
	struct profile_opts o = { .cfg = { .hz = PROFILE_DEFAULT_HZ, .min_block_us = 1 } };
	struct profile_session s = {};
	char err[512] = "";
	const char *missing, *what;
	pid_t child = 0;
	int ret, go_fd = -1;
	double start;

	ret = profile_parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	/* Refused before anything starts. */
	if (file_check_output("bpfgauge profile", o.svg) ||
	    (o.folded && file_check_output("bpfgauge profile", o.folded)))
		return 2;
	if (o.folded && !strcmp(o.folded, o.svg)) {
		fprintf(stderr, "bpfgauge profile: -o and --folded name the same file\n");
		return 2;
	}
	missing = caps_missing_for_bpf();
	if (missing) {
		fprintf(stderr, "bpfgauge profile: needs %s (or CAP_SYS_ADMIN); run it as root\n",
			missing);
		return 2;
	}
	interrupt_setup();
	if (o.command) {
		child = command_fork_held(o.command, "bpfgauge profile", &go_fd);
		if (child < 0)
			return 2;
		o.cfg.pid = child;
	}
	ret = profile_session_start(&s, &o.cfg, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bpfgauge profile: %s\n", err);
		ret = 2;
		goto cleanup;
	}
	what = o.cfg.off_cpu ? "off-CPU time" : "on CPU";
	if (!o.command && o.duration > 0)
		fprintf(stderr, "Profiling %s%s for %g s...\n", what,
			o.cfg.pid ? " of one process tree" : "", o.duration);
	else if (!o.command)
		fprintf(stderr, "Profiling %s%s... Ctrl-C to end.\n", what,
			o.cfg.pid ? " of one process tree" : "");
	start = clock_now_s();
	command_release(&go_fd, true);
	if (profile_wait(&s, &o, child, start))
		child = 0;
	profile_session_stop(&s);
	ret = profile_finish(&s, &o, clock_now_s() - start) ? 2 : 0;
cleanup:
	command_release(&go_fd, false);
	profile_session_free(&s);
	/* A Ctrl-C reached the command too; a SIGTERM to us alone must end it as well. */
	if (o.command && !o.detach)
		command_stop_tree();
	return ret;
}
