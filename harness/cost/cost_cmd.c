// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost_cmd.h"
#include "cost_report.h"
#include "cost_result.h"
#include "cost_run.h"
#include "object_hold.h"
#include "lib/caps.h"
#include "lib/cgroup.h"
#include "lib/fileio.h"
#include "result/result.h"
#include "run/suite_cpu.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/numbers.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bpfgauge cost [--workloads LIST] [--budget PCT] [--reps N] [--seconds S]\n"
		"                     [--cpu N] [--ready-after S] [--ready-timeout S] [--bracket]\n"
		"                     [--json] [-o RESULT]\n"
		"                     -- TRACER [ARGS...]\n"
		"       bpfgauge cost [...] --object FILE.bpf.o\n"
		"\n"
		"What a tracer (a bpftrace script, a libbpf or BCC tool, an agent) costs here:\n"
		"each workload runs untraced and with the tracer running, in rotating order,\n"
		"repetition by repetition (the first discarded); the tracer is started before\n"
		"each traced run and stopped after it (unless bracketed: see --bracket), in a\n"
		"cgroup of its own. It is ready once it holds BPF programs and its programs and\n"
		"attachments stopped changing for %d ms (or after --ready-after seconds).\n"
		"Per workload: untraced and traced ops/s, the slowdown and the ns added per\n"
		"operation (each traced run paired with its repetition's untraced run: medians,\n"
		"p25..p75), the tracer's programs by CPU from the kernel's run-time stats\n"
		"(switched on through BPF_ENABLE_STATS, off when bpfgauge exits), where each is\n"
		"attached, the run time they account for per operation, and the tracer's\n"
		"own CPU (its cgroup's).\n"
		"\n"
		"  --workloads LIST   comma-separated (default\n"
		"                     " COST_DEFAULT_WORKLOADS ";\n"
		"                     fio-randread is skipped, saying so, where fio is not\n"
		"                     installed); 'bpfgauge list' names them. Not by default:\n"
		"                     stress-ng's (stress-switch, stress-syscall), whose runs\n"
		"                     last whole seconds\n"
		"  --budget PCT       exit 1 when a workload's median slowdown (how much longer\n"
		"                     an operation takes) is above PCT %%\n"
		"  --reps N           measured repetitions (default 5, at most %d)\n"
		"  --seconds S        each workload run (default 0.5)\n"
		"  --cpu N            pin the workloads to CPU N; -1: no pinning; auto (the\n"
		"                     default, as in the suites): the last CPU when there are\n"
		"                     two or more. The tracer is not pinned\n"
		"  --ready-after S    the tracer is ready S seconds after it holds a program\n"
		"  --ready-timeout S  give up when it holds none by then (default 30)\n"
		"  --bracket          start the tracer once, for all traced runs, between\n"
		"                     untraced repetitions before and after it, and say how far\n"
		"                     those drifted apart; chosen by itself when the tracer took\n"
		"                     %.0f s or more to be ready at its first start (a BCC tool\n"
		"                     compiling; --ready-after counts)\n"
		"  --object FILE      the tracer is a BPF object: a process of bpfgauge's opens\n"
		"                     and loads it with libbpf and attaches each program where\n"
		"                     its section name says (as a skeleton's attach does;\n"
		"                     SEC(\"uprobe\"), SEC(\"xdp\") name no target: not attached)\n"
		"  --json             the results as JSON\n"
		"  -o, --output FILE  also a result file (never overwritten) with the metrics\n"
		"                     cost/WORKLOAD/{untraced,traced}_ops_per_s, slowdown_pct,\n"
		"                     added_ns, a sample per repetition: for compare and history\n"
		"\n"
		"A tracer that daemonizes runs on in its cgroup and is measured; it ends when no\n"
		"process of its cgroup is left. Its programs count runs for every process they\n"
		"run for: on a busy machine, runs per operation include the others'. tracefs\n"
		"and bpffs, which tracers take for granted, are mounted where missing (left\n"
		"mounted, as bpftool does).\n"
		"\n"
		"Exit: 0; 1 over --budget; 2 bad usage, or it cannot measure (the tracer is not\n"
		"found, exits, attaches nothing in time; the object does not load or attach; a\n"
		"workload breaks).\n",
		TRACER_SETTLE_MS, COST_MAX_REPS, COST_BRACKET_READY_S);
}

