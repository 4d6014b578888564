// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "check_since.h"
#include "result/result_json.h"

/* "6.12" of "6.12.118+deb13-cloud-amd64"; "" when it does not start so. */
static void major_minor(const char *release, char *buf, size_t sz)
{
	int major, minor;

	buf[0] = '\0';
	if (release && sscanf(release, "%d.%d", &major, &minor) == 2)
		snprintf(buf, sz, "%d.%d", major, minor);
}

void check_since(const struct loaded_result *r, size_t n, const char *name,
		 struct check_since *s)
{
	char version[16];

	memset(s, 0, sizeof(*s));
	for (size_t j = 0; j < n; j++) {
		const json_t *c = result_named(json_object_get(r[j].doc, "checks"), name);
		const char *arrived = json_string_value(
			json_object_get(json_object_get(c, "details"), "arrived_in"));
		const char *st = json_string_value(json_object_get(c, "status"));
		const json_t *env = json_object_get(r[j].doc, "environment");

		if (arrived && !s->arrived[0])
			snprintf(s->arrived, sizeof(s->arrived), "%s", arrived);
		if (!st || strcmp(st, "pass"))
			continue;
		major_minor(json_string_value(json_object_get(json_object_get(env, "kernel"),
							      "release")),
			    version, sizeof(version));
		if (version[0] && (!s->passes_from[0] || strverscmp(version, s->passes_from) < 0))
			snprintf(s->passes_from, sizeof(s->passes_from), "%s", version);
	}
	s->early = s->arrived[0] && s->passes_from[0] &&
		   strverscmp(s->passes_from, s->arrived) < 0;
}
