/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reasons are facts: the call that failed, its errno by name, and the evidence behind it.
 *
 *   errno_name(EPERM)                  "EPERM"
 *   check_set_errno(res, st, err, ...) "<what>: EPERM (Operation not permitted)"
 *   check_explain_attach(res, err, ...) classify an attach/load failure with kernel evidence
 */
#ifndef BPFGAUGE_REASON_H
#define BPFGAUGE_REASON_H

#include "checks/check.h"

const char *errno_name(int err);

/* err may be negative or positive. */
__attribute__((format(printf, 4, 5)))
void check_set_errno(struct check_result *res, enum check_status st, int err, const char *fmt,
		     ...);

/*
 * After 'what' failed with err: when one of the CONFIG_ options (NULL-terminated) is not set,
 * the result is unsupported and says so; otherwise it is 'fail', with the verifier's last line
 * when libbpf printed one. Returns the status it chose.
 */
enum check_status check_explain(struct check_result *res, int err, const char *what,
				const char *const *configs);

#endif
