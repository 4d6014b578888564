// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

static const char *const status_colour[CHECK_NR_STATUS] = {
	[CHECK_PASS] = "\033[32m",
	[CHECK_FAIL] = "\033[31m",
	[CHECK_UNSUPPORTED] = "\033[33m",
	[CHECK_SKIPPED] = "\033[36m",
	[CHECK_ERROR] = "\033[35m",
};

static void count_status(const struct probe_run *run, size_t counts[CHECK_NR_STATUS])
{
	memset(counts, 0, sizeof(size_t) * CHECK_NR_STATUS);
	for (size_t i = 0; i < run->n; i++)
		counts[run->results[i].status]++;
}

void probe_summary(const struct probe_run *run, char *buf, size_t sz)
{
	size_t counts[CHECK_NR_STATUS];
	int off;

	count_status(run, counts);
	off = snprintf(buf, sz, "%zu checks in %.2f s:", run->n, run->total_ms / 1e3);
	for (int st = 0; st < CHECK_NR_STATUS && off > 0 && (size_t)off < sz; st++)
		off += snprintf(buf + off, sz - off, "%s %zu %s", st ? "," : "", counts[st],
				check_status_name(st));
	if (run->interrupted && off > 0 && (size_t)off < sz)
		snprintf(buf + off, sz - off, " (interrupted after %zu of %zu)", run->n,
			 run->planned);
}

void probe_print_table(const struct probe_run *run, FILE *out, bool colour)
{
	char summary[256];
	int name_w = 4;

	for (size_t i = 0; i < run->n; i++) {
		int len = strlen(run->checks[i]->name);

		if (len > name_w)
			name_w = len;
	}
	/* Group by area in registry order: print each area once, at its first check. */
	for (size_t i = 0; i < run->n; i++) {
		const char *area = run->checks[i]->area;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(run->checks[j]->area, area);
		if (seen)
			continue;
		fprintf(out, "%s%s%s\n", colour ? "\033[1m" : "", area, colour ? "\033[0m" : "");
		for (size_t j = i; j < run->n; j++) {
			const struct check_result *r = &run->results[j];

			if (strcmp(run->checks[j]->area, area))
				continue;
			fprintf(out, "  %s%-11s%s %-*s %7.1f ms  %s\n",
				colour ? status_colour[r->status] : "", check_status_name(r->status),
				colour ? "\033[0m" : "", name_w, run->checks[j]->name,
				r->duration_ms, r->reason);
		}
	}
	probe_summary(run, summary, sizeof(summary));
	fprintf(out, "\n%s\n", summary);
}

json_t *probe_check_json(const struct check *c, const struct check_result *r)
{
	return json_pack("{s:s s:s s:s s:s s:f s:O}", "name", c->name, "area", c->area,
			 "status", check_status_name(r->status), "reason", r->reason,
			 "duration_ms", r->duration_ms, "details", r->details);
}

json_t *probe_to_json(const struct probe_run *run, json_t *env)
{
	size_t counts[CHECK_NR_STATUS];
	json_t *checks = json_array(), *summary;

	count_status(run, counts);
	for (size_t i = 0; i < run->n; i++)
		json_array_append_new(checks, probe_check_json(run->checks[i], &run->results[i]));
	summary = json_pack("{s:i s:f s:b}", "checks", (int)run->n, "duration_ms", run->total_ms,
			    "interrupted", run->interrupted);
	for (int st = 0; st < CHECK_NR_STATUS; st++)
		json_object_set_new(summary, check_status_name(st), json_integer(counts[st]));
	return json_pack("{s:s s:O s:o s:o}", "schema_version", PROBE_SCHEMA_VERSION,
			 "environment", env, "checks", checks, "summary", summary);
}

static void xml_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 forbids most control characters, even escaped. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
				fputc(*s, f);
		}
	}
}

char *probe_to_junit(const struct probe_run *run)
{
	size_t counts[CHECK_NR_STATUS], len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	count_status(run, counts);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n<testsuite name=\"bpfgauge.probe\" tests=\"%zu\" failures=\"%zu\""
		" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n", run->n, counts[CHECK_FAIL],
		counts[CHECK_ERROR], counts[CHECK_UNSUPPORTED] + counts[CHECK_SKIPPED],
		run->total_ms / 1e3);
	for (size_t i = 0; i < run->n; i++) {
		const struct check_result *r = &run->results[i];
		const char *tag = NULL;

		fprintf(f, "  <testcase classname=\"bpfgauge.probe.");
		xml_escaped(f, run->checks[i]->area);
		fprintf(f, "\" name=\"");
		xml_escaped(f, run->checks[i]->name);
		fprintf(f, "\" time=\"%.3f\"", r->duration_ms / 1e3);
		switch (r->status) {
		case CHECK_PASS: break;
		case CHECK_FAIL: tag = "failure"; break;
		case CHECK_ERROR: tag = "error"; break;
		default: tag = "skipped"; break;
		}
		if (!tag) {
			fprintf(f, "/>\n");
			continue;
		}
		fprintf(f, ">\n    <%s message=\"%s: ", tag, check_status_name(r->status));
		xml_escaped(f, r->reason);
		fprintf(f, "\"/>\n  </testcase>\n");
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
