/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run results: one JSON document per 'bpfgauge run', with its full environment, the checks
 * and every metric with its raw samples (docs/results-schema.md). Written atomically and
 * never overwritten.
 *
 *   result_new(suite, env)         the document to fill (caller owns it; it takes env)
 *   result_default_path(...)       results/SUITE-YYYYmmddTHHMMSSZ-HOST.json
 *   result_write(doc, path)        0, -EEXIST when path exists, or -errno
 */
#ifndef BPFGAUGE_RESULT_H
#define BPFGAUGE_RESULT_H

#include <stddef.h>
#include <jansson.h>

#define RESULT_SCHEMA_VERSION "1.0"

struct suite;

json_t *result_new(const struct suite *s, json_t *env);
void result_default_path(const struct suite *s, char *buf, size_t sz);
int result_write(json_t *doc, const char *path);

#endif
