/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run results: one JSON document per 'bpfgauge run', with its full environment, the checks
 * and every metric with its raw samples (docs/results-schema.md). Written atomically and
 * never overwritten.
 *
 *   result_write(doc, path)        0, -EEXIST when path exists, or -errno
 *   result_save(who, doc, path, flags, saved, sz)
 *                                  after long work: file_save() (lib/fileio.h), which keeps
 *                                  the data elsewhere when path cannot be written
 *   result_default_path(buf, sz, dir, name, tail)
 *                                  DIR/NAME-TIME-TAIL.json (DIR/TIME-TAIL.json without a
 *                                  name; TAIL NULL: this host's name), TIME in UTC to the
 *                                  second: with FILE_SAVE_ANY_NAME, a second result of the
 *                                  same second is DIR/NAME-TIME-TAIL-2.json
 * A run starts its document with run_result_new() (run/run_result.h).
 */
#ifndef BPFGAUGE_RESULT_H
#define BPFGAUGE_RESULT_H

#include <stddef.h>
#include <jansson.h>

#define RESULT_SCHEMA_VERSION "1.3"
/* The machine's own metrics, not the kernel's: never a regression, not in Holm's m. */
#define RESULT_MACHINE_PREFIX "machine/"
/* The reference workload's speed, timed after every repetition of every benchmark: how fast
 * the machine itself was while a run measured (workloads/reference.c). */
#define RESULT_REFERENCE_METRIC "machine/reference/ops_per_s"
/* The calls workload's speed, timed likewise: whether the CPU was shared at that moment (a
 * busy sibling hardware thread slows calls, not multiply chains; workloads/calls.c). */
#define RESULT_CALLS_METRIC "machine/calls/ops_per_s"

int result_write(json_t *doc, const char *path);
int result_save(const char *who, json_t *doc, const char *path, unsigned int flags, char *saved,
		size_t sz);
void result_default_path(char *buf, size_t sz, const char *dir, const char *name,
			 const char *tail);

#endif
