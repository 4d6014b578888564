// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/libbpf_log.h"
#include "lib/numbers.h"
#include "profile_opts.h"
#include "profile_stacks.h"
#include "tools/proc_tree.h"
#include "tools/command.h"

/* Off-CPU stretches longer than the longest profile (-d) cannot be seen. */
#define MAX_MIN_BLOCK_US (NUMBERS_MAX_DURATION * 1000000L)

static void profile_usage(FILE *f)
{
	fprintf(f,
		"usage: bpfgauge profile [--off-cpu] [-F HZ] [-d SECONDS | -- COMMAND [ARGS]]\n"
		"                        [-p PID] [--detach] -o FILE.svg [--folded FILE]\n"
		"                        [--json] [--min-block-us N] [-v]\n"
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
		"until it execs, starts with default signal dispositions, and what is left of\n"
		"its tree when it ends or the profile is interrupted gets SIGTERM (SIGKILL 2 s\n"
		"later).\n"
		"\n"
		"  -o, --output FILE.svg   the flame graph (required; never overwritten)\n"
		"  --folded FILE           also write folded stacks ('comm;frame;frame count',\n"
		"                          root first) for flamegraph.pl, speedscope, inferno\n"
		"  --json                  print every frame's share as JSON (CPU: with its 95%%\n"
		"                          interval)\n"
		"  --off-cpu               off-CPU time instead of CPU samples\n"
		"  -F, --frequency HZ      CPU samples per second on each CPU (default %d)\n"
		"  --min-block-us N        off-CPU: leave out stretches shorter (default 1)\n"
		"  -d, --duration SECONDS  stop after this long (at most a day)\n"
		"  -p, --pid PID           profile only this process and its descendants\n"
		"  --detach                leave the command's processes running at the end\n"
		"  -v, --verbose           print libbpf's log\n"
		"\n"
		"User stacks are walked through frame pointers, from the sampled function to\n"
		"its callers. Code built without them (the default at -O2 of most distributions'\n"
		"programs and libraries, libc included) breaks the walk in two ways. When such a\n"
		"function is the innermost one (the one sampled, or a libc system-call wrapper\n"
		"that blocked), the walk goes on from its caller's frame and so skips that\n"
		"caller: the stack shows '%s' in its place (x86-64; told by\n"
		"whether the function begins by setting up its frame, so one that does so only\n"
		"later counts as without). When such a function is further up, the frame\n"
		"pointer holds anything: the walk ends there or goes astray, and the stack is\n"
		"cut short. Build what you profile with -fno-omit-frame-pointer. Frames\n"
		"without a symbol show as '[unknown MODULE]'. A process's mappings are read\n"
		"when it is first seen and, for CPU profiles, again each time it maps code\n"
		"(dlopen), so short-lived ones are still named unless they exit before that\n"
		"('[unknown]').\n"
		"\n"
		"How sure a share is: a frame with k of n samples has the share k/n, give or\n"
		"take its 95%% interval (binomial; in the SVG's titles and --json). A busy\n"
		"thread for 1 s at the default %d Hz gives about %d samples, shares known to\n"
		"+-3 points; at 49 Hz a 4 s run gives ~200 samples and +-7 points. The rate is\n"
		"not a round number, so that sampling does not lock onto a period of the\n"
		"program's own. A run with too few samples for +-5 points on its main frames is\n"
		"warned about.\n"
		"\n"
		"Kernel memory, allocated at start: a hash of %d stacks keyed by their own\n"
		"hash (8-byte key, %d frames x 8 bytes: about 16 MiB; two stacks are never\n"
		"taken for one), a per-CPU buffer of one stack, a hash of %d sums (40-byte key,\n"
		"8-byte value), a hash of 4096 processes seen (20-byte key), a hash of 1024\n"
		"threads in an mmap of code (4-byte key) and a 64 KiB ring buffer that\n"
		"announces each new process (and one that has mapped code). Off-CPU start\n"
		"times: task storage (48 bytes per traced task, freed with it) or, where tp_btf\n"
		"is refused, a hash of %d x 48 bytes. Full maps show as dropped sums, a full\n"
		"stacks map as '[lost ... stack]'. Following a process tree: a hash of %d\n"
		"descendants (4-byte key).\n"
		"\n"
		"Exit: 0 (also after Ctrl-C); 2 bad usage, an output file exists, or cannot\n"
		"run here.\n",
		COMMAND_PRE_EXEC_NAME, PROFILE_DEFAULT_HZ, PROFILE_MISSING_CALLER,
		PROFILE_DEFAULT_HZ, PROFILE_DEFAULT_HZ, PROFILE_MAX_STACKS, PROFILE_MAX_DEPTH,
		PROFILE_MAX_STACKS, PROFILE_TID_STARTS, TREE_MAX_PROCS);
}

/* -1 when the profile should run, else the exit code (0 after --help). */
int profile_parse_opts(int argc, char **argv, struct profile_opts *o)
{
	enum { OPT_OFF_CPU = 256, OPT_FOLDED, OPT_MIN_BLOCK, OPT_DETACH, OPT_JSON };
	static const struct option opts[] = {
		{ "off-cpu", no_argument, NULL, OPT_OFF_CPU },
		{ "frequency", required_argument, NULL, 'F' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "folded", required_argument, NULL, OPT_FOLDED },
		{ "min-block-us", required_argument, NULL, OPT_MIN_BLOCK },
		{ "detach", no_argument, NULL, OPT_DETACH },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	long max_hz = profile_max_hz();
	bool hz_set = false, min_set = false, verbose = false;
	long v;
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:F:d:p:o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_OFF_CPU: o->cfg.off_cpu = true; break;
		case 'F':
			if (parse_long(optarg, 1, max_hz, &v)) {
				fprintf(stderr, "bpfgauge profile: -F takes samples per second "
					"from 1 to %ld (kernel.perf_event_max_sample_rate), not "
					"'%s'\n", max_hz, optarg);
				return 2;
			}
			o->cfg.hz = v;
			hz_set = true;
			break;
		case 'd':
			if (parse_duration(optarg, &o->duration)) {
				fprintf(stderr, "bpfgauge profile: -d takes a number of seconds "
					"above 0 and up to %d, not '%s'\n", NUMBERS_MAX_DURATION,
					optarg);
				return 2;
			}
			break;
		case 'p':
			if (parse_long(optarg, 1, INT_MAX, &v) || (kill(v, 0) && errno == ESRCH)) {
				fprintf(stderr, "bpfgauge profile: no process with pid '%s'\n",
					optarg);
				return 2;
			}
			o->cfg.pid = v;
			break;
		case 'o': o->svg = optarg; break;
		case OPT_FOLDED: o->folded = optarg; break;
		case OPT_MIN_BLOCK:
			if (parse_long(optarg, 0, MAX_MIN_BLOCK_US, &v)) {
				fprintf(stderr, "bpfgauge profile: --min-block-us takes a "
					"whole number of microseconds from 0 to %ld, not '%s'\n",
					MAX_MIN_BLOCK_US, optarg);
				return 2;
			}
			o->cfg.min_block_us = v;
			min_set = true;
			break;
		case OPT_DETACH: o->detach = true; break;
		case OPT_JSON: o->json = true; break;
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
	/* The default rate, within what the kernel allows now. */
	if (!hz_set)
		o->cfg.hz = max_hz < PROFILE_DEFAULT_HZ ? max_hz : PROFILE_DEFAULT_HZ;
	libbpf_log_setup(verbose);
	return -1;
}

