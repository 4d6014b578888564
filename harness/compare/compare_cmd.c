// SPDX-License-Identifier: GPL-2.0
/* bpfgauge compare: the command line. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calibration.h"
#include "compare.h"
#include "lib/fileio.h"
#include "lib/numbers.h"

static const char compare_usage[] =
	"usage: bpfgauge compare [options] BASE NEW\n"
	"       bpfgauge compare [options] R1 R2 R3...   (or --matrix R1 R2)\n"
	"\n"
	"Compare results of 'bpfgauge run'. With two, each metric found in both is compared\n"
	"with statistics and given a verdict: regressed, improved, unchanged (its interval lies\n"
	"within the threshold) or inconclusive (with why; never a failure). Runs are the unit:\n"
	"when either side holds several runs (run --runs K, baseline save NAME R1 R2 ...) or a\n"
	"calibration of this machine class exists, a metric is compared by its run values (a\n"
	"throughput's fastest repetition, anything else's median; geometric means, a t interval\n"
	"from their run-to-run spread pooled with the calibration's); with one run on each side\n"
	"and no calibration, by its repetitions (the ratio of medians with a bootstrap interval\n"
	"and the Mann-Whitney p-value). Holm's correction runs over all the metrics compared.\n"
	"Runs in which the calls workload never ran near its fastest (a CPU shared throughout)\n"
	"are left out. When that leaves a side no run, or the reference workload (the machine's\n"
	"own speed) ran at another speed in NEW, every performance verdict is inconclusive: the\n"
	"two runs saw the machine in different states. For CI, compare two new runs\n"
	"(run --runs 2) with a baseline of several and a calibration (docs/compare.md).\n"
	"A check that passed and now fails, is unsupported or errs is a\n"
	"regression; the reverse an improvement. A benchmark that broke in NEW is a regression\n"
	"too (its metrics are reported as broken, with its error); one that broke in BASE only\n"
	"does not fail the comparison. What differs between the two environments\n"
	"(kernel, config, CPU, virtualization, mitigations, ...) is listed first. With three or\n"
	"more, a matrix: one column per result, each compared with the first.\n"
	"BASE, NEW: result files, or the NAME of a baseline ('bpfgauge baseline save NAME'):\n"
	"results/baselines/NAME.json. How verdicts are decided: docs/compare.md.\n"
	"\n"
	"  --threshold PCT   regression threshold in percent for metrics whose suite sets none\n"
	"                    (default: the NEW result's suite threshold, else 5); the suite's\n"
	"                    per-metric [thresholds] globs still apply\n"
	"  --alpha A         significance level after Holm's correction (default 0.01)\n"
	"  --resamples N     bootstrap resamples per interval (default 10000, at least 2000)\n"
	"  --seed N          the bootstrap's random seed (default 1: the same inputs always\n"
	"                    print the same intervals; another seed shows how much they move)\n"
	"  --calibration PATH   the calibrations to take run-to-run noise from: a result of\n"
	"                    several runs, or a directory of them (default " CALIBRATION_DIR ",\n"
	"                    where 'bpfgauge calibrate' writes); only those of NEW's machine\n"
	"                    class are used, for the metrics they measured alike (the same\n"
	"                    repetitions and seconds). 'none': no calibration\n"
	"  --matrix          a matrix even for two results\n"
	"  --json            print the comparison as JSON (docs/compare-json.md)\n"
	"  --markdown        print a Markdown table, for a pull request comment\n"
	"  --junit FILE      also write JUnit XML: one testcase per check and metric; regressed\n"
	"                    is a failure, inconclusive skipped (a new file, never overwritten)\n"
	"  -h, --help        this text\n"
	"\n"
	"The table has colour only on a terminal, and none when NO_COLOR is set. A metric needs\n"
	"at least 5 samples on each side (bpfgauge run --reps); a warning says\n"
	"when the repetitions are too few for any verdict to be significant, and how many would\n"
	"do.\n"
	"\n"
	"examples:\n"
	"  bpfgauge baseline save main results/quick-20260101T000000Z-host.json\n"
	"  bpfgauge compare main results/quick-20260102T000000Z-host.json\n"
	"  bpfgauge compare old.json new.json --junit compare.xml\n"
	"  bpfgauge compare --markdown main new.json > comment.md\n"
	"  bpfgauge compare k6.1.json k6.6.json k6.18.json     one column per kernel\n"
	"\n"
	"Exit codes: 0 nothing regressed; 1 something regressed; 2 bad usage or bad input (an\n"
	"unreadable or malformed result, another schema version, nothing in common).\n";

enum { OPT_THRESHOLD = 256, OPT_ALPHA, OPT_MATRIX, OPT_JSON, OPT_MARKDOWN, OPT_JUNIT,
       OPT_RESAMPLES, OPT_SEED, OPT_CALIBRATION };

/* A baseline NAME rather than a file: a valid name, not ending in .json. */
static bool maybe_baseline(const char *arg)
{
	size_t len = strlen(arg);

	return !baseline_name_check(arg) && (len < 5 || strcmp(arg + len - 5, ".json"));
}

int compare_resolve(const char *arg, char *path, size_t sz)
{
	struct stat st;

	/* A bare name that is not a file here and is a baseline: the baseline. */
	if (maybe_baseline(arg) && stat(arg, &st)) {
		snprintf(path, sz, "%s/%s.json", BASELINE_DIR, arg);
		if (!stat(path, &st))
			return 0;
	}
	snprintf(path, sz, "%s", arg);
	return 0;
}

static int compare_two(struct loaded_result *r, const struct compare_settings *set,
		       enum compare_format fmt, const char *junit)
{
	struct comparison c;
	struct strbuf sb = STRBUF_INIT;
	json_t *doc;
	int err;

