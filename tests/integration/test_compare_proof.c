// SPDX-License-Identifier: GPL-2.0
/*
 * That 'bpfgauge compare' finds what is there and nothing else, on real runs of this machine:
 *
 * - A/A: a baseline of 3 runs and a new side of 2 runs of the same suite compared run by
 *   run, as docs/compare.md recommends gating CI: no metric is regressed (nor improved).
 *   With one new run, one comparison in 10 to 20 here calls one metric a change (that run's
 *   bad luck is not part of the noise); with two, none of 20 exited 1. The machine's speed moves between states for seconds
 *   to minutes, and every number moves with it from one run to the next; the run-to-run
 *   spread of the baseline's runs is what a change must stand out of. The thresholds are
 *   those the repetition model needed here (40 % for absolute metrics, 10 % for slowdown_pct),
 *   kept so that the test asks no more than before.
 * - Injected regression: the 'syscall' workload with inject_extra_pct = 10 makes 10 % more
 *   getppid calls per operation (counted in tests/test_inject.c), so its throughput is
 *   1/1.1 = 0.909 of a run without: compare must call it regressed with an interval that
 *   covers 0.909, and the reverse (the injected run as the base) improved, covering 1.1.
 *
 * Separate runs see the machine as it is at their time: this VM's speed moves by a third for
 * seconds to minutes (an untraced getppid takes ~195 or ~260 ns), so two long runs one after the
 * other can differ by more than the injected cost. The injected test therefore does what a
 * benchmark does inside one run: it interleaves many short runs of both sides and pools each
 * side's samples into one result, which compare then reads like any other. In a noisy minute
 * the answer can still be imprecise (inconclusive, or an interval just beside the truth): an
 * imprecise experiment takes more pairs (up to ROUNDS rounds), up to EXPERIMENTS experiments
 * are made until one gets it right; none may get the direction wrong, nor keep its interval
 * beside the truth through all its rounds (72 samples a side). When every one stays
 * inconclusive the machine was too noisy to find a 10% cost in that many samples: the test
 * says so and skips (a test of make check must pass on a busy machine); how often compare
 * finds such a cost is measured on a quiet one by make soak (docs/compare.md).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "integration.h"
#include "lib/stats.h"
#include "result/result.h"
#include "support.h"

#define PAIRS 12
#define REPS 2
#define TRUTH_PCT 0.5
#define EXPERIMENTS 3
#define ROUNDS 3
#define METRIC "workload-throughput/syscall/ops_per_s"

static char dir[] = "/tmp/bpfgauge-proof-XXXXXX";

static void make_dir(void)
{
	test_dir_make(dir);
}

static void remove_dir(void)
{
	test_dir_remove(dir);
}

static void write_file(const char *name, const char *text)
{
	test_file_write(dir, name, text);
}

/* bpfgauge run DIR/SUITE OPTS -o DIR/OUT; asserts it succeeded. */
static void run_suite(const char *suite, const char *opts, const char *out)
{
	char cmd[1024], *text;
	int st;

	snprintf(cmd, sizeof(cmd), "%s run %s/%s %s -o %s/%s 2>&1", bpfgauge_bin(), dir, suite,
		 opts, dir, out);
	text = sh(cmd, &st);
	cr_assert_eq(st, 0, "bpfgauge run %s failed (%d):\n%s", suite, st, text);
	free(text);
}

/* bpfgauge compare --json DIR/BASE DIR/NEW: the document; its exit code in *code. */
static json_t *compare(const char *base, const char *new, int *code)
{
	char cmd[1024], *text;
	json_error_t jerr;
	json_t *doc;

	snprintf(cmd, sizeof(cmd), "%s compare --json --calibration none %s/%s %s/%s",
		 bpfgauge_bin(), dir, base, dir, new);
	text = sh(cmd, code);
	doc = json_loads(text, 0, &jerr);
	cr_assert_not_null(doc, "compare --json printed no JSON (%s): %s", jerr.text, text);
	free(text);
	return doc;
}

static const char *verdict_of(json_t *row)
{
	const char *v = json_string_value(json_object_get(row, "verdict"));

	return v ? v : "(none)";
}

static double num(json_t *row, const char *key)
{
	return json_number_value(json_object_get(row, key));
}

