// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/benchmark.h"
#include "checks/check.h"
#include "tools/tool.h"
#include "workloads/workload.h"
#include <bpf/libbpf.h>

#include "libbpf_source.h"

#include "checks/probe.h"
#include "compare/compare.h"
#include "cost/cost_cmd.h"
#include "history/history_cmd.h"
#include "profile/profile_cmd.h"
#include "run/run.h"
#include "tools/trace.h"
#include "vmtest/vmtest.h"

static const char main_usage[] =
	"usage: bpfgauge <command> [options]\n"
	"\n"
	"Validate what eBPF this Linux kernel really supports: load, attach, trigger, verify.\n"
	"\n"
	"commands:\n"
	"  probe     run the capability checks and print a verdict for each (--json, --junit)\n"
	"  run       run a suite (checks + benchmarks) and write one result JSON\n"
	"  calibrate run a suite 10 times: this machine's run-to-run noise, for compare\n"
	"  compare   compare results or baselines: a verdict per metric and check (exit 1: worse)\n"
	"  baseline  keep results as a named baseline ('save NAME R...'), list them ('list')\n"
	"  trace     run a measurement tool (latency histogram) for a while or around a command\n"
	"  bench     benchmarks: what tracing costs here ('bench tools')\n"
	"  profile   CPU or off-CPU profile: folded stacks and an SVG flame graph\n"
	"  cost      what a tracer of yours costs workloads here, per program of it\n"
	"  history   SQLite history of results; where each metric shifted (add, show, changes)\n"
	"  vmtest    boot another kernel in QEMU, run a suite there, bring its result back\n"
	"  list      list the checks, tools, benchmarks and workloads that exist\n"
	"  version   print the bpfgauge and libbpf versions\n"
	"  help      this text; 'bpfgauge COMMAND --help' explains a command\n"
	"\n"
	"examples:\n"
	"  bpfgauge probe                       what works here, and why the rest does not\n"
	"  bpfgauge run quick                   checks and what tracing costs, as one result\n"
	"  bpfgauge probe --only kprobe,fentry  just those two\n"
	"  bpfgauge probe --require uprobe,ringbuf --junit probe.xml   gate a CI job\n"
	"  bpfgauge probe --json | jq '.checks[] | select(.status != \"pass\")'\n"
	"  bpfgauge trace syscall-latency -- dd if=/dev/zero of=/dev/null count=100000\n"
	"  bpfgauge profile -d 10 -o cpu.svg     where the CPUs spend their time\n"
	"  bpfgauge profile --off-cpu -o off.svg -- make   where 'make' waits\n"
	"  bpfgauge cost --budget 2 -- bpftrace -e 'tracepoint:syscalls:sys_enter_read { @++ }'\n"
	"\n"
	"Exit codes: 0 success; 1 a required check did not pass; 2 bad usage or cannot run.\n";

static int cmd_list(int argc, char **argv)
{
	const char *last_area = "";

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: bpfgauge list\n\nList the capability checks (by area), the measurement "
		       "tools, the benchmarks and the workloads.\n");
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "bpfgauge list: unexpected argument '%s'\n", argv[1]);
		return 2;
	}
	printf("checks (bpfgauge probe --only NAME):\n");
	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check *c = check_registry[i];

		if (strcmp(c->area, last_area))
			printf("  %s\n", c->area);
		last_area = c->area;
		printf("    %-19s %s\n", c->name, c->summary);
	}
	printf("\ntools (bpfgauge trace NAME):\n");
	for (size_t i = 0; i < tool_registry_len; i++)
		printf("    %-19s %s\n", tool_registry[i]->name, tool_registry[i]->summary);
	printf("\nbenchmarks ([bench NAME] in a suite):\n");
	for (size_t i = 0; i < benchmark_registry_len; i++)
		printf("    %-19s %s\n", benchmark_registry[i]->name, benchmark_registry[i]->summary);
	printf("\nworkloads:\n");
	for (size_t i = 0; i < workload_registry_len; i++)
		printf("    %-19s %s\n", workload_registry[i]->name, workload_registry[i]->summary);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(main_usage, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	if (!strcmp(cmd, "probe"))
		return cmd_probe(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "calibrate"))
		return cmd_calibrate(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc - 1, argv + 1);
	if (!strcmp(cmd, "baseline"))
		return cmd_baseline(argc - 1, argv + 1);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(argc - 1, argv + 1);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argc - 1, argv + 1);
	if (!strcmp(cmd, "profile"))
		return cmd_profile(argc - 1, argv + 1);
	if (!strcmp(cmd, "cost"))
		return cmd_cost(argc - 1, argv + 1);
	if (!strcmp(cmd, "history"))
		return cmd_history(argc - 1, argv + 1);
	if (!strcmp(cmd, "vmtest"))
		return cmd_vmtest(argc - 1, argv + 1);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("bpfgauge %s (%s), libbpf %s: %s\n", BPFGAUGE_VERSION, BPFGAUGE_COMMIT,
		       libbpf_version_string(), BPFGAUGE_LIBBPF_SOURCE);
		return 0;
	}
	fprintf(stderr, "bpfgauge: unknown command '%s'; see 'bpfgauge help'\n", cmd);
	return 2;
}
