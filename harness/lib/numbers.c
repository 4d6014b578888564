// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "numbers.h"

int parse_pct(const char *text, double *pct)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text)
		return -EINVAL;
	if (*end == '%')
		end++;
	if (*end || !(v >= 0) || v > 1000)
		return -EINVAL;
	*pct = v;
	return 0;
}

int parse_int(const char *text, int min, int max, int *out)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (end == text || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_seconds(const char *text, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || *end || !(v > 0) || v > 3600)
		return -EINVAL;
	*out = v;
	return 0;
}
