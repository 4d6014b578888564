/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a result document (docs/results-schema.md): the lookups every reader repeats.
 *
 *   result_str(obj, key)                the string at obj.key, or "" (never NULL)
 *   result_named(arr, name)             the element of arr whose "name" is name, or NULL
 *   result_metric(doc, name)          the metrics[] entry of that name, or NULL
 *   result_bench_entry(doc, metric)   the benchmarks[] entry of the benchmark that made a
 *                                     metric (its name is the metric's first part: BENCH/...)
 *                                     or of the cost section (the first two: cost/NAME/...)
 *   result_is_machine_metric(name)    whether it is the machine's (RESULT_MACHINE_PREFIX), not
 *                                     the kernel's
 */
#ifndef BPFGAUGE_RESULT_JSON_H
#define BPFGAUGE_RESULT_JSON_H

#include <stdbool.h>
#include <jansson.h>

const char *result_str(const json_t *obj, const char *key);
const json_t *result_named(const json_t *arr, const char *name);
const json_t *result_metric(const json_t *doc, const char *name);
const json_t *result_bench_entry(const json_t *doc, const char *metric);
bool result_is_machine_metric(const char *name);

#endif
