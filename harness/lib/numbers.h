/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers from text (suite files, command-line options): the whole text must be the number.
 * Each returns 0, or -EINVAL and leaves *out alone.
 *   parse_pct(text, &pct)               "5", "5%", "0.5%": 0 to 1000 percent
 *   parse_int(text, min, max, &n)       a whole number in [min, max]
 *   parse_seconds(text, &s)             more than 0, at most 3600
 */
#ifndef BPFGAUGE_NUMBERS_H
#define BPFGAUGE_NUMBERS_H

int parse_pct(const char *text, double *pct);
int parse_int(const char *text, int min, int max, int *out);
int parse_seconds(const char *text, double *out);

#endif
