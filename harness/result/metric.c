// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "metric.h"

struct metric *metric_find(const struct metric_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->m[i]->name, name))
			return set->m[i];
	return NULL;
}

struct metric *metric_get(struct metric_set *set, const char *name, const char *unit,
			  enum metric_better better)
{
	struct metric *m = metric_find(set, name);

	if (m)
		return m;
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct metric **tmp = realloc(set->m, cap * sizeof(*tmp));

		if (!tmp)
			return NULL;
		set->m = tmp;
		set->cap = cap;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	set->m[set->n++] = m;
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->unit, sizeof(m->unit), "%s", unit);
	snprintf(m->status, sizeof(m->status), "ok");
	m->better = better;
	return m;
}

int metric_add(struct metric *m, double value)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		double *s = realloc(m->samples, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		m->samples = s;
		m->cap = cap;
	}
	m->samples[m->n++] = value;
	return 0;
}

void metric_unavailable(struct metric *m, const char *status, const char *why)
{
	snprintf(m->status, sizeof(m->status), "%s", status);
	snprintf(m->reason, sizeof(m->reason), "%s", why);
}

json_t *metric_to_json(const struct metric *m)
{
	json_t *samples = json_array(), *doc;
	struct stats_summary s;

	for (size_t i = 0; i < m->n; i++)
		json_array_append_new(samples, json_real(m->samples[i]));
	doc = json_pack("{s:s s:s s:s s:s s:o}", "name", m->name, "unit", m->unit,
			"better", m->better == BETTER_LOWER ? "lower" : "higher",
			"status", m->status, "samples", samples);
	if (m->reason[0])
		json_object_set_new(doc, "reason", json_string(m->reason));
	if (m->n) {
		stats_summarize(m->samples, m->n, &s);
		json_object_set_new(doc, "median", json_real(s.median));
		json_object_set_new(doc, "p25", json_real(s.p25));
		json_object_set_new(doc, "p75", json_real(s.p75));
	}
	return doc;
}

void metric_set_release(struct metric_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->m[i]->samples);
		free(set->m[i]);
	}
	free(set->m);
	memset(set, 0, sizeof(*set));
}
