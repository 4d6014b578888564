// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/benchmark.h"
#include "checks/probe.h"
#include "lib/caps.h"
#include "lib/errno_name.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/stats.h"
#include "result/env.h"
#include "result/result.h"
#include "run.h"
#include "run_output.h"
#include "run_result.h"
#include "suite.h"
#include "suite_cpu.h"
#include "suite_path.h"

static const char run_usage[] =
	"usage: bpfgauge run SUITE [-o FILE] [--reps N] [--seconds S] [--cpu N] [--workdir DIR]\n"
	"                    [-v]\n"
	"\n"
	"Run a suite: its capability checks, then its benchmarks (workloads measured with\n"
	"nothing attached, with empty programs, with tools), and write one result JSON with the\n"
	"full environment, every check and every metric with its raw samples.\n"
	"SUITE is a name from suites/ (quick, overhead, io, full) or a path to a .suite file.\n"
	"\n"
	"  -o, --output FILE   where to write the result (a new file; default\n"
	"                      results/SUITE-TIME-HOST.json). Results are never overwritten.\n"
	"  --reps N            repetitions per benchmark, instead of the suite's\n"
	"  --seconds S         seconds per condition and repetition, instead of the suite's\n"
	"  --cpu N             pin workloads to CPU N; -1: no pinning; auto (the suites'\n"
	"                      default): the last CPU when there are two or more\n"
	"  --workdir DIR       where file workloads put their files (default: a temporary\n"
	"                      directory under results/, removed afterwards, and at the next\n"
	"                      run when a run was killed)\n"
	"  -v, --verbose       print libbpf's log\n"
	"\n"
	"Progress goes to stderr, one line per step (a live line on a terminal); the summary to\n"
	"stdout. Exit: 0; 1 when a check the suite requires did not pass or a benchmark broke\n"
	"(the result is still written, with the benchmark's error); 2 on a bad suite file\n"
	"(FILE:LINE: what is wrong) or bad usage; 130 when interrupted (the result is still\n"
	"written, marked interrupted).\n";

/*
 * Runs one benchmark of the suite, or breaks it at once with the errno the suite's
 * inject_error names. 0, -EINTR when interrupted, or -errno with what broke in reason:
 * "WHY: ENAME (text)", WHY when the benchmark said.
 */
static int bench_run(const struct suite_bench *b, struct bench_ctx *ctx, char *reason,
		     size_t sz)
{
	int err;

	if (b->inject_error) {
		snprintf(ctx->why, sizeof(ctx->why), "made to break by the suite's inject_error");
		err = -b->inject_error;
	} else {
		err = b->bench->run(&b->params, ctx);
	}
	if (err && err != -EINTR)
		snprintf(reason, sz, "%s%s%s (%s)", ctx->why, ctx->why[0] ? ": " : "",
			 errno_name(err), strerror(-err));
	return err;
}

