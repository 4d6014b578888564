// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "check.h"
#include "lib/errno_name.h"
#include "lib/kconfig.h"
#include "lib/libbpf_log.h"
#include "modules.h"

static const char *const status_names[CHECK_NR_STATUS] = {
	[CHECK_PASS] = "pass",
	[CHECK_FAIL] = "fail",
	[CHECK_UNSUPPORTED] = "unsupported",
	[CHECK_SKIPPED] = "skipped",
	[CHECK_ERROR] = "error",
};

const char *check_status_name(enum check_status st)
{
	return st < CHECK_NR_STATUS ? status_names[st] : "?";
}

void check_result_init(struct check_result *res)
{
	memset(res, 0, sizeof(*res));
	res->status = CHECK_ERROR;
	res->details = json_object();
}

void check_result_release(struct check_result *res)
{
	json_decref(res->details);
	res->details = NULL;
}

void check_set(struct check_result *res, enum check_status st, const char *fmt, ...)
{
	va_list ap;

	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

void check_reason_append(struct check_result *res, const char *fmt, ...)
{
	size_t len = strlen(res->reason);
	va_list ap;

	if (len && len + 2 < sizeof(res->reason)) {
		memcpy(res->reason + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(res->reason + len, sizeof(res->reason) - len, fmt, ap);
	va_end(ap);
}

void check_detail_json(struct check_result *res, const char *key, json_t *val)
{
	json_object_set_new(res->details, key, val ? val : json_null());
}

void check_detail_str(struct check_result *res, const char *key, const char *val)
{
	check_detail_json(res, key, val ? json_string(val) : json_null());
}

void check_detail_int(struct check_result *res, const char *key, long long val)
{
	check_detail_json(res, key, json_integer(val));
}

void check_detail_bool(struct check_result *res, const char *key, bool val)
{
	check_detail_json(res, key, json_boolean(val));
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* DEFINE_CHECK_SINCE's version: recorded, and the likely cause of a failure on older kernels. */
static void check_arrived(const struct check *c, struct check_result *res)
{
	struct utsname u;
	int kmajor, kminor;
	char v[24];

	snprintf(v, sizeof(v), "%d.%d", c->since_major, c->since_minor);
	check_detail_str(res, "arrived_in", v);
	if ((res->status != CHECK_FAIL && res->status != CHECK_UNSUPPORTED) || uname(&u) ||
	    sscanf(u.release, "%d.%d", &kmajor, &kminor) != 2 || kmajor > c->since_major ||
	    (kmajor == c->since_major && kminor >= c->since_minor))
		return;
	check_reason_append(res, "%skernel %d.%d < %s where %s arrived",
			    res->status == CHECK_FAIL ? "likely: " : "", kmajor, kminor, v,
			    c->feature);
	res->status = CHECK_UNSUPPORTED;
}

void check_run(const struct check *c, struct check_result *res)
{
	double start = now_ms();

	libbpf_log_reset();
	res->reason[0] = '\0';
	res->status = CHECK_ERROR;
	c->run(res);
	if (res->status == CHECK_ERROR && !res->reason[0])
		check_set(res, CHECK_ERROR, "check '%s' finished without a verdict", c->name);
	if (c->feature)
		check_arrived(c, res);
	res->duration_ms = now_ms() - start;
}

void check_set_errno(struct check_result *res, enum check_status st, int err, const char *fmt,
		     ...)
{
	char what[CHECK_REASON_MAX / 2];
	va_list ap;

	if (err < 0)
		err = -err;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	check_set(res, st, "%s: %s (%s)", what, errno_name(err), strerror(err));
	check_detail_str(res, "errno", errno_name(err));
}

enum check_status check_explain(struct check_result *res, int err, const char *what,
				const char *const *configs)
{
	const char *last = libbpf_log_last();

	for (const char *const *c = configs; c && *c; c++) {
		if (kconfig_state(*c) == KCONFIG_NOT_SET) {
			check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
			check_reason_append(res, "%s is not set (%s)", *c, kconfig_source());
			check_detail_str(res, "missing_config", *c);
			return CHECK_UNSUPPORTED;
		}
	}
	for (const char *const *c = configs; c && *c; c++) {
		const char *val = kconfig_get(*c), *mod = check_module_of(*c);

		if (val && !strcmp(val, "m") && mod && !check_module_loaded(mod)) {
			check_set_errno(res, CHECK_UNSUPPORTED, err, "%s", what);
			check_reason_append(res, "module '%s' is not loaded (%s=m) and the kernel "
					    "could not load it on demand", mod, *c);
			check_detail_str(res, "missing_module", mod);
			return CHECK_UNSUPPORTED;
		}
	}
	check_set_errno(res, CHECK_FAIL, err, "%s", what);
	if (last[0]) {
		/* libbpf's own lines carry the prefix already, the verifier's do not. */
		check_reason_append(res, "%s%s", strncmp(last, "libbpf: ", 8) ? "libbpf: " : "",
				    last);
		check_detail_str(res, "log_last_line", last);
	}
	return CHECK_FAIL;
}

bool check_may_intrude(struct check_result *res, const char *what)
{
	if (res->opts && res->opts->intrusive)
		return true;
	check_set(res, CHECK_SKIPPED, "%s: only with --intrusive", what);
	return false;
}

const char *check_metric_status(enum check_status st)
{
	return st == CHECK_UNSUPPORTED ? "unsupported" : st == CHECK_SKIPPED ? "skipped" : "error";
}
