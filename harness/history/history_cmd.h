/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 'bpfgauge history add/show/changes' (history_cmd.c), and the change-point report
 * (history_changes.c):
 *
 *   history_changes_print(h, db, metric, opts, json, colour)   change points of one metric
 *                                                              (NULL: every metric) per
 *                                                              environment, as a table or
 *                                                              JSON on stdout; 0 or -errno
 *                                                              (the message printed)
 */
#ifndef BPFGAUGE_HISTORY_CMD_H
#define BPFGAUGE_HISTORY_CMD_H

#include <stdbool.h>

struct history;
struct changepoint_opts;

int cmd_history(int argc, char **argv);
int history_changes_print(struct history *h, const char *db, const char *metric,
			  const struct changepoint_opts *opts, bool json, bool colour);

#endif
