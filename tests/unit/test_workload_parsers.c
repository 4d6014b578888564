// SPDX-License-Identifier: GPL-2.0
/*
 * The fio JSON and stress-ng YAML readers against real output of fio 3.33 and stress-ng
 * 0.15.06 on the development machine (tests/fixtures/), and against every way that output can
 * be broken: truncated anywhere, a field missing, not the format at all.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/fio_output.h"
#include "workloads/stress_yaml.h"

static char *fixture(const char *name)
{
	char path[256], *buf;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	cr_assert_eq(fread(buf, 1, len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* text with the first 'from' replaced by 'to' (which must be there). */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	cr_assert_not_null(at, "'%s' not in the fixture", from);
	out = malloc(strlen(text) + strlen(to) + 1);
	sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

/* text without the line holding 'key'. */
static char *without_line(const char *text, const char *key)
{
	const char *at = strstr(text, key), *start, *end;
	char *out;

	cr_assert_not_null(at, "'%s' not in the fixture", key);
	for (start = at; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(at, '\n');
	out = malloc(strlen(text) + 1);
	sprintf(out, "%.*s%s", (int)(start - text), text, end ? end + 1 : "");
	return out;
}

Test(fio_output, reads_a_random_read_job)
{
	char *text = fixture("fio-randread.json");
	struct fio_summary s;

	cr_assert_eq(fio_output_parse(text, strlen(text), "read", &s), 0);
	cr_assert_eq(s.ios, 9295);
	cr_assert_float_eq(s.iops, 30880.398671, 1e-6);
	cr_assert_eq(s.bw_kib_s, 123521);
	cr_assert_float_eq(s.runtime_s, 0.301, 1e-9);
	cr_assert_float_eq(s.clat_mean_ns, 31728.891339, 1e-6);
	cr_assert_eq(s.clat_p50_ns, 29056);
	cr_assert_eq(s.clat_p99_ns, 57088);
	/* fio's own numbers agree: IOPS is I/Os over runtime, bandwidth 4 KiB per I/O. */
	cr_assert_float_eq(s.ios / s.runtime_s, s.iops, s.iops * 1e-6);
	cr_assert_float_eq(s.bw_kib_s, s.iops * 4, s.iops * 4 * 1e-4);
	free(text);
}

Test(fio_output, reads_a_sequential_write_job)
{
	char *text = fixture("fio-seqwrite.json");
	struct fio_summary s;

	cr_assert_eq(fio_output_parse(text, strlen(text), "write", &s), 0);
	cr_assert_eq(s.ios, 2510);
	cr_assert_eq(s.clat_p50_ns, 113152);
	cr_assert_eq(s.clat_p99_ns, 166912);
	cr_assert_float_eq(s.bw_kib_s, s.iops * 128, s.iops * 128 * 1e-4);
	free(text);
}

/* A direction with no I/O has no clat percentiles: not a summary. */
Test(fio_output, the_idle_direction_is_invalid)
{
	char *text = fixture("fio-randread.json");
	struct fio_summary s;

	cr_assert_eq(fio_output_parse(text, strlen(text), "write", &s), -EINVAL);
	cr_assert_eq(s.ios, 0);
	free(text);
}

Test(fio_output, truncated_anywhere_is_invalid)
{
	char *text = fixture("fio-randread.json");
	size_t len = strlen(text);
	struct fio_summary s;

	for (size_t cut = 0; cut < len - 2; cut += 3)
		cr_assert_eq(fio_output_parse(text, cut, "read", &s), -EINVAL, "cut at %zu", cut);
	free(text);
}

Test(fio_output, a_missing_field_is_invalid)
{
	const char *fields[] = { "\"total_ios\"", "\"iops\"", "\"bw\"", "\"50.000000\"",
				 "\"99.000000\"", "\"jobs\"" };
	char *text = fixture("fio-randread.json");
	struct fio_summary s;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *broken = replaced(text, fields[i], "\"renamed\"");

		cr_assert_eq(fio_output_parse(broken, strlen(broken), "read", &s), -EINVAL, "%s",
			     fields[i]);
		free(broken);
	}
	free(text);
}

Test(fio_output, a_failed_job_is_an_io_error)
{
	char *text = fixture("fio-randread.json");
	char *broken = replaced(text, "\"error\" : 0", "\"error\" : 5");
	struct fio_summary s;

	cr_assert_eq(fio_output_parse(broken, strlen(broken), "read", &s), -EIO);
	free(broken);
	free(text);
}

Test(fio_output, not_json_is_invalid)
{
	const char *cases[] = { "", "fio: failed", "{}", "[]", "{\"jobs\": []}",
				"{\"jobs\": [{\"read\": 1}]}" };
	struct fio_summary s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(fio_output_parse(cases[i], strlen(cases[i]), "read", &s), -EINVAL,
			     "'%s'", cases[i]);
}

