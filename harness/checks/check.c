// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "lib/libbpf_log.h"

#define CHECK(id) extern const struct check check_##id;
#include "checks.def"
#undef CHECK

const struct check *const check_registry[] = {
#define CHECK(id) &check_##id,
#include "checks.def"
#undef CHECK
};
const size_t check_registry_len = sizeof(check_registry) / sizeof(check_registry[0]);

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

const struct check *check_find(const char *name)
{
	for (size_t i = 0; i < check_registry_len; i++)
		if (!strcmp(check_registry[i]->name, name))
			return check_registry[i];
	return NULL;
}

size_t check_index(const struct check *c)
{
	size_t i = 0;

	while (i < check_registry_len && check_registry[i] != c)
		i++;
	return i;
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

void check_run(const struct check *c, struct check_result *res)
{
	double start = now_ms();

	libbpf_log_reset();
	res->reason[0] = '\0';
	res->status = CHECK_ERROR;
	c->run(res);
	if (res->status == CHECK_ERROR && !res->reason[0])
		check_set(res, CHECK_ERROR, "check '%s' finished without a verdict", c->name);
	res->duration_ms = now_ms() - start;
}
