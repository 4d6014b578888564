// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "bench/benchmark.h"
#include "checks/probe.h"
#include "lib/caps.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/numbers.h"
#include "lib/stats.h"
#include "result/env.h"
#include "result/result.h"
#include "result/result_merge.h"
#include "run.h"
#include "run_once.h"
#include "run_output.h"
#include "suite.h"
#include "suite_cpu.h"
#include "suite_path.h"

#define RUN_MAX_RUNS 100
#define RUN_MAX_RUNS_TEXT "100"
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
#define COST_MAX_REPS_TEXT TEXT(COST_MAX_REPS)

static const char run_usage[] =
	"usage: bpfgauge run SUITE [-o FILE] [--runs K [--gap S]] [--reps N] [--seconds S]\n"
	"                    [--cpu N] [--workdir DIR] [--intrusive] [-v]\n"
	"\n"
	"Run a suite: its capability checks, then its benchmarks (workloads measured with\n"
	"nothing attached, with empty programs, with tools), then its [cost NAME] sections\n"
	"(what a tracer costs the workloads, as 'bpfgauge cost' measures it), and write one\n"
	"result JSON with the full environment, every check and every metric with its raw\n"
	"samples.\n"
	"SUITE is a name from suites/ (quick, overhead, io, full) or a path to a .suite file.\n"
	"\n"
	"  -o, --output FILE   where to write the result (a new file; default\n"
	"                      results/SUITE-TIME-HOST.json, numbered -2 and on when taken).\n"
	"                      Results are never overwritten: when FILE is made meanwhile or\n"
	"                      cannot be written at the end, the result is saved to FILE-2\n"
	"                      beside it or to $TMPDIR, said on stderr (exit 2)\n"
	"  --runs K            run the suite K times (1-" RUN_MAX_RUNS_TEXT ") and write one result\n"
	"                      of K runs: each metric keeps every run's median. Runs, not\n"
	"                      repetitions, are what 'bpfgauge compare' needs to know this\n"
	"                      machine's run-to-run noise (docs/compare.md); a baseline of 5\n"
	"                      runs is a good start\n"
	"  --gap S             seconds between two runs (default 10), so that they see more\n"
	"                      of the machine's slow and fast periods\n"
	"  --reps N            repetitions per benchmark and cost section, instead of the\n"
	"                      suite's (a cost section takes at most " COST_MAX_REPS_TEXT ")\n"
	"  --seconds S         seconds per condition and repetition, instead of the suite's\n"
	"  --cpu N             pin workloads to CPU N; -1: no pinning; auto (the suites'\n"
	"                      default): the last CPU when there are two or more\n"
	"  --workdir DIR       where file workloads put their files (default: a temporary\n"
	"                      directory under results/, removed afterwards, and at the next\n"
	"                      run when a run was killed)\n"
	"  --intrusive         also run the suite's checks that change the machine for every\n"
	"                      process while they run (sched_ext replaces the scheduler for a\n"
	"                      fraction of a second); without it they are 'skipped'. For test\n"
	"                      machines and VMs: see 'bpfgauge probe --help'\n"
	"  -v, --verbose       print libbpf's log\n"
	"\n"
	"Progress goes to stderr, one line per step (a live line on a terminal); the summary to\n"
	"stdout. Exit: 0; 1 when a check the suite requires did not pass, a benchmark or cost\n"
	"section broke (the result is still written, with its error) or a cost section's\n"
	"workload went over its budget; 2 on a bad suite file (FILE:LINE: what is wrong), bad\n"
	"usage or a result saved elsewhere than asked; 130 when interrupted (the result is\n"
	"still written, marked interrupted).\n";

/* Empty work directories of runs that were killed: results/work-PID-* of a PID that is gone. */
static void remove_stale_workdirs(void)
{
	struct dirent *de;
	char path[512];
	DIR *d = opendir("results");

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;

		if (sscanf(de->d_name, "work-%d-", &pid) != 1 || kill(pid, 0) == 0)
			continue;
		snprintf(path, sizeof(path), "results/%s", de->d_name);
		if (rmdir(path) == 0)
			fprintf(stderr, "bpfgauge: removed '%s', left by a run that was killed\n",
				path);
	}
	closedir(d);
}

/*
 * The workdir: the one given, or results/work-PID-XXXXXX (made; *made_results too when
 * results/ itself had to be made, so that a run writing its result elsewhere leaves no empty
 * results/ behind).
 */