	err = compare_pair(&r[0], &r[1], set, &c);
	if (err) {
		if (err == -ENODATA)
			fprintf(stderr, "bpfgauge compare: nothing to compare: '%s' and '%s' "
				"have no check or metric in common\n", r[0].path, r[1].path);
		else
			fprintf(stderr, "bpfgauge compare: %s\n", strerror(-err));
		return 2;
	}
	if (fmt == FORMAT_JSON) {
		doc = compare_to_json(&c);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			   JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(doc);
	} else if (fmt == FORMAT_MARKDOWN) {
		compare_markdown(&c, &sb);
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	} else {
		compare_print_table(&c, stdout, isatty(STDOUT_FILENO) &&
				    !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]));
	}
	for (size_t i = 0; i < c.nr_warnings && fmt != FORMAT_TABLE; i++)
		fprintf(stderr, "warning: %s\n", c.warnings[i]);
	err = comparison_regressed(&c) ? 1 : 0;
	if (junit) {
		compare_junit(&c, &sb);
		if (compare_write_file(junit, &sb))
			err = 2;
		strbuf_release(&sb);
	}
	comparison_release(&c);
	return err;
}

static int parse_number(const char *opt, const char *text, double lo, double hi, double *v)
{
	if (parse_double(text, lo, hi, v) || !(*v > lo && *v < hi)) {
		fprintf(stderr, "bpfgauge compare: %s '%s' must be a number above %g and "
			"below %g\n", opt, text, lo, hi);
		return -EINVAL;
	}
	return 0;
}

static int parse_whole(const char *opt, const char *text, unsigned long lo, unsigned long hi,
		       unsigned long *v)
{
	long n;

	if (parse_long(text, (long)lo, (long)hi, &n)) {
		fprintf(stderr, "bpfgauge compare: %s '%s' must be a whole number from %lu to %lu\n",
			opt, text, lo, hi);
		return -EINVAL;
	}
	*v = n;
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "alpha", required_argument, NULL, OPT_ALPHA },
		{ "matrix", no_argument, NULL, OPT_MATRIX },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "markdown", no_argument, NULL, OPT_MARKDOWN },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "resamples", required_argument, NULL, OPT_RESAMPLES },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "calibration", required_argument, NULL, OPT_CALIBRATION },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct compare_settings set = { .threshold_pct = NAN, .alpha = 0.01, .resamples = 10000,
					.level = 0.95, .seed = 1 };
	enum compare_format fmt = FORMAT_TABLE;
	struct loaded_result *r = NULL;
	const char *junit = NULL, *calibration = CALIBRATION_DIR;
	struct loaded_result *cals = NULL;
	size_t nr_cals = 0;
	bool matrix = false;
	char path[512], err[768];
	int opt, n = 0, ret = 2;
	unsigned long w;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_THRESHOLD:
			if (parse_pct(optarg, &set.threshold_pct) || set.threshold_pct <= 0 ||
			    set.threshold_pct >= 100) {
				fprintf(stderr, "bpfgauge compare: --threshold '%s' must be a "
					"percentage above 0 and below 100, like 5%%\n", optarg);
				return 2;
			}
			break;
		case OPT_ALPHA:
			if (parse_number("--alpha", optarg, 0, 1, &set.alpha))
				return 2;
			break;
		case OPT_RESAMPLES:
			if (parse_whole("--resamples", optarg, 2000, 10000000, &w))
				return 2;
			set.resamples = (int)w;
			break;
		case OPT_SEED:
			if (parse_whole("--seed", optarg, 0, 4294967295UL, &w))
				return 2;
			set.seed = w;
			break;
		case OPT_MATRIX: matrix = true; break;
		case OPT_JSON:
		case OPT_MARKDOWN:
			if (fmt != FORMAT_TABLE) {
				fprintf(stderr, "bpfgauge compare: --json and --markdown both "
					"print to stdout: choose one\n");
				return 2;
			}
			fmt = opt == OPT_JSON ? FORMAT_JSON : FORMAT_MARKDOWN;
			break;
		case OPT_JUNIT: junit = optarg; break;
		case OPT_CALIBRATION: calibration = optarg; break;
		case 'h':
			fputs(compare_usage, stdout);
			return 0;
		default:
			fprintf(stderr, "see 'bpfgauge compare --help'\n");
			return 2;
		}
	}
	n = argc - optind;
	if (n < 2) {
		fprintf(stderr, "bpfgauge compare: needs two results or more (BASE NEW); see "
			"'bpfgauge compare --help'\n");
		return 2;
	}
	if (junit && file_check_output("bpfgauge compare", junit))
		return 2;
	if (strcmp(calibration, "none") &&
	    calibration_load(calibration, &cals, &nr_cals, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge compare: %s\n", err);
		return 2;
	}
	set.cals = cals;
	set.nr_cals = nr_cals;
	r = calloc(n, sizeof(*r));
	if (!r)
		goto cleanup;
	for (int i = 0; i < n; i++) {
		compare_resolve(argv[optind + i], path, sizeof(path));
		opt = result_load(path, &r[i], err, sizeof(err));
		if (opt == -ENOENT && maybe_baseline(argv[optind + i]))
			fprintf(stderr, "bpfgauge compare: %s, and there is no baseline '%s' "
				"(bpfgauge baseline list)\n", err, argv[optind + i]);
		else if (opt)
			fprintf(stderr, "bpfgauge compare: %s\n", err);
		if (opt)
			goto cleanup;
	}
	ret = n == 2 && !matrix ? compare_two(r, &set, fmt, junit) :
				  compare_matrix(r, n, &set, fmt, junit);
cleanup:
	for (int i = 0; r && i < n; i++)
		result_unload(&r[i]);
	free(r);
	calibration_release(cals, nr_cals);
	return ret;
}
