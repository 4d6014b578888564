// SPDX-License-Identifier: GPL-2.0
/* busy_target's own account of its calls, and func-latency's histogram of them (func_target.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "func_target.h"
#include "support.h"

/* The one line busy_target prints. */
void target_parse(const char *line, struct target_run *t)
{
	cr_assert_eq(sscanf(line, "calls=%ld inner_mean_ns=%lf inner_median_ns=%ld "
			    "outer_mean_ns=%lf", &t->calls, &t->inner, &t->inner_median, &t->outer),
		     4, "target said: '%s'", line);
}

/* readlink -f: the canonical path, by other means than the tool's realpath(). */
char *canonical(const char *path)
{
	char cmd[512], *out;

	snprintf(cmd, sizeof(cmd), "readlink -f '%s'", path);
	out = sh(cmd, NULL);
	out[strcspn(out, "\n")] = '\0';
	cr_assert(out[0] == '/', "readlink -f %s: '%s'", path, out);
	return out;
}

json_t *only_hist(json_t *doc)
{
	json_t *hists = json_object_get(doc, "histograms");

	cr_assert_eq(json_array_size(hists), 1);
	return json_array_get(hists, 0);
}

long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "'%s' missing", key);
	return json_integer_value(v);
}

/* tracefs uprobe_events lines naming s (the test mounts tracefs where it is missing). */
int uprobe_events_naming(const char *s)
{
	char cmd[512], *out;
	int n;

	snprintf(cmd, sizeof(cmd), "mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs "
		 "/sys/kernel/tracing; grep -c '%s' /sys/kernel/tracing/uprobe_events", s);
	out = sh(cmd, NULL);
	n = atoi(out);
	free(out);
	return n;
}
