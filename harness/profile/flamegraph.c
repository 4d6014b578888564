// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph.h"
#include "lib/stats.h"

#define FRAME_H 16
#define PAD_X 10
#define TOP 56		/* title and subtitle */
#define BOTTOM 10
#define FONT_PX 12
#define CHAR_W 7.0	/* average advance of a 12px sans-serif character */

struct node {
	char *name;
	unsigned long long value;
	struct node **kids;
	size_t nr_kids, cap_kids;
};

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nr_kids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n);
}

static struct node *node_new(const char *name, size_t len)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, len);
	if (!n->name) {
		free(n);
		return NULL;
	}
	return n;
}

static struct node *node_child(struct node *parent, const char *name, size_t len)
{
	struct node *n, **tmp;

	/* Sorted input puts the match last: look there first. */
	for (size_t i = parent->nr_kids; i-- > 0;) {
		n = parent->kids[i];
		if (strlen(n->name) == len && !memcmp(n->name, name, len))
			return n;
	}
	if (parent->nr_kids == parent->cap_kids) {
		size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 4;

		tmp = realloc(parent->kids, cap * sizeof(*tmp));
		if (!tmp)
			return NULL;
		parent->kids = tmp;
		parent->cap_kids = cap;
	}
	n = node_new(name, len);
	if (n)
		parent->kids[parent->nr_kids++] = n;
	return n;
}

static int tree_add(struct node *root, const char *stack, unsigned long long count)
{
	struct node *n = root;

	root->value += count;
	while (*stack) {
		size_t len = strcspn(stack, ";");

		n = node_child(n, stack, len);
		if (!n)
			return -ENOMEM;
		n->value += count;
		stack += len + (stack[len] == ';');
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct node *const *)a)->name, (*(struct node *const *)b)->name);
}

static int tree_depth(struct node *n)
{
	int d = 0;

	if (n->nr_kids)		/* a leaf has no array (NULL) */
		qsort(n->kids, n->nr_kids, sizeof(*n->kids), cmp_name);
	for (size_t i = 0; i < n->nr_kids; i++) {
		int k = tree_depth(n->kids[i]) + 1;

		if (k > d)
			d = k;
	}
	return d;
}

/* A stable colour per name, so a function keeps its colour across graphs. */
static void frame_color(const char *name, bool cool, char *buf, size_t sz)
{
	uint32_t h = 2166136261u;
	double v1, v2, v3;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	v1 = (h & 0xff) / 255.0;
	v2 = ((h >> 8) & 0xff) / 255.0;
	v3 = ((h >> 16) & 0xff) / 255.0;
	if (cool)	/* blues and teals */
		snprintf(buf, sz, "rgb(%d,%d,%d)", (int)(50 + 60 * v1), (int)(120 + 80 * v2),
			 (int)(190 + 55 * v3));
	else		/* reds, oranges and yellows */
		snprintf(buf, sz, "rgb(%d,%d,%d)", (int)(205 + 50 * v3), (int)(230 * v1),
			 (int)(55 * v2));
}

struct layout {
	const struct flamegraph_opts *o;
	double scale;		/* pixels per count */
	unsigned long long total;
	int height;
};

static void frame_draw(struct strbuf *sb, const struct layout *l, const struct node *n,
		       double x, int depth)
{
	double w = n->value * l->scale, y = l->height - BOTTOM - (depth + 1) * FRAME_H;
	size_t fit = w > 6 ? (size_t)((w - 6) / CHAR_W) : 0, len = strlen(n->name);
	char color[32];

	frame_color(n->name, l->o->cool, color, sizeof(color));
	strbuf_adds(sb, "<g class=\"f\"><title>");
	strbuf_add_xml(sb, n->name);
	strbuf_addf(sb, " (%llu %s, %.2f%%", n->value, l->o->unit,
		    l->total ? 100.0 * n->value / l->total : 0.0);
	if (l->o->sampled) {
		double lo, hi;

		stats_wilson(n->value, l->total, &lo, &hi);
		strbuf_addf(sb, ", 95%%: %.1f-%.1f%%", 100 * lo, 100 * hi);
	}
	strbuf_adds(sb, ")</title>");
	strbuf_addf(sb, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\" "
		    "rx=\"2\"/>", x, y, w, FRAME_H - 1, color);
	if (fit >= 3) {
		char *label = strdup(n->name);

		/* Cut on a character boundary of UTF-8 text, then mark the cut. */
		if (label && len > fit) {
			size_t cut = fit - 2;

			while (cut && ((unsigned char)label[cut] & 0xc0) == 0x80)
				cut--;
			strcpy(label + cut, "..");
		}
		if (label) {
			strbuf_addf(sb, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + FRAME_H - 4.5);
			strbuf_add_xml(sb, label);
			strbuf_adds(sb, "</text>");
		}
		free(label);
	}
	strbuf_adds(sb, "</g>\n");
	for (size_t i = 0; i < n->nr_kids; i++) {
		frame_draw(sb, l, n->kids[i], x, depth + 1);
		x += n->kids[i]->value * l->scale;
	}
}

int flamegraph_svg(const struct folded *f, const struct flamegraph_opts *o, struct strbuf *sb)
{
	struct node *root = node_new("all", 3);
	int width = o->width > 0 ? o->width : 1200, depth, err = 0;
	struct layout l = { .o = o };

	if (!root)
		return -ENOMEM;
	for (size_t i = 0; i < f->nr && !err; i++)
		err = tree_add(root, f->lines[i].stack, f->lines[i].count);
	if (err)
		goto cleanup;
	depth = root->value ? tree_depth(root) + 1 : 0;
	l.total = root->value;
	l.scale = root->value ? (double)(width - 2 * PAD_X) / root->value : 0;
	l.height = TOP + depth * FRAME_H + BOTTOM + (depth ? 0 : 2 * FRAME_H);

	strbuf_addf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		    "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" style=\"background-color:#f8f8f8\">\n",
		    width, l.height, width, l.height);
	strbuf_addf(sb, "<style>text { font-family: Verdana, DejaVu Sans, sans-serif; "
		    "font-size: %dpx; fill: #000; } .f text { pointer-events: none; } "
		    ".f:hover rect { stroke: #000; stroke-width: 0.5; } "
		    ".t { font-size: 17px; text-anchor: middle; } .s { fill: #555; "
		    "text-anchor: middle; }</style>\n", FONT_PX);
	strbuf_addf(sb, "<text class=\"t\" x=\"%d\" y=\"24\">", width / 2);
	strbuf_add_xml(sb, o->title);
	strbuf_adds(sb, "</text>\n");
	if (o->subtitle) {
		strbuf_addf(sb, "<text class=\"s\" x=\"%d\" y=\"44\">", width / 2);
		strbuf_add_xml(sb, o->subtitle);
		strbuf_adds(sb, "</text>\n");
	}
	if (root->value)
		frame_draw(sb, &l, root, PAD_X, 0);
	else
		strbuf_addf(sb, "<text class=\"s\" x=\"%d\" y=\"%d\">no stacks were recorded"
			    "</text>\n", width / 2, TOP + FRAME_H);
	strbuf_adds(sb, "</svg>\n");
	if (sb->failed)
		err = -ENOMEM;
cleanup:
	node_free(root);
	return err;
}
