/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading result documents (docs/results-schema.md) back, for compare, baseline and history.
 *
 *   result_load(path, &r, err, sz)   reads and validates one result: a JSON object with
 *                                    "kind": "bpfgauge-run", schema_version "1.x", metrics[]
 *                                    of {name, unit, better, status, samples[] (numbers)},
 *                                    checks[] of {name, status, reason?}, environment{},
 *                                    benchmarks[] (optional) of {name, error?}.
 *                                    0, or -EINVAL / -errno with one line in err, e.g.
 *                                    "'x.json' is not a bpfgauge result: metrics[3].samples[2]
 *                                    is a string"
 *   result_unload(&r)                frees the document (safe on a zeroed or unloaded r)
 *   result_newest(dir, path, sz)     the newest DIR/ *.json result (by environment.time, then
 *                                    mtime); files that are not results are passed over.
 *                                    0 or -ENOENT
 */
#ifndef BPFGAUGE_RESULT_LOAD_H
#define BPFGAUGE_RESULT_LOAD_H

#include <stddef.h>
#include <jansson.h>

struct loaded_result {
	char path[512];
	json_t *doc;		/* the whole document, validated */
	char label[128];	/* short column label: "6.18.0 host-a" (kernel release + hostname,
				   or the file name when those are missing), with " (tcg)" when
				   environment.guest.accelerator says how a guest ran */
};

int result_load(const char *path, struct loaded_result *r, char *err, size_t errsz);
void result_unload(struct loaded_result *r);
int result_newest(const char *dir, char *path, size_t sz);

#endif
