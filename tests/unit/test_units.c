// SPDX-License-Identifier: GPL-2.0
/* Pure parts: config parsing, reasons, result formatting. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"
#include "checks/probe.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/stats.h"
#include "result/metric.h"

Test(kconfig, parse_lines)
{
	char name[64], value[64];

	cr_assert_eq(kconfig_parse_line("CONFIG_BPF=y\n", name, 64, value, 64), 1);
	cr_assert_str_eq(name, "CONFIG_BPF");
	cr_assert_str_eq(value, "y");
	cr_assert_eq(kconfig_parse_line("# CONFIG_KPROBES is not set\n", name, 64, value, 64), 1);
	cr_assert_str_eq(name, "CONFIG_KPROBES");
	cr_assert_str_eq(value, "");
	cr_assert_eq(kconfig_parse_line("CONFIG_LSM=\"landlock,lockdown\"\n", name, 64, value, 64), 1);
	cr_assert_str_eq(value, "landlock,lockdown");
	cr_assert_eq(kconfig_parse_line("CONFIG_HZ=250", name, 64, value, 64), 1);
	cr_assert_str_eq(value, "250");
	cr_assert_eq(kconfig_parse_line("# Kernel hacking\n", name, 64, value, 64), 0);
	cr_assert_eq(kconfig_parse_line("\n", name, 64, value, 64), 0);
	cr_assert_eq(kconfig_parse_line("CONFIG_BROKEN", name, 64, value, 64), 0);
	cr_assert_eq(kconfig_parse_line("=y", name, 64, value, 64), 0);
}

Test(kconfig, file_states_and_unknown)
{
	char path[] = "/tmp/bpfgauge-kconfig-XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=m\n";

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	kconfig_use_file(path);
	cr_assert_eq(kconfig_state("CONFIG_A"), KCONFIG_SET);
	cr_assert_eq(kconfig_state("CONFIG_B"), KCONFIG_NOT_SET);
	cr_assert_eq(kconfig_state("CONFIG_NEVER_MENTIONED"), KCONFIG_NOT_SET);
	cr_assert_str_eq(kconfig_get("CONFIG_C"), "m");
	cr_assert_null(kconfig_get("CONFIG_B"));
	cr_assert_str_eq(kconfig_source(), path);
	cr_assert_eq(strlen(kconfig_digest()), 16);
	kconfig_use_file("/nonexistent/config");
	cr_assert_eq(kconfig_state("CONFIG_A"), KCONFIG_UNKNOWN);
	kconfig_use_file(NULL);
	unlink(path);
}

Test(reason, errno_names_and_explain)
{
	struct check_result r;
	const char *const cfg[] = { "CONFIG_X_MISSING", NULL };
	char path[] = "/tmp/bpfgauge-kconfig-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_str_eq(errno_name(EPERM), "EPERM");
	cr_assert_str_eq(errno_name(-ENOENT), "ENOENT");

	check_result_init(&r);
	check_set_errno(&r, CHECK_FAIL, -EACCES, "attach '%s'", "x");
	cr_assert_str_eq(r.reason, "attach 'x': EACCES (Permission denied)");
	cr_assert_str_eq(json_string_value(json_object_get(r.details, "errno")), "EACCES");

	dprintf(fd, "# CONFIG_X_MISSING is not set\nCONFIG_Y=y\n");
	close(fd);
	kconfig_use_file(path);
	cr_assert_eq(check_explain(&r, -ENOENT, "attach 'kprobe'", cfg), CHECK_UNSUPPORTED);
	cr_assert(strstr(r.reason, "attach 'kprobe': ENOENT"), "%s", r.reason);
	cr_assert(strstr(r.reason, "CONFIG_X_MISSING is not set"), "%s", r.reason);
	cr_assert_eq(check_explain(&r, -EINVAL, "load", (const char *const[]){ "CONFIG_Y", NULL }),
		     CHECK_FAIL);
	kconfig_use_file(NULL);
	unlink(path);
	check_result_release(&r);
}

Test(reason, append_keeps_within_bounds)
{
	struct check_result r;

	check_result_init(&r);
	check_set(&r, CHECK_PASS, "first");
	check_reason_append(&r, "second");
	cr_assert_str_eq(r.reason, "first; second");
	for (int i = 0; i < 100; i++)
		check_reason_append(&r, "0123456789");
	cr_assert_lt(strlen(r.reason), CHECK_REASON_MAX);
	check_result_release(&r);
}

static struct probe_run fake_run(struct check_result *res)
{
	static const struct check a = { .name = "alpha", .area = "x", .summary = "" };
	static const struct check b = { .name = "b<&>\"", .area = "y", .summary = "" };
	static const struct check *checks[] = { &a, &b };
	struct probe_run run = { .checks = checks, .results = res, .n = 2, .planned = 2,
				 .total_ms = 1500 };

	check_result_init(&res[0]);
	check_result_init(&res[1]);
	check_set(&res[0], CHECK_PASS, "fine");
	check_set(&res[1], CHECK_UNSUPPORTED, "CONFIG_<X> & 'y' \"missing\"\x01");
	res[1].duration_ms = 2.5;
	return run;
}

Test(output, json_shape)
{
	struct check_result res[2];
	struct probe_run run = fake_run(res);
	json_t *env = json_object(), *doc = probe_to_json(&run, env), *c;

	cr_assert_str_eq(json_string_value(json_object_get(doc, "schema_version")),
			 PROBE_SCHEMA_VERSION);
	c = json_array_get(json_object_get(doc, "checks"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "unsupported");
	cr_assert_str_eq(json_string_value(json_object_get(c, "area")), "y");
	cr_assert_float_eq(json_real_value(json_object_get(c, "duration_ms")), 2.5, 1e-9);
	cr_assert(json_is_object(json_object_get(c, "details")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"),
							 "unsupported")), 1);
	json_decref(doc);
	json_decref(env);
	check_result_release(&res[0]);
	check_result_release(&res[1]);
}

Test(output, junit_escapes_and_counts)
{
	struct check_result res[2];
	struct probe_run run = fake_run(res);
	char *xml = probe_to_junit(&run);

	cr_assert_not_null(xml);
	cr_assert(strstr(xml, "tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\""), "%s", xml);
	cr_assert(strstr(xml, "name=\"b&lt;&amp;&gt;&quot;\""), "%s", xml);
	cr_assert(strstr(xml, "<skipped message=\"unsupported: CONFIG_&lt;X&gt; &amp; &apos;y&apos; "
			      "&quot;missing&quot;\"/>"), "%s", xml);
	cr_assert_null(strchr(xml, '\x01'), "control characters must not reach XML");
	free(xml);
	check_result_release(&res[0]);
	check_result_release(&res[1]);
}

Test(output, summary_line)
{
	struct check_result res[2];
	struct probe_run run = fake_run(res);
	char buf[256];

	probe_summary(&run, buf, sizeof(buf));
	cr_assert_str_eq(buf, "2 checks in 1.50 s: 1 pass, 0 fail, 1 unsupported, 0 skipped, "
			      "0 error");
	run.interrupted = true;
	run.planned = 5;
	probe_summary(&run, buf, sizeof(buf));
	cr_assert(strstr(buf, "(interrupted after 2 of 5)"), "%s", buf);
	check_result_release(&res[0]);
	check_result_release(&res[1]);
}

Test(stats, quantiles_interpolate_between_order_statistics)
{
	const double v[] = { 5, 1, 4, 2, 3 };
	struct stats_summary s;

	cr_assert_float_eq(stats_quantile(v, 5, 0.5), 3, 1e-12);
	cr_assert_float_eq(stats_quantile(v, 5, 0.25), 2, 1e-12);
	/* An even count: the first four sort to 1 2 4 5, the median is between 2 and 4. */
	cr_assert_float_eq(stats_quantile(v, 4, 0.5), 3, 1e-12);
	cr_assert_float_eq(stats_quantile(v, 5, 0.1), 1.4, 1e-12);
	stats_summarize(v, 5, &s);
	cr_assert_float_eq(s.min, 1, 1e-12);
	cr_assert_float_eq(s.max, 5, 1e-12);
	cr_assert_float_eq(s.p75, 4, 1e-12);
	cr_assert_eq(s.n, 5);
	cr_assert(isnan(stats_quantile(v, 0, 0.5)));
	/* The input keeps its order. */
	cr_assert_float_eq(v[0], 5, 1e-12);
}

Test(metric, stable_pointers_and_json)
{
	struct metric_set set = {};
	struct metric *first = metric_get(&set, "a/b/c", "ns", BETTER_LOWER), *m;
	json_t *j;
	char name[32];

	cr_assert_not_null(first);
	metric_add(first, 2);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "x/%d/y", i);
		cr_assert_not_null(metric_get(&set, name, "%", BETTER_HIGHER));
	}
	/* The set grew past its first allocation: the first pointer still works. */
	metric_add(first, 4);
	cr_assert_eq(metric_find(&set, "a/b/c"), first);
	cr_assert_eq(first->n, 2);
	j = metric_to_json(first);
	cr_assert_float_eq(json_real_value(json_object_get(j, "median")), 3, 1e-12);
	cr_assert_str_eq(json_string_value(json_object_get(j, "better")), "lower");
	json_decref(j);
	m = metric_find(&set, "x/7/y");
	metric_unavailable(m, "unsupported", "CONFIG_X is not set");
	j = metric_to_json(m);
	cr_assert_str_eq(json_string_value(json_object_get(j, "reason")), "CONFIG_X is not set");
	cr_assert_null(json_object_get(j, "median"), "no samples, no median");
	json_decref(j);
	metric_set_release(&set);
}
