/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result document of a run of a suite (docs/results-schema.md), written with
 * result_save() (result/result.h):
 *   run_result_new(suite, env)     the document to fill (caller owns it; it takes env)
 */
#ifndef BPFGAUGE_RUN_RESULT_H
#define BPFGAUGE_RUN_RESULT_H

#include <stddef.h>
#include <jansson.h>

struct suite;

json_t *run_result_new(const struct suite *s, json_t *env);

#endif
