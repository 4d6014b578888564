// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge profile': CPU or off-CPU stacks counted in the kernel, as folded stacks and SVG. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flamegraph.h"
#include "folded.h"
#include "lib/caps.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "profile_cmd.h"
#include "profile_session.h"
#include "tools/command.h"
#include "tools/proc_tree.h"

static void profile_usage(FILE *f)
{
	fprintf(f,
		"usage: bpfgauge profile [--off-cpu] [-F HZ] [-d SECONDS | -- COMMAND [ARGS]]\n"
		"                        [-p PID] [--detach] -o FILE.svg [--folded FILE]\n"
		"                        [--min-block-us N] [-v]\n"
		"\n"
		"Record where time goes as stacks counted in the kernel; draw a flame graph.\n"
		"CPU (default): every CPU is sampled at HZ by a perf event (hardware cycles\n"
		"where the CPU has a PMU, else the software cpu-clock; the summary says which);\n"
		"counts are samples. Off-CPU (--off-cpu): at each context switch, the time a\n"
		"task spends switched out (blocked, or preempted and waiting to run) is added\n"
		"to the stacks it left with; counts are microseconds. A stretch still going on\n"
		"at the end is not counted. Without -d or a command it runs until Ctrl-C (or\n"
		"until process -p ends). '-- COMMAND' profiles that command and every process it\n"
		"forks, -p PID that process and its descendants (those alive at the start and\n"
		"those forked since); the summary names them. The command is named '%s'\n"
		"until it execs, starts with default signal dispositions, and what is left of its\n"
		"tree when it ends or the profile is interrupted gets SIGTERM (SIGKILL 2 s later).\n"
		"\n"
		"  -o, --output FILE.svg   the flame graph (required; never overwritten)\n"
		"  --folded FILE           also write folded stacks ('comm;frame;frame count',\n"
		"                          root first) for flamegraph.pl, speedscope, inferno\n"
		"  --off-cpu               off-CPU time instead of CPU samples\n"
		"  -F, --frequency HZ      CPU samples per second on each CPU (default 49)\n"
		"  --min-block-us N        off-CPU: leave out stretches shorter (default 1)\n"
		"  -d, --duration SECONDS  stop after this long\n"
		"  -p, --pid PID           profile only this process and its descendants\n"
		"  --detach                leave the command's processes running at the end\n"
		"  -v, --verbose           print libbpf's log\n"
		"\n"
		"User stacks are walked through frame pointers. Code built without them (the\n"
		"default at -O2 of most distributions' programs and libraries, libc included)\n"
		"gives truncated user stacks: the walk loses callers at the first function\n"
		"without one. Build what you profile with -fno-omit-frame-pointer. Frames\n"
		"without a symbol show as '[unknown MODULE]'. A process's mappings are read\n"
		"when it is first seen, so short-lived ones are still named unless they exit\n"
		"before that ('[unknown]').\n"
		"\n"
		"Kernel memory, allocated at start: a stack map of %d stacks x %d frames\n"
		"x 8 bytes (about 16 MiB), a hash of %d sums (28-byte key, 8-byte value),\n"
		"a hash of 4096 processes seen (20-byte key) and a 64 KiB ring buffer that\n"
		"announces each new process once. Off-CPU start times: task storage (40 bytes\n"
		"per traced task, freed with it) or, where tp_btf is refused, a hash of %d\n"
		"x 40 bytes. Full maps show as dropped sums; a stack whose stack-map bucket\n"
		"is taken by another shows as '[lost ... stack]'.\n"
		"\n"
		"Exit: 0 (also after Ctrl-C); 2 bad usage, an output file exists, or cannot\n"
		"run here.\n",
		COMMAND_PRE_EXEC_NAME, PROFILE_MAX_STACKS, PROFILE_MAX_DEPTH, PROFILE_MAX_STACKS,
		PROFILE_TID_STARTS);
}

