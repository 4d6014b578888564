// SPDX-License-Identifier: GPL-2.0
/* What differs between two environment blocks, walked generically so that fields added to
 * the environment later are compared too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* Differ on every run, boot or machine without saying anything about the kernel: the header
 * names the host and the time; boot is the boot time and the uptime. */
static const char *const noise[] = { "time", "hostname", "boot" };

struct walk {
	struct env_change *v;
	size_t n, cap;
	int err;
};

static void add(struct walk *w, const char *key, const json_t *b, const json_t *n)
{
	if (w->err)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct env_change *v = realloc(w->v, cap * sizeof(*v));

		if (!v) {
			w->err = -ENOMEM;
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	snprintf(w->v[w->n].key, sizeof(w->v[w->n].key), "%s", key);
	w->v[w->n].base = b;
	w->v[w->n].cur = n;
	w->n++;
}

static bool is_noise(const char *prefix, const char *key)
{
	if (prefix[0])
		return false;
	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++)
		if (!strcmp(key, noise[i]))
			return true;
	return false;
}

static void walk(struct walk *w, const char *prefix, const json_t *b, const json_t *n)
{
	const char *key;
	const json_t *v;
	char sub[160];

	if ((b && !json_is_object(b)) || (n && !json_is_object(n)) || (!b && !n)) {
		if (!b || !n || !json_equal((json_t *)b, (json_t *)n))
			add(w, prefix, b, n);
		return;
	}
	/* At least one object, the other an object or absent: key by key, base's order first. */
	json_object_foreach((json_t *)b, key, v) {
		if (is_noise(prefix, key))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", prefix, prefix[0] ? "." : "", key);
		walk(w, sub, v, n ? json_object_get(n, key) : NULL);
	}
	json_object_foreach((json_t *)n, key, v) {
		if (is_noise(prefix, key) || (b && json_object_get(b, key)))
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", prefix, prefix[0] ? "." : "", key);
		walk(w, sub, NULL, v);
	}
}

int env_diff(const json_t *base, const json_t *cur, struct env_change **out, size_t *n)
{
	struct walk w = { 0 };

	walk(&w, "", base, cur);
	if (w.err) {
		free(w.v);
		return w.err;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

void env_value_text(const json_t *v, struct strbuf *sb)
{
	char *text;

	if (!v) {
		strbuf_adds(sb, "(absent)");
		return;
	}
	if (json_is_string(v)) {
		strbuf_adds(sb, json_string_value(v));
		return;
	}
	text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	strbuf_adds(sb, text ? text : "?");
	free(text);
}

/* Words of one string missing from the other, each with its sign: "-quiet +debug". */
static void word_diff(const char *a, const char *b, char sign, struct strbuf *sb)
{
	const char *p = a;

	while (*p) {
		size_t len = strcspn(p, " "), blen;
		const char *q = b;
		bool found = false;

		while (*q && !found && len) {
			blen = strcspn(q, " ");
			found = blen == len && !strncmp(p, q, len);
			q += blen + strspn(q + blen, " ");
		}
		if (len && !found)
			strbuf_addf(sb, "%s%c%.*s", sb->len ? " " : "", sign, (int)len, p);
		p += len + strspn(p + len, " ");
	}
}

void env_change_text(const struct env_change *e, struct strbuf *sb)
{
	const char *b = json_string_value(e->base), *n = json_string_value(e->cur);

	/* Long word lists (cmdline, mitigations): only the words that changed. */
	if (b && n && (strlen(b) > 60 || strlen(n) > 60) && strchr(b, ' ') && strchr(n, ' ')) {
		struct strbuf words = STRBUF_INIT;

		word_diff(b, n, '-', &words);
		word_diff(n, b, '+', &words);
		if (words.len) {
			strbuf_adds(sb, words.buf);
			strbuf_release(&words);
			return;
		}
		strbuf_release(&words);
	}
	env_value_text(e->base, sb);
	strbuf_adds(sb, " -> ");
	env_value_text(e->cur, sb);
}
