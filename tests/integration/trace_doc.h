/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The JSON document of 'bpfgauge trace', for the tests of the latency tools: fs-latency,
 * block-latency and runq-latency around workloads with a known answer, the project's fixtures
 * (in WORKDIR) and fio, whose own latency report is the reference.
 */
#ifndef BPFGAUGE_TEST_TRACE_DOC_H
#define BPFGAUGE_TEST_TRACE_DOC_H

#include <jansson.h>

#define WORKDIR "build/tests"

/* Runs 'bpfgauge trace ARGS' (ARGS includes --json); the parsed output, or NULL. */
json_t *trace_json(const char *args, int *code);
/* The histogram labelled label ("" for none), or NULL. */
json_t *hist_by_label(json_t *doc, const char *label);
/* The string doc.key, or "(missing)". */
const char *doc_str(json_t *doc, const char *key);

#endif