struct profile_opts {
	struct profile_config cfg;
	double duration;
	const char *svg, *folded;
	char **command;
	bool detach;		/* leave the command's tree running at the end */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static int write_outputs(const struct profile_opts *o, const struct folded *f,
			 const struct flamegraph_opts *fo)
{
	struct strbuf sb = STRBUF_INIT;
	int err;

	if (o->folded) {
		folded_format(f, &sb);
		err = sb.failed ? -ENOMEM : file_write_new(o->folded, sb.buf ? sb.buf : "", sb.len);
		if (err) {
			fprintf(stderr, "bpfgauge profile: write '%s': %s\n", o->folded,
				strerror(-err));
			goto cleanup;
		}
		strbuf_release(&sb);
	}
	err = flamegraph_svg(f, fo, &sb);
	if (!err)
		err = file_write_new(o->svg, sb.buf, sb.len);
	if (err)
		fprintf(stderr, "bpfgauge profile: write '%s': %s\n", o->svg, strerror(-err));
cleanup:
	strbuf_release(&sb);
	return err;
}

static int profile_finish(struct profile_session *s, const struct profile_opts *o, double secs)
{
	struct profile_stacks_stats st;
	struct folded *f = folded_new();
	struct flamegraph_opts fo = { .unit = o->cfg.off_cpu ? "us" : "samples",
				      .cool = o->cfg.off_cpu };
	char sub[256];
	unsigned long long total;
	int err;

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
	err = write_outputs(o, f, &fo);
	if (err)
		goto cleanup;
	fprintf(stderr, "%s: %s; %zu stacks; wrote '%s'%s%s%s\n", fo.title, sub, f->nr, o->svg,
		o->folded ? " and '" : "", o->folded ? o->folded : "", o->folded ? "'" : "");
	if (o->cfg.pid) {
		proc_tree_scope(o->cfg.pid, s->descendants, s->descendants_lost, sub, sizeof(sub));
		fprintf(stderr, "profiled: %s\n", sub);
	}
	if (s->note[0])
		fprintf(stderr, "not used: %s\n", s->note);
	if (s->dropped)
		fprintf(stderr, "warning: %llu sums dropped: a map was full\n", s->dropped);
	if (st.lost)
		fprintf(stderr, "warning: %lu of %lu sums lost a stack: its stack-map bucket "
			"held another stack, or the map was full ('[lost ... stack]')\n", st.lost,
			st.keys);
	if (s->lost_seen)
		fprintf(stderr, "warning: %llu processes not read when first seen\n", s->lost_seen);
	if (st.no_ksyms)
		fprintf(stderr, "warning: /proc/kallsyms shows no addresses (kernel.kptr_restrict):"
			" kernel frames are '[unknown kernel]'\n");
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

	while (!interrupted() && (o->duration <= 0 || now_s() - start < o->duration)) {
		profile_session_poll(s, 50);
		if (child && waitpid(child, &status, WNOHANG) == child)
			return true;
		if (!child && o->cfg.pid && kill(o->cfg.pid, 0) && errno == ESRCH)
			break;
	}
	return false;
}

/* -1 when the profile should run, else the exit code (0 after --help). */
static int parse_opts(int argc, char **argv, struct profile_opts *o)
{
	enum { OPT_OFF_CPU = 256, OPT_FOLDED, OPT_MIN_BLOCK, OPT_DETACH };
	static const struct option opts[] = {
		{ "off-cpu", no_argument, NULL, OPT_OFF_CPU },
		{ "frequency", required_argument, NULL, 'F' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "folded", required_argument, NULL, OPT_FOLDED },
		{ "min-block-us", required_argument, NULL, OPT_MIN_BLOCK },
		{ "detach", no_argument, NULL, OPT_DETACH },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	long max_hz = profile_max_hz();
	bool hz_set = false, min_set = false, verbose = false;
	char *end;
	long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:F:d:p:o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_OFF_CPU: o->cfg.off_cpu = true; break;
		case 'F':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > max_hz) {
				fprintf(stderr, "bpfgauge profile: -F takes samples per second "
					"from 1 to %ld (kernel.perf_event_max_sample_rate), not "
					"'%s'\n", max_hz, optarg);
				return 2;
			}
			o->cfg.hz = v;
			hz_set = true;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end || !(o->duration > 0)) {
				fprintf(stderr, "bpfgauge profile: -d takes a positive "
					"number of seconds, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'p':
			v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || v > 0x7fffffff || (kill(v, 0) && errno == ESRCH)) {
				fprintf(stderr, "bpfgauge profile: no process with pid '%s'\n",
					optarg);
				return 2;
			}
			o->cfg.pid = v;
			break;
		case 'o': o->svg = optarg; break;
		case OPT_FOLDED: o->folded = optarg; break;
		case OPT_MIN_BLOCK:
			v = strtol(optarg, &end, 10);
			if (*end || v < 0 || !optarg[0]) {
				fprintf(stderr, "bpfgauge profile: --min-block-us takes a "
					"whole number of microseconds, not '%s'\n", optarg);
				return 2;
			}
			o->cfg.min_block_us = v;
			min_set = true;
			break;
		case OPT_DETACH: o->detach = true; break;
		case 'v': verbose = true; break;
		case 'h':
			profile_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "bpfgauge profile: option '%s' needs a value; see "
				"'bpfgauge profile --help'\n", argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "bpfgauge profile: unknown option '%s'; see "
				"'bpfgauge profile --help'\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (o->command && (o->duration > 0 || o->cfg.pid)) {
		fprintf(stderr, "bpfgauge profile: give either -d/-p or '-- COMMAND', not "
			"both\n");
		return 2;
	}
	if (o->detach && !o->command) {
		fprintf(stderr, "bpfgauge profile: --detach is for '-- COMMAND'\n");
		return 2;
	}
	if (o->cfg.off_cpu ? hz_set : min_set) {
		fprintf(stderr, "bpfgauge profile: %s applies to %s profiles only\n",
			o->cfg.off_cpu ? "-F" : "--min-block-us",
			o->cfg.off_cpu ? "CPU" : "--off-cpu");
		return 2;
	}
	if (!o->svg) {
		fprintf(stderr, "bpfgauge profile: missing -o FILE.svg; see 'bpfgauge profile "
			"--help'\n");
		return 2;
	}
	libbpf_log_setup(verbose);
	return -1;
}