Test(compare_proof, a_a_finds_no_regression, .init = make_dir, .fini = remove_dir, .timeout = 600)
{
	const char *verdicts[] = { "regressed", "improved", "unchanged", "inconclusive" };
	int counts[4] = {}, code;
	json_t *doc, *m;
	size_t i;

	/* Untraced throughput of three kinds of work, and what two attach types cost. */
	write_file("aa.suite", "[suite]\nreps = 8\nseconds = 0.1\n[checks]\nrun = none\n"
		   "[bench workload-throughput]\nvariants = syscall, file-read, pipe-pingpong\n"
		   "[bench attach-overhead]\nvariants = raw_tracepoint, tp_btf\n"
		   "[thresholds]\n*/ops_per_s = 40%\n*/untraced_ops_per_s = 40%\n"
		   "attach-overhead/*/ns_per_event = 40%\nattach-overhead/*/slowdown_pct = 10%\n");
	/* A baseline of 3 runs and a new side of 2: compared run by run, with the spread of
	 * both sides' runs. */
	run_suite("aa.suite", "--runs 3 --gap 0", "a1.json");
	run_suite("aa.suite", "--runs 2 --gap 0", "a2.json");
	doc = compare("a1.json", "a2.json", &code);
	json_array_foreach(json_object_get(doc, "metrics"), i, m) {
		for (int v = 0; v < 4; v++)
			counts[v] += !strcmp(verdict_of(m), verdicts[v]);
		cr_expect(!json_object_get(m, "ratio") ||
			  !strcmp(json_string_value(json_object_get(m, "model")), "runs"),
			  "'%s' not compared run by run", json_string_value(json_object_get(m,
												"name")));
		cr_expect(strcmp(verdict_of(m), "regressed") && strcmp(verdict_of(m), "improved"),
			  "A/A: '%s' %s: ratio %.3f (%.3f-%.3f), p after Holm %.2g",
			  json_string_value(json_object_get(m, "name")), verdict_of(m),
			  num(m, "ratio"), num(m, "ci_lo"), num(m, "ci_hi"), num(m, "p_holm"));
	}
	cr_assert_gt(i, 5, "too few metrics compared: %zu", i);
	cr_assert_eq(code, 0, "nothing regressed, yet compare exited %d", code);
	cr_log_info("A/A over %zu metrics: %d regressed, %d improved, %d unchanged, "
		    "%d inconclusive\n", i, counts[0], counts[1], counts[2], counts[3]);
	json_decref(doc);
}

/* Appends the samples of METRIC in the result DIR/NAME to 'pool'. */
static void gather(const char *name, json_t *pool)
{
	char path[600];
	json_t *doc, *v;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc, "'%s' is not JSON", path);
	json_array_foreach(json_object_get(test_metric(doc, METRIC), "samples"), i, v)
		json_array_append(pool, v);
	json_decref(doc);
}

/* DIR/OUT: the result DIR/FIRST with METRIC's samples those of 'pool' (median and quartiles
 * recomputed), without the machine's metrics: the interleaving itself puts both sides in
 * the machine's same states, which FIRST's machine metrics alone would not show. */
static void write_pooled(const char *first, json_t *pool, const char *out)
{
	char path[600];
	struct stats_summary st;
	double v[ROUNDS * PAIRS * REPS];
	json_t *doc, *m, *x;
	size_t i, n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, first);
	doc = json_load_file(path, 0, NULL);
	cr_assert_not_null(doc, "'%s' is not JSON", path);
	json_array_foreach(pool, i, x)
		if (n < sizeof(v) / sizeof(v[0]))
			v[n++] = json_number_value(x);
	stats_summarize(v, n, &st);
	m = test_metric(doc, METRIC);
	json_object_set_new(m, "samples", json_deep_copy(pool));
	json_object_set_new(m, "median", json_real(st.median));
	json_object_set_new(m, "p25", json_real(st.p25));
	json_object_set_new(m, "p75", json_real(st.p75));
	test_drop_metric(doc, RESULT_REFERENCE_METRIC);
	test_drop_metric(doc, RESULT_CALLS_METRIC);
	snprintf(path, sizeof(path), "%s/%s", dir, out);
	cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

/*
 * Whether the interval reaches the true ratio within TRUTH_PCT: 1/1.1 holds for the syscalls
 * alone (the loop around them costs a few ns more per operation on both sides, which moves it
 * by about 0.05%), and a 95% interval misses its truth one time in twenty by construction (here
 * 1 of 8 runs missed 0.909 by 0.001); the test is about finding the cost, not that 5%.
 */
static bool near(json_t *row, double truth)
{
	return num(row, "ci_lo") <= truth * (1 + TRUTH_PCT / 100) &&
	       num(row, "ci_hi") >= truth * (1 - TRUTH_PCT / 100);
}

enum outcome { FOUND, INCONCLUSIVE, WRONG };

