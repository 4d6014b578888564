/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Integration test support: run the real bpfgauge binary and gather independent evidence about
 * this machine. Evidence is read here with other means than the harness uses (shell tools,
 * direct file reads), so that a verdict and its evidence cannot share a bug.
 */
#ifndef BPFGAUGE_TEST_INTEGRATION_H
#define BPFGAUGE_TEST_INTEGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

/* build/bpfgauge, or $BPFGAUGE_BIN. */
const char *bpfgauge_bin(void);

/* Runs 'bpfgauge ARGS' (ARGS asks for --json); its stdout parsed (NULL if not JSON). */
json_t *bpfgauge_json(const char *args, int *exit_code);
/* The same, asserted to exit 0 with JSON (its stderr left to the test's, to say why). */
json_t *bpfgauge_json_ok(const char *args);
/* Runs 'bpfgauge probe --json ARGS'; returns the parsed document (NULL if not JSON). */
json_t *probe_json(const char *args, int *exit_code);
/* The check named 'name' in a probe document, or NULL. */
json_t *probe_find(json_t *doc, const char *name);
const char *probe_status(json_t *doc, const char *name);
const char *probe_reason(json_t *doc, const char *name);
/* A check's integer or string detail in a probe or run document (asserted to be one). */
long long probe_detail_int(json_t *doc, const char *check, const char *key);
const char *probe_detail_str(json_t *doc, const char *check, const char *key);

struct bench_params;
struct metric_set;
/* Runs benchmark 'name' in this process, metrics into 'set'; asserts that it exists and returns 0. */
void bench_run_ok(const char *name, struct bench_params *p, struct metric_set *set);

/* From the kernel config read with zcat/grep: 1 set, 0 not set, -1 no config. */
int evidence_config(const char *name);
bool evidence_exists(const char *path);
/*
 * The kernel's BTF as bpftool dumps /sys/kernel/btf/vmlinux: the lines matching the extended
 * regex re ("'BPF_MAP_TYPE_ARENA'", "FUNC 'bpf_loop'"), and an enumerator's value (-1: none).
 */
int evidence_btf_lines(const char *re);
long long evidence_btf_enum(const char *name);
/* Whether the running kernel's version (uname -r, read by the shell) is at least major.minor. */
bool evidence_kernel_at_least(int major, int minor);
/* "none", "integrity", "confidentiality" from securityfs (mounted by the test if needed). */
const char *evidence_lockdown(void);
/* Whether the process may load BPF (euid 0 with CAP_SYS_ADMIN); tests needing it skip else. */
bool evidence_root(void);
/* Whether / is no mount point here (findmnt), as in a chroot into a plain directory. */
bool evidence_chroot(void);

/*
 * Around a test that measures a tracer's cost (a Criterion .init and .fini): the programs
 * loaded, the cgroups named *-cost-N, kernel.bpf_stats_enabled and the processes whose
 * command line holds 'cost-test-tracer' must be as they were (5 s given for the kernel to
 * free closed programs).
 */
void cost_state_save(void);
void cost_state_check(void);

/*
 * What a run may leave (machine_state, malloc'd): programs and links no process holds, named
 * namespaces, links in this namespace, bpfgauge cgroups; assert_left_nothing asserts that
 * nothing new stays for a second after 'before'.
 */
char *machine_state(void);
void assert_left_nothing(const char *before);

/* Waits (10 s at most, asserted) until process pid catches signal sig: its handler is set. */
void wait_catches(pid_t pid, int sig);

/* "name+0x1f (file)" (a stack_trace frame) -> name and offset; false for unnamed frames. */
bool test_frame_parse(const char *frame, char *name, size_t sz, unsigned long *off);
/* Asserts that a frame of the bpfgauge binary lies inside its function (nm's address, size). */
void test_assert_user_frame(const char *frame);

#endif