/* Refuses an output path that exists or cannot be created, before anything starts. */
static int check_output(const char *path)
{
	int err = file_check_new(path);

	if (err == -EEXIST)
		fprintf(stderr, "bpfgauge profile: '%s' exists; output files are never "
			"overwritten: choose another name\n", path);
	else if (err)
		fprintf(stderr, "bpfgauge profile: cannot create '%s': %s\n", path,
			strerror(-err));
	return err ? 2 : 0;
}

int cmd_profile(int argc, char **argv)
{
	struct profile_opts o = { .cfg = { .hz = 49, .min_block_us = 1 } };
	struct profile_session s = {};
	char err[512] = "";
	const char *missing, *what;
	pid_t child = 0;
	int ret, go_fd = -1;
	double start;

	ret = parse_opts(argc, argv, &o);
	if (ret >= 0)
		return ret;
	if (check_output(o.svg) || (o.folded && check_output(o.folded)))
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
		if (child < 0 && errno == ENOENT) {
			fprintf(stderr, "bpfgauge profile: cannot run '%s': no such program in "
				"PATH\n", o.command[0]);
			return 2;
		}
		if (child < 0) {
			fprintf(stderr, "bpfgauge profile: fork: %s\n", strerror(errno));
			return 2;
		}
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
	start = now_s();
	command_release(&go_fd, true);
	if (profile_wait(&s, &o, child, start))
		child = 0;
	profile_session_stop(&s);
	ret = profile_finish(&s, &o, now_s() - start) ? 2 : 0;
cleanup:
	command_release(&go_fd, false);
	profile_session_free(&s);
	/* A Ctrl-C reached the command too; a SIGTERM to us alone must end it as well. */
	if (o.command && !o.detach)
		command_stop_tree();
	return ret;
}
