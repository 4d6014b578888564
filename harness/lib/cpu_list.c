// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpu_list.h"

/* A CPU number at *p, moved past it: 0, or -EINVAL. */
static int number(const char **p, int *cpu)
{
	long v = 0;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	for (; isdigit((unsigned char)**p); (*p)++) {
		v = v * 10 + (**p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*cpu = v;
	return 0;
}

/* The whole list read: whether cpu is in it, its highest CPU; 0, or -EINVAL. */
static int scan(const char *list, int cpu, bool *has, int *last)
{
	const char *p = list;
	int lo, hi;

	*has = false;
	*last = -1;
	do {
		if (number(&p, &lo))
			return -EINVAL;
		hi = lo;
		if (*p == '-' && (p++, number(&p, &hi) || hi < lo))
			return -EINVAL;
		*has |= cpu >= lo && cpu <= hi;
		if (hi > *last)
			*last = hi;
	} while (*p == ',' && p++);
	return *p && strcmp(p, "\n") ? -EINVAL : 0;
}

int cpu_list_has(const char *list, int cpu)
{
	bool has;
	int last;

	return scan(list, cpu, &has, &last) ? -EINVAL : has;
}

int cpu_list_last(const char *list)
{
	bool has;
	int last;

	return scan(list, -1, &has, &last) ? -EINVAL : last;
}

int cpus_online(char *buf, size_t sz)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, sz, f))
		ret = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}
