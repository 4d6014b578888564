// SPDX-License-Identifier: GPL-2.0
/* The JSON document of 'bpfgauge trace' and its histograms (trace_doc.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "integration.h"
#include "support.h"
#include "trace_doc.h"

/* Runs 'bpfgauge trace ARGS' (ARGS includes --json); the parsed output, or NULL. */
json_t *trace_json(const char *args, int *code)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "trace %s", args);
	return bpfgauge_json(cmd, code);
}

json_t *hist_by_label(json_t *doc, const char *label)
{
	json_t *hists = json_object_get(doc, "histograms"), *h;
	size_t i;

	json_array_foreach(hists, i, h) {
		const char *l = json_string_value(json_object_get(h, "label"));

		if (!strcmp(l ? l : "", label))
			return h;
	}
	return NULL;
}

const char *doc_str(json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "(missing)";
}