/*
 * One interleaved experiment, as a benchmark interleaves its conditions: rounds of PAIRS pairs
 * of short runs, base and injected in turn (the order swapped every other pair), each of REPS
 * repetitions; each side's samples pooled into one result, compared both ways after every
 * round. The machine's drifts and switches then fall on both sides alike, as inside one run;
 * while the answer is imprecise (inconclusive, or an interval beside the truth: with 24
 * samples a side one interval here was 0.794-0.902 for 0.909, a state switch falling on more
 * of one side's runs) another round narrows it, up to ROUNDS.
 * Appends what it found to 'log'; FOUND when both verdicts and intervals are right,
 * INCONCLUSIVE when either comparison stayed so, WRONG otherwise. A verdict in the wrong
 * direction fails the test at once: noise makes a comparison imprecise (inconclusive, or an
 * interval beside the truth), never turns a cost into a gain.
 */
static enum outcome experiment(int e, char *log, size_t sz)
{
	const double truth = 1 / 1.1;
	json_t *plain = json_array(), *injected = json_array(), *doc, *row;
	char name[64], a[64], b[64], worse[16] = "", better[16] = "";
	bool ok = false;
	int code;

	for (int r = 0; r < ROUNDS && !ok; r++) {
		for (int k = 0; k < PAIRS; k++) {
			for (int i = 0; i < 2; i++) {
				bool inj = (i + k) % 2;

				snprintf(name, sizeof(name), "%s-%d-%d-%d.json",
					 inj ? "injected" : "plain", e, r, k);
				run_suite(inj ? "injected.suite" : "plain.suite", "", name);
				gather(name, inj ? injected : plain);
			}
		}
		snprintf(name, sizeof(name), "plain-%d-0-0.json", e);
		snprintf(a, sizeof(a), "plain-%d-%d.json", e, r);
		write_pooled(name, plain, a);
		snprintf(name, sizeof(name), "injected-%d-0-0.json", e);
		snprintf(b, sizeof(b), "injected-%d-%d.json", e, r);
		write_pooled(name, injected, b);

		doc = compare(a, b, &code);
		row = test_metric(doc, METRIC);
		snprintf(worse, sizeof(worse), "%s", verdict_of(row));
		snprintf(log + strlen(log), sz - strlen(log), "experiment %d, %zu samples a side: "
			 "injected %s x%.3f (%.3f-%.3f, exit %d)", e, json_array_size(plain), worse,
			 num(row, "ratio"), num(row, "ci_lo"), num(row, "ci_hi"), code);
		cr_assert_str_neq(worse, "improved", "%s", log);
		ok = !strcmp(worse, "regressed") && near(row, truth) && code == 1;
		json_decref(doc);

		doc = compare(b, a, &code);
		row = test_metric(doc, METRIC);
		snprintf(better, sizeof(better), "%s", verdict_of(row));
		snprintf(log + strlen(log), sz - strlen(log), "; removed %s x%.3f (%.3f-%.3f, "
			 "exit %d)\n", better, num(row, "ratio"), num(row, "ci_lo"),
			 num(row, "ci_hi"), code);
		cr_assert_str_neq(better, "regressed", "%s", log);
		ok = ok && !strcmp(better, "improved") && near(row, 1 / truth) && code == 0;
		json_decref(doc);
	}
	json_decref(plain);
	json_decref(injected);
	if (ok)
		return FOUND;
	return !strcmp(worse, "inconclusive") || !strcmp(better, "inconclusive") ? INCONCLUSIVE :
										     WRONG;
}

Test(compare_proof, an_injected_10_pct_cost_is_found_both_ways, .init = make_dir,
     .fini = remove_dir, .timeout = 600)
{
	char suite[256], log[2048] = "";
	bool wrong = false, found = false;

	snprintf(suite, sizeof(suite), "[suite]\nreps = %d\nseconds = 0.1\n[checks]\nrun = none\n"
		 "[bench workload-throughput]\nvariants = syscall\n", REPS);
	write_file("plain.suite", suite);
	strncat(suite, "inject_extra_pct = 10\n", sizeof(suite) - strlen(suite) - 1);
	write_file("injected.suite", suite);
	for (int e = 1; e <= EXPERIMENTS && !found; e++) {
		enum outcome o = experiment(e, log, sizeof(log));

		wrong |= o == WRONG;
		found = o == FOUND;
	}
	/* An experiment whose interval stayed beside the truth through all its rounds fails. */
	cr_assert_not(wrong, "an experiment did not find the injected cost as it is (regressed, "
		      "x0.909; removed: improved, x1.1):\n%s", log);
	if (found) {
		cr_log_info("%s", log);
		return;
	}
	cr_skip_test("every experiment stayed inconclusive: the machine was too noisy to find a "
		     "10%% cost in %d samples a side (make soak measures compare's power):\n%s",
		     ROUNDS * PAIRS * REPS, log);
}
