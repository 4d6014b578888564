// SPDX-License-Identifier: GPL-2.0
/* 'bpfgauge trace TOOL': run one measurement tool for a while, or around a command. */
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
#include "command.h"
#include "hist_user.h"
#include "lib/caps.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/numbers.h"
#include "proc_tree.h"
#include "tool.h"
#include "trace.h"

/* "  --func BINARY:SYMBOL    " and its help, after "TOOL: " when tool is given. */
static void option_help(FILE *f, const struct tool_option *opt, const char *tool)
{
	char name[64];

	snprintf(name, sizeof(name), "--%s%s%s", opt->name, opt->arg ? " " : "",
		 opt->arg ? opt->arg : "");
	fprintf(f, "  %-22s  %s%s%s\n", name, tool ? tool : "", tool ? ": " : "", opt->help);
}

static void trace_usage(FILE *f)
{
	fprintf(f,
		"usage: bpfgauge trace TOOL [-d SECONDS | -- COMMAND [ARGS...]] [-p PID] [-c COMM]\n"
		"                      [--detach] [--json] [-v] [tool options]\n"
		"\n"
		"Measure a latency as a log2 histogram summarised in the kernel; only the summary\n"
		"is read at the end. Without -d or a command it runs until Ctrl-C. Ctrl-C prints what\n"
		"was collected so far.\n"
		"With '-- COMMAND' that command is traced from its exec on, with every process it\n"
		"forks (threads, children, double forks, what a shell script runs); with -p PID that\n"
		"process and its descendants, those alive at the start and those forked since. The\n"
		"output names them: 'pid 1234 and its 3 descendants'. The command starts with the\n"
		"default signal dispositions and an empty signal mask. When it ends, or bpfgauge is\n"
		"interrupted (Ctrl-C, or SIGTERM to bpfgauge alone), what is left of its tree gets\n"
		"SIGTERM, and SIGKILL 2 s later. Following a tree takes a hash of up to %d\n"
		"descendants (4-byte key) and two programs, on fork and on exit.\n"
		"\n"
		"  -d, --duration SECONDS  stop after this long (at most a day)\n"
		"  -p, --pid PID           trace only this process and its descendants\n"
		"  -c, --comm COMM         trace only processes with this command name\n"
		"  --detach                leave the command's processes running at the end\n"
		"  --json                  print the histograms as JSON\n", TREE_MAX_PROCS);
	for (size_t i = 0; i < tool_registry_len; i++)
		for (const struct tool_option *opt = tool_registry[i]->options; opt && opt->name;
		     opt++)
			option_help(f, opt, tool_registry[i]->name);
	fprintf(f, "  -v, --verbose           print libbpf's log\n"
		   "\n"
		   "tools:\n");
	for (size_t i = 0; i < tool_registry_len; i++)
		fprintf(f, "  %-18s %s\n", tool_registry[i]->name, tool_registry[i]->summary);
	fprintf(f, "\n'bpfgauge trace TOOL --help' describes a tool, its hooks and its kernel memory.\n"
		   "Exit: 0 (also after Ctrl-C); 2 bad usage, or no attach method works here.\n");
}

/* 'bpfgauge trace TOOL --help': what the tool says of itself, then its own options. */
static void tool_usage(const struct tool *t)
{
	printf("bpfgauge trace %s: %s\n\n%s", t->name, t->summary, t->help);
	if (!t->options || !t->options->name) {
		printf("\nOptions: those of every tool ('bpfgauge trace --help').\n");
		return;
	}
	printf("\nOptions, besides those of every tool ('bpfgauge trace --help'):\n");
	for (const struct tool_option *opt = t->options; opt->name; opt++)
		option_help(stdout, opt, NULL);
}

enum { OPT_JSON = 256, OPT_DETACH, OPT_TOOL };

/* The options of every tool. */
static const struct option common_opts[] = {
	{ "duration", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
};
#define NR_COMMON_OPTS (sizeof(common_opts) / sizeof(common_opts[0]))

/*
 * The getopt table: the options of every tool, then t's own, whose values are OPT_TOOL + their
 * index. -E2BIG when t declares more than TOOL_MAX_OPTIONS.
 */
static int options_table(const struct tool *t,
			 struct option opts[NR_COMMON_OPTS + TOOL_MAX_OPTIONS + 1])
{
	size_t n = 0, i = 0;

	for (; n < NR_COMMON_OPTS; n++)
		opts[n] = common_opts[n];
	for (const struct tool_option *opt = t->options; opt && opt->name; opt++, i++) {
		if (i == TOOL_MAX_OPTIONS)
			return -E2BIG;
		opts[n++] = (struct option){ opt->name, opt->arg ? required_argument : no_argument,
					     NULL, OPT_TOOL + (int)i };
	}
	opts[n] = (struct option){};
	return 0;
}

/* Where a tool's option lands in the options its start() receives (struct tool_option). */
static void option_set(struct trace_opts *o, const struct tool_option *opt, const char *arg)
{
	char *field = (char *)o + opt->offset;

	if (opt->arg)
		*(const char **)field = arg;
	else
		*(bool *)field = true;
}

/*
 * An option getopt refused: another tool's ("'syscall-latency' has no option '--per-disk'")
 * or an unknown one. Either way one line.
 */
static void option_refused(const struct tool *t, const char *arg)
{
	bool elsewhere = false;
	char name[64];

	if (!strncmp(arg, "--", 2)) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
		for (size_t i = 0; i < tool_registry_len && !elsewhere; i++)
			elsewhere = tool_option_find(tool_registry[i], name) != NULL;
	}
	if (elsewhere && !tool_option_find(t, name))
		fprintf(stderr, "bpfgauge trace: '%s' has no option '--%s'; see 'bpfgauge trace %s "
			"--help'\n", t->name, name, t->name);
	else
		fprintf(stderr, "bpfgauge trace: unknown option '%s'; see 'bpfgauge trace --help'\n",
			arg);
}

