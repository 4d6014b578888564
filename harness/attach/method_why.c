// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "lib/kconfig.h"
#include "method_why.h"

void method_why_explain(const char *method, int err, char *why, size_t sz)
{
	const struct attach_type *t = attach_type_find(method);
	size_t len = strlen(why);

	if (!t)
		return;
	for (const char *const *c = t->configs; *c; c++) {
		if (kconfig_state(*c) == KCONFIG_NOT_SET) {
			snprintf(why + len, sz - len, ", %s is not set", *c);
			return;
		}
	}
	if (t->explain)
		t->explain(err, why, sz);
}