Test(stress_yaml, reads_each_stressor)
{
	const struct {
		const char *file, *stressor;
		double ops, wall, ops_per_s;
	} want[] = {
		{ "stress-ng-cpu.yaml", "cpu", 2300, 1.000027, 2299.937488 },
		{ "stress-ng-switch.yaml", "switch", 91983, 1.000373, 91948.713552 },
		{ "stress-ng-syscall.yaml", "syscall", 512, 1.566716, 326.798130 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char *text = fixture(want[i].file);
		struct stress_metrics m;

		cr_assert_eq(stress_yaml_metrics(text, want[i].stressor, &m), 0, "%s",
			     want[i].file);
		cr_assert_eq(m.bogo_ops, want[i].ops);
		cr_assert_float_eq(m.wall_s, want[i].wall, 1e-9);
		cr_assert_float_eq(m.ops_per_s, want[i].ops_per_s, 1e-6);
		/* stress-ng's rate is its count over its wall clock time. */
		cr_assert_float_eq(m.ops_per_s, m.bogo_ops / m.wall_s, m.ops_per_s * 1e-4);
		cr_assert(json_is_number(json_object_get(m.fields, "user-time")));
		/* Strings of system-info are no metrics of the stressor. */
		cr_assert_null(json_object_get(m.fields, "hostname"));
		stress_metrics_release(&m);
		free(text);
	}
}

Test(stress_yaml, keeps_stressor_specific_numbers)
{
	char *text = fixture("stress-ng-switch.yaml");
	struct stress_metrics m;

	cr_assert_eq(stress_yaml_metrics(text, "switch", &m), 0);
	cr_assert_float_eq(json_number_value(json_object_get(
				   m.fields, "nanosecs-per-context-switch-pipe-method")),
			   10863.710012, 1e-6);
	stress_metrics_release(&m);
	free(text);
}

/* Two stressors in one document: each is found in its own entry. */
Test(stress_yaml, picks_the_right_entry)
{
	char *cpu = fixture("stress-ng-cpu.yaml"), *sw = fixture("stress-ng-switch.yaml");
	char *entry = strstr(sw, "    - stressor: switch"), *doc;
	struct stress_metrics m;

	*strstr(entry, "\n...") = '\0';
	doc = replaced(cpu, "\n...", entry);
	doc = realloc(doc, strlen(doc) + 8);
	strcat(doc, "\n...\n");
	cr_assert_eq(stress_yaml_metrics(doc, "switch", &m), 0, "%s", doc);
	cr_assert_eq(m.bogo_ops, 91983);
	stress_metrics_release(&m);
	cr_assert_eq(stress_yaml_metrics(doc, "cpu", &m), 0);
	cr_assert_eq(m.bogo_ops, 2300);
	stress_metrics_release(&m);
	free(doc);
	free(cpu);
	free(sw);
}

Test(stress_yaml, truncated_anywhere_is_invalid)
{
	char *text = fixture("stress-ng-cpu.yaml");
	size_t len = strlen(text);
	struct stress_metrics m;

	for (size_t cut = 0; cut < len - 1; cut++) {
		char c = text[cut];

		text[cut] = '\0';
		cr_assert_eq(stress_yaml_metrics(text, "cpu", &m), -EINVAL, "cut at %zu", cut);
		cr_assert_null(m.fields);
		text[cut] = c;
	}
	free(text);
}

Test(stress_yaml, a_missing_number_is_invalid)
{
	const char *keys[] = { "bogo-ops:", "bogo-ops-per-second-real-time:", "wall-clock-time:",
			       "metrics:" };
	char *text = fixture("stress-ng-cpu.yaml");
	struct stress_metrics m;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *broken = without_line(text, keys[i]);

		cr_assert_eq(stress_yaml_metrics(broken, "cpu", &m), -EINVAL, "%s", keys[i]);
		free(broken);
	}
	free(text);
}

Test(stress_yaml, not_the_subset_is_invalid)
{
	char *text = fixture("stress-ng-cpu.yaml");
	char *no_colon = replaced(text, "user-time: ", "user-time ");
	char *not_number = replaced(text, "bogo-ops: 2300", "bogo-ops: many");
	char *other = replaced(text, "stressor: cpu", "stressor: vm");
	struct stress_metrics m;
	const char *cases[] = { "", "---\n", "metrics:\n", "{ \"metrics\": [] }\n", no_colon,
				not_number, other, text + 4 /* no "---" */ };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(stress_yaml_metrics(cases[i], "cpu", &m), -EINVAL, "case %zu", i);
	free(no_colon);
	free(not_number);
	free(other);
	free(text);
}

Test(stress_yaml, a_stressor_twice_is_invalid)
{
	char *text = fixture("stress-ng-cpu.yaml");
	char *entry = strdup(strstr(text, "    - stressor: cpu")), *doc;
	struct stress_metrics m;

	*strstr(entry, "\n...") = '\0';
	doc = replaced(text, "\n...", entry);
	doc = realloc(doc, strlen(doc) + 8);
	strcat(doc, "\n...\n");
	cr_assert_eq(stress_yaml_metrics(doc, "cpu", &m), -EINVAL);
	free(doc);
	free(entry);
	free(text);
}
