// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"

/*
 * strtol() and strtod() skip leading blanks, take hexadecimal ("0x10") and, for strtod(),
 * "inf" and "nan": the text must start with a digit, or a sign or '.' and then a digit.
 */
static int decimal_start(const char *text)
{
	const char *p = text + (*text == '-' || *text == '+');

	if (*p == '.')
		p++;
	return isdigit((unsigned char)*p) && !strpbrk(text, "xX");
}

int parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	if (!decimal_start(text))
		return -EINVAL;
	errno = 0;
	v = strtol(text, &end, 10);
	if (*end || errno == ERANGE || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_int(const char *text, int min, int max, int *out)
{
	long v;
	int err = parse_long(text, min, max, &v);

	if (!err)
		*out = v;
	return err;
}

int parse_double_unit(const char *text, double *out, const char **unit)
{
	char *end;
	double v;

	if (!decimal_start(text))
		return -EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (errno == ERANGE || !isfinite(v))
		return -EINVAL;
	*out = v;
	*unit = end;
	return 0;
}

int parse_double(const char *text, double min, double max, double *out)
{
	const char *unit;
	double v;

	if (parse_double_unit(text, &v, &unit) || *unit || !(v >= min && v <= max))
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_pct(const char *text, double *pct)
{
	const char *unit;
	double v;

	if (parse_double_unit(text, &v, &unit) || (*unit && strcmp(unit, "%")) || !(v >= 0) ||
	    v > 1000)
		return -EINVAL;
	*pct = v;
	return 0;
}

/* More than 0, at most max. */
static int positive(const char *text, double max, double *out)
{
	double v;

	if (parse_double(text, 0, max, &v) || !(v > 0))
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_seconds(const char *text, double *out)
{
	return positive(text, 3600, out);
}

int parse_duration(const char *text, double *out)
{
	return positive(text, NUMBERS_MAX_DURATION, out);
}
