// SPDX-License-Identifier: GPL-2.0
/*
 * bpfgauge calibrate SUITE: the suite run several times, kept in results/calibration/ as this
 * machine class's run-to-run noise, which 'bpfgauge compare' pools into every comparison of
 * that suite on a machine of the same class (compare/calibration.h, docs/compare.md).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "compare/calibration.h"
#include "lib/numbers.h"
#include "result/result.h"
#include "run.h"

static const char calibrate_usage[] =
	"usage: bpfgauge calibrate SUITE [--runs K] [--gap S] [-o FILE] [run options]\n"
	"\n"
	"Measure how much whole runs of a suite differ on this machine: run it K times (default\n"
	"10), S seconds apart (default 10), and keep the result of all K runs in\n"
	CALIBRATION_DIR "/ (a new file; never overwritten). 'bpfgauge compare' then takes each\n"
	"metric's run-to-run spread from every calibration of the same machine class (CPU model\n"
	"and count, hypervisor, architecture; any kernel) that measured it alike (the same\n"
	"repetitions and seconds) and pools it with the runs it compares, so that a single new\n"
	"run can be judged against a baseline: a change is called only when it stands out of\n"
	"this machine's own noise. Calibrate once per machine class (instance type, VM setup),\n"
	"when it is as busy as it will be when it gates; more runs give narrower intervals.\n"
	"How: docs/compare.md.\n"
	"\n"
	"  --runs K     how many runs (2-100; default 10)\n"
	"  --gap S      seconds between runs (default 10)\n"
	"  -o FILE      where to write it instead (then pass it to compare --calibration FILE)\n"
	"  --reps, --seconds, --cpu, --workdir, -v: as for 'bpfgauge run' (a calibration is\n"
	"               meant for results made with the same settings)\n"
	"\n"
	"examples:\n"
	"  bpfgauge calibrate quick\n"
	"  bpfgauge run quick --runs 5 -o base.json && bpfgauge baseline save main base.json\n"
	"  bpfgauge run quick --runs 2 -o new.json && bpfgauge compare main new.json\n"
	"\n"
	"Exit codes: as for 'bpfgauge run'.\n";

int cmd_calibrate(int argc, char **argv)
{
	char out[512], *args[64];
	bool has_runs = false, has_out = false;
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(calibrate_usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--runs") || !strncmp(argv[i], "--runs=", 7)) {
			const char *v = argv[i][6] ? argv[i] + 7 : i + 1 < argc ? argv[i + 1] : "";
			int runs;

			if (parse_int(v, 2, 100, &runs)) {
				fprintf(stderr, "bpfgauge calibrate: --runs takes 2 to 100: "
					"the noise between runs needs two runs at least, not "
					"'%s'\n", v);
				return 2;
			}
			has_runs = true;
		}
		has_out |= !strncmp(argv[i], "-o", 2) || !strncmp(argv[i], "--o", 3);
	}
	if (argc > 56) {
		fprintf(stderr, "bpfgauge calibrate: too many arguments\n");
		return 2;
	}
	args[n++] = "run";
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	if (!has_runs) {
		args[n++] = "--runs";
		args[n++] = "10";
	}
	args[n] = NULL;
	if (has_out)
		return cmd_run(n, args);
	mkdir("results", 0755);
	mkdir(CALIBRATION_DIR, 0755);
	/* A default name: ...-HOST-2.json when another calibration took it meanwhile. */
	result_default_path(out, sizeof(out), CALIBRATION_DIR, NULL, NULL);
	return run_command(n, args, out);
}
