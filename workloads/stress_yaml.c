// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "stress_yaml.h"

#define LINE_MAX_LEN 512

/* One line, split: its indentation, whether it starts a sequence item, key and value. */
struct yaml_line {
	int indent;
	bool item;
	char key[128];
	char value[256];
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Strips one pair of matching quotes ('0.15' or "x"). */
static void unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/* "  - key: value" -> fields; -EINVAL for a line that is no "key: value". */
static int line_split(char *line, struct yaml_line *l)
{
	char *p = line, *colon;

	memset(l, 0, sizeof(*l));
	while (*p == ' ')
		p++;
	l->indent = p - line;
	if (p[0] == '-' && p[1] == ' ') {
		l->item = true;
		p += 2;
		while (*p == ' ')
			p++;
	}
	colon = strstr(p, ": ");
	if (!colon && p[0] && p[strlen(p) - 1] == ':')
		colon = p + strlen(p) - 1;
	if (!colon || colon == p)
		return -EINVAL;
	*colon = '\0';
	if (strlen(p) >= sizeof(l->key))
		return -EINVAL;
	strcpy(l->key, p);
	p = trim(colon + 1);
	if (strlen(p) >= sizeof(l->value))
		return -EINVAL;
	strcpy(l->value, p);
	unquote(l->value);
	return 0;
}

static bool to_number(const char *s, double *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return !errno && *end == '\0';
}

static bool field(json_t *fields, const char *key, double *v)
{
	json_t *j = json_object_get(fields, key);

	if (!json_is_number(j))
		return false;
	*v = json_number_value(j);
	return true;
}

int stress_yaml_metrics(const char *text, const char *stressor, struct stress_metrics *m)
{
	bool started = false, ended = false, in_metrics = false, in_ours = false, found = false;
	const char *p = text;
	json_t *fields;
	int err = 0;

	memset(m, 0, sizeof(*m));
	fields = json_object();
	if (!fields)
		return -ENOMEM;
	while (*p && !ended) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char buf[LINE_MAX_LEN], *line;
		struct yaml_line l;
		double v;

		if (len >= sizeof(buf) || !nl) {
			/* Too long for the subset, or a last line cut off without its newline. */
			err = -EINVAL;
			goto out;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = nl + 1;
		line = buf;
		if (!*trim(line))
			continue;
		if (!started) {
			if (strcmp(line, "---")) {
				err = -EINVAL;
				goto out;
			}
			started = true;
			continue;
		}
		if (!strcmp(line, "...")) {
			ended = true;
			continue;
		}
		err = line_split(buf, &l);
		if (err)
			goto out;
		if (l.indent == 0 && !l.item) {
			/* A top-level key: "metrics:" holds the stressors' entries. */
			in_metrics = !strcmp(l.key, "metrics") && !l.value[0];
			in_ours = false;
			continue;
		}
		if (!in_metrics)
			continue;
		if (l.item) {
			in_ours = !strcmp(l.key, "stressor") && !strcmp(l.value, stressor);
			if (in_ours && found) {
				err = -EINVAL;	/* two entries for one stressor */
				goto out;
			}
			found |= in_ours;
			continue;
		}
		if (in_ours && to_number(l.value, &v) && json_object_set_new(fields, l.key,
									   json_real(v))) {
			err = -ENOMEM;
			goto out;
		}
	}
	if (!started || !ended || !found ||
	    !field(fields, "bogo-ops", &m->bogo_ops) ||
	    !field(fields, "bogo-ops-per-second-real-time", &m->ops_per_s) ||
	    !field(fields, "wall-clock-time", &m->wall_s)) {
		err = -EINVAL;
		goto out;
	}
	m->fields = fields;
	return 0;
out:
	json_decref(fields);
	memset(m, 0, sizeof(*m));
	return err;
}

void stress_metrics_release(struct stress_metrics *m)
{
	json_decref(m->fields);
	memset(m, 0, sizeof(*m));
}
