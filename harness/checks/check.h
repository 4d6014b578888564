/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capability checks: a const descriptor per check in one registry (checks/checks.def).
 *
 * A check's run() loads, attaches, triggers, verifies and cleans up, then fills a
 * struct check_result. It must leave nothing behind, also when it fails half-way.
 *
 *   check_find(name)        the descriptor, or NULL (registry.c)
 *   check_set(res, st, ...) set status and a printf-style reason in one go
 *   check_set_errno(res, st, err, ...)   "<what>: EPERM (Operation not permitted)"
 *   check_explain(res, err, what, configs)   classify a load/attach failure with evidence
 *   check_detail_*()        add a key to the result's details object
 *   check_may_intrude(res, what)   whether the run allows a check that changes the machine
 *                           for every process (--intrusive); else 'skipped', saying what
 * Reasons are facts: the call that failed, its errno by name, and the evidence behind it.
 */
#ifndef BPFGAUGE_CHECK_H
#define BPFGAUGE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

enum check_status {
	CHECK_PASS,
	CHECK_FAIL,		/* should work here and does not */
	CHECK_UNSUPPORTED,	/* this kernel or its configuration lacks it */
	CHECK_SKIPPED,		/* does not apply here */
	CHECK_ERROR,		/* the check itself broke */
	CHECK_NR_STATUS,
};

#define CHECK_REASON_MAX 512

/* What a run allows its checks to do: 'bpfgauge probe' and 'bpfgauge run' options. */
struct check_opts {
	/*
	 * --intrusive: checks that change the machine for every process while they run
	 * (sched_ext replaces the scheduler) run too; without it they are skipped.
	 */
	bool intrusive;
};

struct check_result {
	enum check_status status;
	char reason[CHECK_REASON_MAX];
	double duration_ms;
	json_t *details;	/* object, owned by the result */
	const struct check_opts *opts;	/* set before check_run(); NULL: the defaults */
};

struct check {
	const char *name;
	const char *area;
	const char *summary;
	void (*run)(struct check_result *res);
	/* A feature newer than the oldest kernels: what it is and the upstream version it
	 * arrived in (check_run() records it, and uses it when the check did not pass). */
	const char *feature;
	int since_major, since_minor;
};

/* Defines check_<id>, the descriptor checks.def names; the check's name is its id. */
#define DEFINE_CHECK(id, area_, summary_, run_)                                              \
	const struct check check_##id = {                                                   \
		.name = #id, .area = area_, .summary = summary_, .run = run_,               \
	}
/*
 * The same for a feature that arrived in Linux major_.minor_: details.arrived_in; on an older
 * kernel, a 'fail' becomes 'unsupported' with "likely: kernel 6.1 < 6.6 where FEATURE
 * arrived" (the version is inferred evidence: a distribution may backport), and an
 * 'unsupported' the check found itself gets the comparison appended. Errors and skips stay.
 */
#define DEFINE_CHECK_SINCE(id, area_, summary_, run_, feature_, major_, minor_)             \
	const struct check check_##id = {                                                   \
		.name = #id, .area = area_, .summary = summary_, .run = run_,               \
		.feature = feature_, .since_major = major_, .since_minor = minor_,          \
	}

extern const struct check *const check_registry[];
extern const size_t check_registry_len;

const struct check *check_find(const char *name);
/* Position of a registered check in check_registry. */
size_t check_index(const struct check *c);
const char *check_status_name(enum check_status st);
/* The status a metric takes when the check its measurement needs did not pass. */
const char *check_metric_status(enum check_status st);

void check_result_init(struct check_result *res);
void check_result_release(struct check_result *res);

__attribute__((format(printf, 3, 4)))
void check_set(struct check_result *res, enum check_status st, const char *fmt, ...);
/* Append "; more" to the current reason. */
__attribute__((format(printf, 2, 3)))
void check_reason_append(struct check_result *res, const char *fmt, ...);

void check_detail_str(struct check_result *res, const char *key, const char *val);
void check_detail_int(struct check_result *res, const char *key, long long val);
void check_detail_bool(struct check_result *res, const char *key, bool val);
void check_detail_json(struct check_result *res, const char *key, json_t *val);

/* err may be negative or positive. */
__attribute__((format(printf, 4, 5)))
void check_set_errno(struct check_result *res, enum check_status st, int err, const char *fmt,
		     ...);
/*
 * After 'what' failed with err: when one of the CONFIG_ options (NULL-terminated) is not set,
 * or is =m and its module (modules.h) is not loaded, the result is unsupported and says so;
 * otherwise it is 'fail', with the verifier's last line when libbpf printed one. Returns the
 * status it chose.
 */
enum check_status check_explain(struct check_result *res, int err, const char *what,
				const char *const *configs);

/*
 * For a check whose run changes the machine for every process ('what' it does, e.g.
 * "replaces the kernel's scheduler while it runs"): true when res->opts allow it; else the
 * result is 'skipped' with "WHAT: only with --intrusive" and it returns false.
 */
bool check_may_intrude(struct check_result *res, const char *what);

/* Runs one check: times it, resets libbpf's captured log, records an 'error' if it set nothing. */
void check_run(const struct check *c, struct check_result *res);

#endif
