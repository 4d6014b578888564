// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/caps.h"
#include "lib/cgroup.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "lib/libbpf_log.h"
#include "lib/reaper.h"
#include "probe.h"
#include "result/env.h"

static const char probe_usage[] =
	"usage: bpfgauge probe [--json] [--junit FILE] [--only a,b] [--require a,b] [--intrusive]\n"
	"                      [-v]\n"
	"\n"
	"Find out what eBPF this kernel really supports. Each check loads a program, attaches it,\n"
	"triggers the event, verifies that the event was seen with the right data, and cleans up.\n"
	"A check that cannot work here says why: the CONFIG_ option that is not set, the errno of\n"
	"the call that failed, the lockdown mode, the verifier's last line.\n"
	"\n"
	"  --json          print the verdicts and the environment as JSON on stdout\n"
	"  --junit FILE    also write JUnit XML, one testcase per check, to FILE (a new file)\n"
	"  --only a,b      run only these checks ('bpfgauge list' names them)\n"
	"  --require a,b   exit 1 unless each of these checks passes\n"
	"  --intrusive     also run the checks that change the machine for every process while\n"
	"                  they run: sched_ext replaces the kernel's scheduler with a small BPF\n"
	"                  one for a fraction of a second, so every task is scheduled by it (and\n"
	"                  would wait on it, up to the 3 s after which the kernel ends a BPF\n"
	"                  scheduler that leaves a task waiting). Without it they are 'skipped',\n"
	"                  saying so. For test machines and VMs ('bpfgauge vmtest --intrusive'),\n"
	"                  not for a production host\n"
	"  -v, --verbose   print libbpf's log on stderr\n"
	"  -h, --help      this text\n"
	"\n"
	"Statuses: pass; fail (should work here and does not); unsupported (this kernel or its\n"
	"configuration lacks it); skipped (does not apply here); error (the check itself broke).\n"
	"Exit: 0, 1 when a --require'd check did not pass, 2 on bad usage or when it cannot run.\n"
	"Needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; CAP_NET_ADMIN for network checks).\n";

/* Splits "a,b" into known checks; marks them in 'want'. Returns 0 or prints and returns -1. */
static int parse_names(const char *opt, const char *list, bool *want)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int err = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct check *c = check_find(tok);

		if (!c) {
			fprintf(stderr, "bpfgauge probe: unknown check '%s' in %s; "
				"'bpfgauge list' names them\n", tok, opt);
			err = -1;
			break;
		}
		want[check_index(c)] = true;
	}
	if (!err && !list[strspn(list, ",")]) {
		fprintf(stderr, "bpfgauge probe: %s needs at least one check name\n", opt);
		err = -1;
	}
	free(copy);
	return err;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int probe_run_checks(const bool *want, const struct check_opts *opts, struct probe_run *run)
{
	size_t n = check_registry_len;
	double start;

	memset(run, 0, sizeof(*run));
	run->checks = calloc(n, sizeof(*run->checks));
	run->results = calloc(n, sizeof(*run->results));
	if (!run->checks || !run->results) {
		probe_run_release(run);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (want[i])
			run->checks[run->planned++] = check_registry[i];
	/* A run killed earlier may have left its temporary cgroups. */
	cgroup_remove_stale();
	start = now_ms();
	for (size_t i = 0; i < run->planned; i++) {
		if (interrupted()) {
			run->interrupted = true;
			break;
		}
		check_result_init(&run->results[i]);
		run->results[i].opts = opts;
		check_run(run->checks[i], &run->results[i]);
		run->n++;
	}
	/* Every deferred link is gone before the verdicts are printed. */
	reaper_drain();
	run->total_ms = now_ms() - start;
	run->interrupted |= interrupted();
	return 0;
}

void probe_run_release(struct probe_run *run)
{
	for (size_t i = 0; run->results && i < run->n; i++)
		check_result_release(&run->results[i]);
	free(run->results);
	free(run->checks);
	memset(run, 0, sizeof(*run));
}


int cmd_probe(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "only", required_argument, NULL, 'o' },
		{ "require", required_argument, NULL, 'r' },
		{ "intrusive", no_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	size_t n = check_registry_len;
	bool only[n], require[n], any_only = false, json = false, verbose = false;
	const char *junit = NULL, *missing;
	struct check_opts copts = {};
	struct probe_run run = {};
	int opt, err, ret = 0;

	memset(only, 0, sizeof(only));
	memset(require, 0, sizeof(require));
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': json = true; break;
		case 'J': junit = optarg; break;
		case 'o':
			if (parse_names("--only", optarg, only))
				return 2;
			any_only = true;
			break;
		case 'r':
			if (parse_names("--require", optarg, require))
				return 2;
			break;
		case 'I': copts.intrusive = true; break;
		case 'v': verbose = true; break;
		case 'h': fputs(probe_usage, stdout); return 0;
		default:
			fprintf(stderr, "bpfgauge probe: unknown option '%s'; see 'bpfgauge probe --help'\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bpfgauge probe: unexpected argument '%s'; see 'bpfgauge probe --help'\n",
			argv[optind]);
		return 2;
	}
	if (junit && file_check_output("bpfgauge probe", junit))
		return 2;
	missing = caps_missing_for_bpf();
	if (missing) {
		fprintf(stderr, "bpfgauge probe: needs %s (or CAP_SYS_ADMIN) to load BPF programs; "
			"run it as root\n", missing);
		return 2;
	}

	libbpf_log_setup(verbose);
	interrupt_setup();

	for (size_t i = 0; i < n; i++)
		only[i] = !any_only || only[i] || require[i];
	if (probe_run_checks(only, &copts, &run)) {
		fprintf(stderr, "bpfgauge probe: out of memory\n");
		ret = 2;
		goto cleanup;
	}

	if (json) {
		json_t *env = env_collect(), *doc = probe_to_json(&run, env);

		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
		json_decref(env);
	} else {
		probe_print_table(&run, stdout, isatty(STDOUT_FILENO));
	}
	fflush(stdout);

	if (junit) {
		char *xml = probe_to_junit(&run), saved[PATH_MAX];

		if (!xml)
			fprintf(stderr, "bpfgauge probe: --junit '%s': out of memory\n", junit);
		err = xml ? file_save("bpfgauge probe", junit, 0, xml, strlen(xml), saved,
				      sizeof(saved)) : -ENOMEM;
		free(xml);
		if (err) {
			ret = 2;
			goto cleanup;
		}
	}

	for (size_t i = 0; i < run.planned; i++) {
		const struct check_result *r = &run.results[i];
		bool ran = i < run.n;

		if (!require[check_index(run.checks[i])] || (ran && r->status == CHECK_PASS))
			continue;
		fprintf(stderr, "bpfgauge probe: required check '%s' is %s%s%s\n",
			run.checks[i]->name, ran ? check_status_name(r->status) : "not run",
			ran && r->reason[0] ? ": " : "", ran ? r->reason : "");
		ret = 1;
	}
	if (run.interrupted && !ret)
		ret = 130;
cleanup:
	probe_run_release(&run);
	return ret;
}