/* The metrics from 'first' on that a benchmark which broke left "ok" become "error". */
static void metrics_broken(struct metric_set *ms, size_t first, const char *bench,
			   const char *reason)
{
	char why[512];

	snprintf(why, sizeof(why), "benchmark '%s' broke: %s", bench, reason);
	for (size_t i = first; i < ms->n; i++)
		if (!strcmp(ms->m[i]->status, "ok"))
			metric_unavailable(ms->m[i], "error", why);
}

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
	*made = *made_results = false;
	if (given) {
		struct stat st;

		if (stat(given, &st) || !S_ISDIR(st.st_mode) || access(given, W_OK))
			return -ENOTDIR;
		snprintf(buf, sz, "%s", given);
		return 0;
	}
	*made_results = !mkdir("results", 0755);
	remove_stale_workdirs();
	snprintf(buf, sz, "results/work-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(buf))
		return -errno;
	*made = true;
	return 0;
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_REPS = 256, OPT_SECONDS, OPT_CPU, OPT_WORKDIR };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "workdir", required_argument, NULL, OPT_WORKDIR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	const char *out = NULL, *workdir_opt = NULL, *missing;
	int reps = 0, cpu = -2, opt, ret = 0, err;
	double seconds = 0, start;
	bool verbose = false, made_workdir = false, made_results = false, broke = false;
	char path[512], errbuf[768], out_path[512], workdir[512], *end;
	struct metric_set metrics = {};
	struct probe_run checks = {};
	struct run_progress prog = { .live = isatty(STDERR_FILENO) };
	struct suite s = {};
	json_t *doc = NULL, *jchecks;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case OPT_REPS:
			reps = strtol(optarg, &end, 10);
			if (*end || reps < 1 || reps > 1000) {
				fprintf(stderr, "bpfgauge run: --reps takes a whole number from 1 to "
					"1000, not '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_SECONDS:
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0) || seconds > 3600) {
				fprintf(stderr, "bpfgauge run: --seconds takes a number above 0, not "
					"'%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_CPU:
			if (suite_parse_cpu(optarg, &cpu) ||
			    suite_resolve_cpu(cpu) >= sysconf(_SC_NPROCESSORS_ONLN)) {
				fprintf(stderr, "bpfgauge run: --cpu takes an online CPU number, auto "
					"or -1, not '%s'\n", optarg);
				return 2;
			}
			cpu = suite_resolve_cpu(cpu);
			break;
		case OPT_WORKDIR: workdir_opt = optarg; break;
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
	if (suite_path(argv[optind], path, sizeof(path))) {
		fprintf(stderr, "bpfgauge run: no suite '%s' (looked for '%s')\n", argv[optind], path);
		return 2;
	}
	if (suite_load(path, &s, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "bpfgauge run: %s\n", errbuf);
		ret = 2;
		goto cleanup;
	}
	if (out && (err = file_check_new(out))) {
		fprintf(stderr, "bpfgauge run: cannot write '%s': %s%s\n", out, strerror(-err),
			err == -EEXIST ? " (results are never overwritten)" : "");
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
	start = run_now_s();
	doc = run_result_new(&s, env_collect());

	prog.steps = 1 + s.nr_benches;
	run_step_begin(&prog, "checks");
	if (probe_run_checks(s.run_check, &checks)) {
		fprintf(stderr, "bpfgauge run: out of memory\n");
		ret = 2;
		goto cleanup;
	}
	jchecks = json_object_get(doc, "checks");
	for (size_t i = 0; i < checks.n; i++)
		json_array_append_new(jchecks, probe_check_json(checks.checks[i],
								&checks.results[i]));
	{
		char summary[256];

		probe_summary(&checks, summary, sizeof(summary));
		run_step_end(&prog, checks.total_ms / 1e3, summary);
	}

	for (size_t i = 0; i < s.nr_benches && !interrupted(); i++) {
		struct suite_bench *b = &s.benches[i];
		struct bench_ctx ctx = { .metrics = &metrics, .progress = run_bench_progress,
					 .priv = &prog };
		double t0 = run_now_s();
		size_t first = metrics.n;
		char reason[384], error[512];
		json_t *jbench;

		if (reps)
			b->params.reps = reps;
		if (seconds > 0)
			b->params.seconds = seconds;
		if (cpu != -2)
			b->params.cpu = cpu;
		b->params.workdir = workdir;
		run_step_begin(&prog, b->bench->name);
		jbench = json_pack("{s:s s:i s:f s:i}", "name", b->bench->name, "reps",
				   b->params.reps, "seconds", b->params.seconds, "cpu",
				   b->params.cpu);
		if (b->params.inject_extra_pct)
			json_object_set_new(jbench, "inject_extra_pct",
					    json_integer(b->params.inject_extra_pct));
		if (b->inject_error)
			json_object_set_new(jbench, "inject_error",
					    json_string(errno_name(b->inject_error)));
		json_array_append_new(json_object_get(doc, "benchmarks"), jbench);
		err = bench_run(b, &ctx, reason, sizeof(reason));
		run_step_end(&prog, run_now_s() - t0, err == -EINTR ? "interrupted" : err ? "broke" :
			 "done");
		if (err && err != -EINTR) {
			snprintf(error, sizeof(error), "%s: %s", b->bench->name, reason);
			json_object_set_new(jbench, "error", json_string(error));
			metrics_broken(&metrics, first, b->bench->name, reason);
			fprintf(stderr, "bpfgauge run: benchmark '%s' broke: %s\n", b->bench->name,
				reason);
			broke = true;
		}
	}

	for (size_t i = 0; i < metrics.n; i++)
		json_array_append_new(json_object_get(doc, "metrics"), metric_to_json(metrics.m[i]));
	json_object_set_new(doc, "duration_s", json_real(run_now_s() - start));
	json_object_set_new(doc, "interrupted", json_boolean(interrupted()));

	/* The summary: checks as the probe prints them, then every metric. */
	probe_print_table(&checks, stdout, isatty(STDOUT_FILENO));
	if (metrics.n)
		run_print_metrics(&metrics);

	if (out)
		snprintf(out_path, sizeof(out_path), "%s", out);
	else
		run_result_path(&s, out_path, sizeof(out_path));
	err = result_write(doc, out_path);
	if (err) {
		fprintf(stderr, "bpfgauge run: cannot write the result to '%s': %s\n", out_path,
			strerror(-err));
		ret = 2;
		goto cleanup;
	}
	printf("\nresult: %s\n", out_path);

	for (size_t i = 0; i < checks.n; i++) {
		size_t k = check_index(checks.checks[i]);

		if (s.require_check[k] && checks.results[i].status != CHECK_PASS) {
			fprintf(stderr, "bpfgauge run: required check '%s' is %s: %s\n",
				checks.checks[i]->name, check_status_name(checks.results[i].status),
				checks.results[i].reason);
			ret = 1;
		}
	}
	if (broke)
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
	probe_run_release(&checks);
	metric_set_release(&metrics);
	suite_release(&s);
	return ret;
}