static void print_report(const struct tool *t, const struct tool_report *rep,
			 const struct trace_opts *o, double secs, bool json)
{
	char scope[160];

	proc_tree_scope(o->pid, rep->descendants, rep->descendants_lost, scope, sizeof(scope));
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
		json_object_set_new(doc, "scope", json_string(scope));
		if (o->pid) {
			json_object_set_new(doc, "pid", json_integer(o->pid));
			json_object_set_new(doc, "descendants", json_integer(rep->descendants));
			json_object_set_new(doc, "descendants_lost",
					    json_integer(rep->descendants_lost));
		}
		if (rep->target[0])
			json_object_set_new(doc, "target", json_string(rep->target));
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		return;
	}
	printf("%s%s%s via %s, %.1f s, %s%s%s%s%s\n", t->name, rep->target[0] ? " " : "",
	       rep->target, rep->method, secs, scope, o->comm ? " named " : "",
	       o->comm ? o->comm : "", rep->method_note[0] ? "; not used: " : "",
	       rep->method_note);
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
	struct option opts[NR_COMMON_OPTS + TOOL_MAX_OPTIONS + 1];
	struct trace_opts o = {};
	struct tool_report rep = {};
	const struct tool *t;
	double duration = 0, start;
	bool json = false, verbose = false, detach = false;
	char err[512] = "";
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
	if (options_table(t, opts)) {
		fprintf(stderr, "bpfgauge trace: '%s' declares more than %d options\n", t->name,
			TOOL_MAX_OPTIONS);
		return 2;
	}
	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+d:p:c:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (parse_duration(optarg, &duration)) {
				fprintf(stderr, "bpfgauge trace: -d takes a number of seconds "
					"above 0 and up to %d, not '%s'\n", NUMBERS_MAX_DURATION,
					optarg);
				return 2;
			}
			break;
		case 'p':
			if (parse_int(optarg, 1, INT_MAX, &o.pid) || kill(o.pid, 0)) {
				fprintf(stderr, "bpfgauge trace: no process with pid '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c': o.comm = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_DETACH: detach = true; break;
		case 'v': verbose = true; break;
		case 'h':
			tool_usage(t);
			return 0;
		default:
			if (opt >= OPT_TOOL) {
				option_set(&o, &t->options[opt - OPT_TOOL], optarg);
				break;
			}
			option_refused(t, argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc && (duration > 0 || o.pid)) {
		fprintf(stderr, "bpfgauge trace: give either -d/-p or '-- COMMAND', not both\n");
		return 2;
	}
	if (detach && optind >= argc) {
		fprintf(stderr, "bpfgauge trace: --detach is for '-- COMMAND'\n");
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
		if (child < 0)
			return 2;
		o.pid = child;
	}
	ret = t->start(&o, &state, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "bpfgauge trace: %s: %s\n", t->name, err);
		ret = 2;
		goto cleanup;
	}
	start = clock_now_s();
	if (child) {
		command_release(&go_fd, true);
		/* Until the command ends, Ctrl-C (which the command receives too) or SIGTERM. */
		while (child && !interrupted() && waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		if (!json && duration > 0)
			fprintf(stderr, "Tracing %s for %g s...\n", t->name, duration);
		else if (!json)
			fprintf(stderr, "Tracing %s... Ctrl-C to end.\n", t->name);
		while (!interrupted() && (duration <= 0 || clock_now_s() - start < duration))
			usleep(duration > 0 && duration < 0.2 ? duration * 1e6 / 4 : 50000);
	}
	ret = t->read(state, &rep);
	if (ret) {
		fprintf(stderr, "bpfgauge trace: read '%s' results: %s\n", t->name, strerror(-ret));
		ret = 2;
		goto cleanup;
	}
	print_report(t, &rep, &o, clock_now_s() - start, json);
cleanup:
	tool_report_release(&rep);
	t->stop(state);
	command_release(&go_fd, false);
	if (child && !detach)
		command_stop_tree();
	return ret;
}
