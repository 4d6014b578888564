/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tests of the uprobe checks share (test_uprobes.c, test_uprobes_modern.c).
 *
 *   UPROBE_PMU                             where sysfs shows the 'uprobe' PMU
 *   uprobe_expected_cause()                NULL when the evidence says uprobes should attach
 *                                          here, else what a check's reason must name
 *                                          (CONFIG_UPROBES, CONFIG_UPROBE_EVENTS, no PMU)
 *   uprobe_assert_cause(doc, check, cause) the check is unsupported and its reason names cause
 *   uprobe_assert_entries(doc, check)      it saw every call of the target with its argument
 *                                          (details calls, arg_first, entries, arg_sum); calls
 *   uprobe_assert_returns(doc, check)      it saw every return with the value the target
 *                                          returns, called here (calls, arg_first, returns,
 *                                          return_sum); calls
 */
#ifndef BPFGAUGE_TEST_UPROBE_TESTS_H
#define BPFGAUGE_TEST_UPROBE_TESTS_H

#include <jansson.h>

#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe"

const char *uprobe_expected_cause(void);
void uprobe_assert_cause(json_t *doc, const char *check, const char *cause);
long long uprobe_assert_entries(json_t *doc, const char *check);
long long uprobe_assert_returns(json_t *doc, const char *check);

#endif
