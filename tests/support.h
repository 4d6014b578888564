/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support for unit and integration tests alike: shell commands, and temporary directories
 * and files, a workload's refusal. Nothing here needs root, BPF or the bpfgauge binary (see
 * integration.h for that).
 */
#ifndef BPFGAUGE_TEST_SUPPORT_H
#define BPFGAUGE_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Runs a shell command; returns its stdout (malloc'd, never NULL) and sets *status. */
char *sh(const char *cmd, int *status);
/* Whether the shell finds prog ('command -v'). */
bool installed(const char *prog);
/* How many times needle occurs in hay. */
size_t occurrences(const char *hay, const char *needle);

/* A temporary directory per test: tmpl is "/tmp/NAME-XXXXXX", filled in by mkdtemp. */
void test_dir_make(char *tmpl);
/* Removes it with everything in it. */
void test_dir_remove(const char *dir);
/* Writes text to DIR/NAME (asserting it could). */
void test_file_write(const char *dir, const char *name, const char *text);
/* DIR/NAME's text (malloc'd; "" when there is no such file). */
char *test_file_read(const char *dir, const char *name);
/* The names in DIR/SUB (SUB "." for DIR), dot files too, sorted, one a line (malloc'd). */
char *test_dir_list(const char *dir, const char *sub);

/* DIR/NAME read as JSON (asserting it is). */
json_t *test_json_load(const char *dir, const char *name);
/* The element of arr whose "name" is name, or NULL. */
json_t *named(json_t *arr, const char *name);
/* The entry of doc's metrics[] named name (asserting there is one). */
json_t *test_metric(const json_t *doc, const char *name);
/* doc without its metric named name, if it has one. */
void test_drop_metric(json_t *doc, const char *name);

struct workload_opts;
/* A workload's setup says -EOPNOTSUPP with exactly why, and leaves no state (asserted). */
void expect_unsupported(const char *name, const struct workload_opts *o, const char *why);

#endif
