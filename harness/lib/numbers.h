/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers from text (suite files, command-line options): the whole text must be the number,
 * written in decimal, with no blank before or after it; a number too large for its type is
 * refused, never wrapped or clamped; a real number must be finite (no inf, nan or hex float).
 * Each returns 0, or -EINVAL and leaves *out alone.
 *   parse_long(text, min, max, &n)      a whole number in [min, max]
 *   parse_int(text, min, max, &n)       the same for an int
 *   parse_double(text, min, max, &v)    a real number in [min, max]
 *   parse_double_unit(text, &v, &unit)  a real number, then anything: its unit ("%", "G"),
 *                                       "" when none, in *unit (the caller checks both)
 *   parse_pct(text, &pct)               "5", "5%", "0.5%": 0 to 1000 percent
 *   parse_seconds(text, &s)             more than 0, at most 3600 (a repetition's time)
 *   parse_duration(text, &s)            more than 0, at most NUMBERS_MAX_DURATION (a day:
 *                                       -d of trace and profile, which without it run until
 *                                       Ctrl-C)
 */
#ifndef BPFGAUGE_NUMBERS_H
#define BPFGAUGE_NUMBERS_H

#define NUMBERS_MAX_DURATION 86400

int parse_long(const char *text, long min, long max, long *out);
int parse_int(const char *text, int min, int max, int *out);
int parse_double(const char *text, double min, double max, double *out);
int parse_double_unit(const char *text, double *out, const char **unit);
int parse_pct(const char *text, double *pct);
int parse_seconds(const char *text, double *out);
int parse_duration(const char *text, double *out);

#endif
