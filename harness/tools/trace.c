// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge trace TOOL': run one measurement tool for a while, or around a command. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "hist_user.h"
#include "lib/caps.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "tool.h"
#include "trace.h"

static void trace_usage(FILE *f)
{
	fprintf(f,
		"usage: bpfgauge trace TOOL [-d SECONDS | -- COMMAND [ARGS...]] [-p PID] [-c COMM]\n"
		"                      [--json] [-v] [tool options]\n"
		"\n"
		"Measure a latency as a log2 histogram summarised in the kernel; only the summary\n"
		"is read at the end. Without -d or a command it runs until Ctrl-C. Ctrl-C prints what\n"
		"was collected so far. With '-- COMMAND' only that command's process is traced.\n"
		"\n"
		"  -d, --duration SECONDS  stop after this long\n"
		"  -p, --pid PID           trace only this process\n"
		"  -c, --comm COMM         trace only processes with this command name\n"
		"  --json                  print the histograms as JSON\n"
		"  --by-syscall            syscall-latency: one histogram per syscall\n"
		"  --per-disk              block-latency: one histogram per disk\n"
		"  --queued                block-latency: measure from insert, not issue\n"
		"  --func BINARY:SYMBOL    func-latency: the function to time\n"
		"  -v, --verbose           print libbpf's log\n"
		"\n"
		"tools:\n");
	for (size_t i = 0; i < tool_registry_len; i++)
		fprintf(f, "  %-18s %s\n", tool_registry[i]->name, tool_registry[i]->summary);
	fprintf(f, "\n'bpfgauge trace TOOL --help' describes a tool, its hooks and its kernel memory.\n"
		   "Exit: 0 (also after Ctrl-C); 2 bad usage, or no attach method works here.\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_report(const struct tool *t, const struct tool_report *rep,
			 const struct trace_opts *o, double secs, bool json)
{
	if (json) {
		json_t *hists = json_array(), *doc;

		for (size_t i = 0; i < rep->nr_hists; i++) {
			json_t *h = hist_to_json(&rep->hists[i].h);

			if (rep->hists[i].label[0])
				json_object_set_new(h, "label", json_string(rep->hists[i].label));
			json_array_append_new(hists, h);
		}
		doc = json_pack("{s:s s:s s:s s:f s:I s:o}", "tool", t->name, "method", rep->method,
				"method_note", rep->method_note, "duration_s", secs,
				"dropped", (json_int_t)rep->dropped, "histograms", hists);
		if (o->pid)
			json_object_set_new(doc, "pid", json_integer(o->pid));
		if (rep->target[0])
			json_object_set_new(doc, "target", json_string(rep->target));
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		return;
	}
	printf("%s%s%s via %s, %.1f s%s%s\n", t->name, rep->target[0] ? " " : "", rep->target,
	       rep->method, secs, rep->method_note[0] ? "; not used: " : "", rep->method_note);
	for (size_t i = 0; i < rep->nr_hists; i++) {
		char title[96];

		snprintf(title, sizeof(title), "%s%s", rep->hists[i].label[0] ? "" : t->name,
			 rep->hists[i].label);
		putchar('\n');
		hist_print(stdout, &rep->hists[i].h, title);
	}
	if (rep->dropped)
		printf("\n%llu events dropped (a map was full)\n", rep->dropped);
}

int cmd_trace(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_BY_SYSCALL, OPT_PER_DISK, OPT_QUEUED, OPT_FUNC };
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "by-syscall", no_argument, NULL, OPT_BY_SYSCALL },
		{ "per-disk", no_argument, NULL, OPT_PER_DISK },
		{ "queued", no_argument, NULL, OPT_QUEUED },
		{ "func", required_argument, NULL, OPT_FUNC },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	struct trace_opts o = {};
	struct tool_report rep = {};
	const struct tool *t;
	double duration = 0, start;
	bool json = false, verbose = false;
	char err[512] = "", *end;
	void *state = NULL;
	pid_t child = 0;
	int opt, go_fd = -1, ret = 0, status;
	const char *missing;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		trace_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	t = tool_find(argv[1]);
	if (!t) {
		fprintf(stderr, "bpfgauge trace: unknown tool '%s'; 'bpfgauge trace --help' lists "
			"them\n", argv[1]);
		return 2;
	}
	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+d:p:c:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			duration = strtod(optarg, &end);
			if (*end || !(duration > 0)) {
				fprintf(stderr, "bpfgauge trace: -d takes a positive number of seconds, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'p':
			o.pid = strtol(optarg, &end, 10);
			if (*end || o.pid <= 0 || kill(o.pid, 0)) {
				fprintf(stderr, "bpfgauge trace: no process with pid '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c': o.comm = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_BY_SYSCALL: o.by_syscall = true; break;
		case OPT_PER_DISK: o.per_disk = true; break;
		case OPT_QUEUED: o.queued = true; break;
		case OPT_FUNC: o.func = optarg; break;
		case 'v': verbose = true; break;
		case 'h':
			printf("bpfgauge trace %s: %s\n\n%s", t->name, t->summary, t->help);
			return 0;
		default:
			fprintf(stderr, "bpfgauge trace: unknown option '%s'; see 'bpfgauge trace "
				"--help'\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc && (duration > 0 || o.pid)) {
		fprintf(stderr, "bpfgauge trace: give either -d/-p or '-- COMMAND', not both\n");
		return 2;
	}
	missing = caps_missing_for_bpf();
	if (missing) {
		fprintf(stderr, "bpfgauge trace: needs %s (or CAP_SYS_ADMIN); run it as root\n",
			missing);
		return 2;
	}
	libbpf_log_setup(verbose);
	interrupt_setup();

	if (optind < argc) {
		child = command_fork_held(argv + optind, "bpfgauge trace", &go_fd);
		if (child < 0) {
			fprintf(stderr, "bpfgauge trace: fork: %s\n", strerror(errno));
			return 2;
		}
		o.pid = child;
	}
	ret = t->start(&o, &state, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bpfgauge trace: %s: %s\n", t->name, err);
		ret = 2;
		goto cleanup;
	}
	start = now_s();
	if (child) {
		command_release(&go_fd, true);
		/* Until the command ends or Ctrl-C (which the command receives too). */
		while (child && !interrupted() && waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		if (!json && duration > 0)
			fprintf(stderr, "Tracing %s for %g s...\n", t->name, duration);
		else if (!json)
			fprintf(stderr, "Tracing %s... Ctrl-C to end.\n", t->name);
		while (!interrupted() && (duration <= 0 || now_s() - start < duration))
			usleep(duration > 0 && duration < 0.2 ? duration * 1e6 / 4 : 50000);
	}
	ret = t->read(state, &rep);
	if (ret) {
		fprintf(stderr, "bpfgauge trace: read '%s' results: %s\n", t->name, strerror(-ret));
		ret = 2;
		goto cleanup;
	}
	print_report(t, &rep, &o, now_s() - start, json);
cleanup:
	tool_report_release(&rep);
	t->stop(state);
	command_release(&go_fd, false);
	return ret;
}
