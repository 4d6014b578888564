/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of 'bpfgauge cost' share.
 *
 *   COST_QUICK                        one short repetition of the syscall workload
 *   cost_json_run(args)               'bpfgauge cost --json ARGS', asserted to exit 0: its
 *                                     document
 *   cost_workload(doc, name)          a workload's entry (asserted to be there)
 *   cost_program(progs, name)         a program's entry by name (asserted to be there)
 *   cost_num(o, key)                  a number member
 *   cost_runs_per_op(workload, prog)  a program's runs per operation of a workload's entry
 */
#ifndef BPFGAUGE_TEST_COST_TESTS_H
#define BPFGAUGE_TEST_COST_TESTS_H

#include <jansson.h>

#define COST_QUICK "--reps 1 --seconds 0.1 --workloads syscall"

json_t *cost_json_run(const char *args);
json_t *cost_workload(json_t *doc, const char *name);
json_t *cost_program(json_t *progs, const char *name);
double cost_num(json_t *o, const char *key);
double cost_runs_per_op(json_t *workload, const char *prog);

#endif