static int make_workdir(const char *given, char *buf, size_t sz, bool *made, bool *made_results)
{
	*made = false;
	if (given) {
		struct stat st;

		if (stat(given, &st) || !S_ISDIR(st.st_mode) || access(given, W_OK))
			return -ENOTDIR;
		snprintf(buf, sz, "%s", given);
		return 0;
	}
	if (!mkdir("results", 0755))
		*made_results = true;
	remove_stale_workdirs();
	snprintf(buf, sz, "results/work-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(buf))
		return -errno;
	*made = true;
	return 0;
}

/* Sleeps the gap between two runs, in steps so that Ctrl-C ends it at once. */
static void run_gap(double gap, int next, int runs)
{
	double until = clock_now_s() + gap;

	if (gap <= 0)
		return;
	fprintf(stderr, "waiting %.0f s before run %d of %d (--gap)\n", gap, next, runs);
	while (!interrupted() && clock_now_s() < until)
		usleep(100 * 1000);
}

/*
 * The suite run 'runs' times, 'gap' seconds apart: one document, or with several runs their
 * merge (result/result_merge.h). A run cut short by an interrupt (or out of memory) after a
 * complete one is left out, and the document says it was interrupted; runs that cannot be
 * merged (the machine changed under them) leave the first run alone, said on stderr. *last
 * keeps the last complete run's checks for the summary; *failed is set when a run must exit
 * 1: a required check did not pass, a benchmark or cost section broke, a cost was over its
 * budget. NULL when no run could be made.
 */
static json_t *run_runs(struct suite *s, const struct run_once_opts *o, int runs,
			double gap, struct run_once_out *last, bool *failed)
{
	struct run_progress prog = { .live = isatty(STDERR_FILENO),
				     .steps = runs * (1 + (int)(s->nr_benches + s->nr_costs)) };
	json_t *docs[RUN_MAX_RUNS], *doc = NULL;
	char err[512];
	int done = 0;

	for (int r = 0; r < runs && !interrupted(); r++) {
		struct run_once_out cur;
		bool cut;

		if (r)
			run_gap(gap, r + 1, runs);
		if (r && interrupted())
			break;
		if (runs > 1)
			fprintf(stderr, "run %d of %d\n", r + 1, runs);
		cut = run_once(s, o, &prog, &cur) || (r && interrupted());
		if (cut && r) {
			run_once_release(&cur);
			break;
		}
		run_once_release(last);
		*last = cur;
		*failed |= last->required_failed || last->broke || last->over_budget;
		if (!last->doc)
			break;
		docs[done++] = json_incref(last->doc);
	}
	if (done && done < runs)
		fprintf(stderr, "bpfgauge run: stopped before run %d of %d: the result holds the "
			"%d complete run%s\n", done + 1, runs, done, done == 1 ? "" : "s");
	if (done > 1) {
		doc = result_merge(docs, done, err, sizeof(err));
		if (!doc)
			fprintf(stderr, "bpfgauge run: the runs cannot be merged: %s; the result "
				"holds run 1 alone\n", err);
	}
	if (!doc && done)
		doc = json_incref(docs[0]);
	if (doc)
		json_object_set_new(doc, "interrupted", json_boolean(interrupted()));
	for (int i = 0; i < done; i++)
		json_decref(docs[i]);
	return doc;
}

int cmd_run(int argc, char **argv)
{
	return run_command(argc, argv, NULL);
}

int run_command(int argc, char **argv, const char *default_out)
{
	enum { OPT_REPS = 256, OPT_SECONDS, OPT_CPU, OPT_WORKDIR, OPT_RUNS, OPT_GAP,
	       OPT_INTRUSIVE };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "workdir", required_argument, NULL, OPT_WORKDIR },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "gap", required_argument, NULL, OPT_GAP },
		{ "intrusive", no_argument, NULL, OPT_INTRUSIVE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *out = NULL, *workdir_opt = NULL, *missing;
	int runs = 1, opt, ret = 0, err;
	double gap = -1;
	bool verbose = false, made_workdir = false, made_results = false, failed = false;
	char path[512], errbuf[768], out_path[512], saved[PATH_MAX], workdir[512];
	struct run_once_opts o = { .cpu = -2, .workdir = workdir };
	struct run_once_out last = {};
	struct suite s = {};
	json_t *doc = NULL;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case OPT_REPS:
			if (parse_int(optarg, 1, SUITE_MAX_REPS, &o.reps)) {
				fprintf(stderr, "bpfgauge run: --reps takes a whole number from 1 to "
					"%d, not '%s'\n", SUITE_MAX_REPS, optarg);
				return 2;
			}
			break;
		case OPT_SECONDS:
			if (parse_seconds(optarg, &o.seconds)) {
				fprintf(stderr, "bpfgauge run: --seconds takes a number above 0 "
					"and up to 3600, not '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_CPU:
			if (suite_cpu_option(optarg, &o.cpu, errbuf, sizeof(errbuf))) {
				fprintf(stderr, "bpfgauge run: --cpu '%s': %s\n", optarg, errbuf);
				return 2;
			}
			break;
		case OPT_WORKDIR: workdir_opt = optarg; break;
		case OPT_INTRUSIVE: o.checks.intrusive = true; break;
		case OPT_RUNS:
			if (parse_int(optarg, 1, RUN_MAX_RUNS, &runs)) {
				fprintf(stderr, "bpfgauge run: --runs takes a whole number from 1 to "
					"%d, not '%s'\n", RUN_MAX_RUNS, optarg);
				return 2;
			}
			break;
		case OPT_GAP:
			if (parse_double(optarg, 0, 3600, &gap)) {
				fprintf(stderr, "bpfgauge run: --gap takes seconds from 0 to 3600, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v': verbose = true; break;
		case 'h': fputs(run_usage, stdout); return 0;
		default:
			fprintf(stderr, "bpfgauge run: unknown option '%s'; see 'bpfgauge run --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "bpfgauge run: %s; see 'bpfgauge run --help'\n",
			optind == argc ? "which suite? (quick, overhead, io, full or a path)" :
			"one suite at a time");
		return 2;
	}
	if (gap >= 0 && runs == 1) {
		fprintf(stderr, "bpfgauge run: --gap is the time between runs: it needs --runs K "
			"with K of 2 or more\n");
		return 2;
	}
	if (suite_path(argv[optind], path, sizeof(path))) {
		fprintf(stderr, "bpfgauge run: no suite '%s' (looked for '%s')\n", argv[optind], path);
		return 2;
	}
	if (suite_load(path, &s, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "bpfgauge run: %s\n", errbuf);
		ret = 2;
		goto cleanup;
	}
	if (s.nr_costs && o.reps > COST_MAX_REPS) {
		fprintf(stderr, "bpfgauge run: --reps %d: [cost %s] runs at most %d repetitions (as "
			"'bpfgauge cost')\n", o.reps, s.costs[0].name, COST_MAX_REPS);
		ret = 2;
		goto cleanup;
	}
	/* The output is chosen and checked before anything runs. */
	if (out || default_out) {
		snprintf(out_path, sizeof(out_path), "%s", out ? out : default_out);
	} else {
		made_results = !mkdir("results", 0755);
		result_default_path(out_path, sizeof(out_path), "results", s.name, NULL);
	}
	/* A default name taken by then becomes NAME-2...: only the user's is refused. */
	if (out && file_check_output("bpfgauge run", out_path)) {
		ret = 2;
		goto cleanup;
	}
	if ((missing = caps_missing_for_bpf())) {
		fprintf(stderr, "bpfgauge run: needs %s (or CAP_SYS_ADMIN); run it as root\n",
			missing);
		ret = 2;
		goto cleanup;
	}
	if ((err = make_workdir(workdir_opt, workdir, sizeof(workdir), &made_workdir,
				&made_results))) {
		fprintf(stderr, "bpfgauge run: --workdir '%s': %s\n", workdir_opt ? workdir_opt :
			"results/work-*", err == -ENOTDIR ? "not a writable directory" :
			strerror(-err));
		ret = 2;
		goto cleanup;
	}
	libbpf_log_setup(verbose);
	interrupt_setup();
	doc = run_runs(&s, &o, runs, gap < 0 ? 10 : gap, &last, &failed);
	if (!doc) {
		fprintf(stderr, "bpfgauge run: out of memory\n");
		ret = 2;
		goto cleanup;
	}

	/* The summary: checks as the probe prints them (the last run's), then every metric. */
	probe_print_table(&last.checks, stdout, isatty(STDOUT_FILENO));
	run_print_metrics(json_object_get(doc, "metrics"));

	if (result_save("bpfgauge run", doc, out_path, out ? 0 : FILE_SAVE_ANY_NAME, saved,
			sizeof(saved))) {
		ret = 2;
		goto cleanup;
	}
	printf("\nresult: %s\n", saved);

	if (failed)
		ret = 1;
	if (interrupted())
		ret = 130;
cleanup:
	if (made_workdir && rmdir(workdir))
		fprintf(stderr, "bpfgauge run: workdir '%s' not removed: %s\n", workdir,
			strerror(errno));
	if (made_results)
		rmdir("results");	/* only when empty: the result went elsewhere */
	json_decref(doc);
	run_once_release(&last);
	suite_release(&s);
	return ret;
}