/*
 * The work directories of runs that were killed (/tmp/bpfgauge-cost-PID-* of a PID that is
 * gone), with the files their workloads left in them.
 */
static void remove_stale_workdirs(void)
{
	DIR *d = opendir("/tmp"), *w;
	struct dirent *de, *f;
	char path[300], file[600];
	int pid;

	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "bpfgauge-cost-%d-", &pid) != 1 || kill(pid, 0) == 0)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		w = opendir(path);
		while (w && (f = readdir(w))) {
			snprintf(file, sizeof(file), "%s/%s", path, f->d_name);
			if (f->d_type == DT_REG)
				unlink(file);
		}
		if (w)
			closedir(w);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

/* A positive number up to max, or -1 with one line said. */
static double positive(const char *opt, const char *arg, bool integer, double max)
{
	long n = 0;
	double v = 0;
	int err = integer ? parse_long(arg, 1, (long)max, &n) : parse_double(arg, 0, max, &v);

	if (integer)
		v = n;
	if (err || !(v > 0)) {
		fprintf(stderr, "bpfgauge cost: %s takes a positive %s up to %g, not '%s'\n", opt,
			integer ? "whole number" : "number", max, arg);
		return -1;
	}
	return v;
}

/* Splits list into names (at most COST_MAX_WORKLOADS known workloads): how many, or -1. */
static int workload_names(char *list, const char **names)
{
	int n = 0;

	for (char *save = NULL, *w = strtok_r(list, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		if (!workload_find(w)) {
			fprintf(stderr,
				"bpfgauge cost: no workload '%s'; 'bpfgauge list' names "
				"them\n",
				w);
			return -1;
		}
		if (n == COST_MAX_WORKLOADS) {
			fprintf(stderr, "bpfgauge cost: at most %d workloads\n",
				COST_MAX_WORKLOADS);
			return -1;
		}
		names[n++] = w;
	}
	if (!n)
		fprintf(stderr, "bpfgauge cost: --workloads names none\n");
	return n ? n : -1;
}

/* The result file: 0, or -1 with one line said. */
static int write_result(const struct cost *c, const char *path)
{
	json_t *doc = cost_result(c);
	char saved[PATH_MAX];
	int err;

	if (!doc) {
		fprintf(stderr, "bpfgauge cost: cannot write '%s': out of memory\n", path);
		return -1;
	}
	err = result_save("bpfgauge cost", doc, path, 0, saved, sizeof(saved));
	json_decref(doc);
	if (!err)
		fprintf(stderr, "result: %s\n", path);
	return err ? -1 : 0;
}

int cmd_cost(int argc, char **argv)
{
	enum {
		OPT_WORKLOADS = 256,
		OPT_BUDGET,
		OPT_REPS,
		OPT_SECONDS,
		OPT_READY,
		OPT_TIMEOUT,
		OPT_JSON,
		OPT_OBJECT,
		OPT_CPU,
		OPT_BRACKET
	};
	static const struct option opts[] = {
		{ "workloads", required_argument, NULL, OPT_WORKLOADS },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "ready-after", required_argument, NULL, OPT_READY },
		{ "ready-timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "object", required_argument, NULL, OPT_OBJECT },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "bracket", no_argument, NULL, OPT_BRACKET },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	static char list[1024] = COST_DEFAULT_WORKLOADS;
	const char *names[COST_MAX_WORKLOADS];
	struct cost c = { .reps = 5,
			  .o = { .seconds = 0.5, .cpu = suite_resolve_cpu(SUITE_CPU_AUTO) },
			  .ready_timeout = 30,
			  .stats_fd = -1,
			  .t.log_fd = -1 };
	struct cost_row rows[COST_MAX_WORKLOADS];
	char workdir[64], err[512] = "";
	double budget = -1, v;
	bool json = false;
	const char *missing, *out = NULL;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+ho:", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_WORKLOADS:
			snprintf(list, sizeof(list), "%s", optarg);
			break;
		case OPT_BUDGET:
			if ((budget = positive("--budget", optarg, false, 1e6)) < 0)
				return 2;
			break;
		case OPT_REPS:
			if ((v = positive("--reps", optarg, true, COST_MAX_REPS)) < 0)
				return 2;
			c.reps = (int)v;
			break;
		case OPT_SECONDS:
			if ((c.o.seconds = positive("--seconds", optarg, false, 3600)) < 0)
				return 2;
			break;
		case OPT_READY:
			if ((c.ready_after = positive("--ready-after", optarg, false, 3600)) < 0)
				return 2;
			break;
		case OPT_TIMEOUT:
			if ((c.ready_timeout = positive("--ready-timeout", optarg, false, 3600)) <
			    0)
				return 2;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_OBJECT:
			c.object = optarg;
			break;
		case OPT_BRACKET:
			c.bracket = true;
			break;
		case OPT_CPU:
			if (suite_cpu_option(optarg, &c.o.cpu, err, sizeof(err))) {
				fprintf(stderr, "bpfgauge cost: --cpu '%s': %s\n", optarg, err);
				return 2;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr,
				"bpfgauge cost: unknown option or missing value '%s'; see "
				"'bpfgauge cost --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind >= argc && !c.object) {
		fprintf(stderr, "bpfgauge cost: no tracer: give it after '--', or --object FILE; "
				"see 'bpfgauge cost --help'\n");
		return 2;
	}
	if (optind < argc && c.object) {
		fprintf(stderr, "bpfgauge cost: --object FILE or '-- TRACER', not both\n");
		return 2;
	}
	c.nr = workload_names(list, names);
	if (c.nr < 0)
		return 2;
	/* Refused before the run, not after it. */
	if (out && file_check_output("bpfgauge cost", out))
		return 2;
	c.names = names;
	libbpf_log_setup(false);
	if (c.object && object_check(c.object, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge cost: %s\n", err);
		return 2;
	}
	missing = caps_missing_for_bpf();
	if (missing) {
		fprintf(stderr, "bpfgauge cost: needs %s (or CAP_SYS_ADMIN); run it as root\n",
			missing);
		return 2;
	}
	/* What a killed run left: its cgroups, and a tracer that daemonized in one. */
	cgroup_remove_stale();
	remove_stale_workdirs();
	snprintf(workdir, sizeof(workdir), "/tmp/bpfgauge-cost-%d-XXXXXX", (int)getpid());
	if (!mkdtemp(workdir)) {
		fprintf(stderr, "bpfgauge cost: mkdtemp: %s\n", strerror(errno));
		return 2;
	}
	c.o.workdir = workdir;
	interrupt_setup();
	ret = cost_run(&c, argv + optind, err, sizeof(err));
	if (!ret) {
		cost_summarize(&c, rows);
		if (json) {
			json_t *doc = cost_json(&c, rows, budget);

			json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(doc);
		} else {
			cost_print(&c, rows, budget, stdout);
		}
		ret = cost_over_budget(&c, rows, budget) ? 1 : 0;
		if (out && write_result(&c, out))
			ret = 2;
	} else if (ret == -EINTR) {
		fprintf(stderr, "bpfgauge cost: interrupted\n");
		ret = 130;
	} else {
		fprintf(stderr, "bpfgauge cost: %s\n", err[0] ? err : strerror(-ret));
		ret = 2;
	}
	cost_release(&c);
	rmdir(workdir);
	return ret;
}
