/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge compare' and 'bpfgauge baseline' as a user meets them, for the test_compare_*.c
 * files. The inputs are a REAL result of 'bpfgauge run' (a tiny suite: two checks, one
 * benchmark variant) whose samples are replaced with synthetic ones of a known ratio, so that
 * every verdict has a known answer. Every test of the compare suite runs in a temporary
 * directory of its own, compare_dir, made by the suite's init.
 */
#ifndef BPFGAUGE_TEST_COMPARE_FIXTURE_H
#define BPFGAUGE_TEST_COMPARE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "support.h"

extern char compare_dir[];

/* Sample i of a tight synthetic series around 100 (spread 1%), times factor. */
double sample(size_t i, double factor);
/* Every metric ok with n samples of sample(i, factor); checks as they were. */
json_t *synthetic(size_t n, double factor);
/* Writes doc to compare_dir/name and drops it; the path (valid for 8 more calls). */
const char *save(json_t *doc, const char *name);

/* Runs 'bpfgauge compare ARGS' in compare_dir; stdout returned, stderr in *err (may be NULL). */
char *compare(const char *args, int *status, char **err);
/* The same with --json, parsed (asserted to be JSON). */
json_t *compare_json(const char *args, int *status);
/* Runs 'bpfgauge ARGS' in compare_dir; both streams returned. */
char *in_dir(const char *args, int *st);

/* The verdict of the entry name of doc's list ("checks" or "metrics"), or "(none)". */
const char *verdict_of(json_t *doc, const char *list, const char *name);
/* Whether a metric is better higher. */
bool higher_better(json_t *m);
/* doc with the check name set to status and reason why (asserted to be there). */
json_t *with_check(json_t *doc, const char *name, const char *status, const char *why);

#endif
