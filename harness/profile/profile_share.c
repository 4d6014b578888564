// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "profile_share.h"

struct folded *share_nodes(const struct folded *f)
{
	struct folded *nodes = folded_new();

	for (size_t i = 0; nodes && i < f->nr; i++) {
		char *stack = strdup(f->lines[i].stack), *semi = stack;

		if (!stack) {
			folded_free(nodes);
			return NULL;
		}
		/* Each prefix that ends before a ';', then the whole stack. */
		for (;;) {
			semi = strchr(semi, ';');
			if (semi)
				*semi = '\0';
			if (folded_add(nodes, stack, f->lines[i].count)) {
				free(stack);
				folded_free(nodes);
				return NULL;
			}
			if (!semi)
				break;
			*semi++ = ';';
		}
		free(stack);
	}
	return nodes;
}

static int by_count_desc(const void *a, const void *b)
{
	const struct folded_line *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->stack, y->stack);
}

json_t *share_json(const struct folded *nodes, unsigned long long n, bool sampled)
{
	struct folded_line *v = malloc((nodes->nr ? nodes->nr : 1) * sizeof(*v));
	json_t *arr = json_array();

	if (!v || !arr) {
		free(v);
		json_decref(arr);
		return NULL;
	}
	if (nodes->nr) {	/* no lines: no array (NULL) */
		memcpy(v, nodes->lines, nodes->nr * sizeof(*v));
		qsort(v, nodes->nr, sizeof(*v), by_count_desc);
	}
	for (size_t i = 0; i < nodes->nr; i++) {
		double lo, hi;

		json_t *node = json_pack("{s:s s:I s:f}", "stack", v[i].stack, "count",
					 (json_int_t)v[i].count, "share",
					 n ? (double)v[i].count / n : 0.0);

		if (sampled) {
			stats_wilson(v[i].count, n, &lo, &hi);
			json_object_set_new(node, "share_low", json_real(lo));
			json_object_set_new(node, "share_high", json_real(hi));
		}
		json_array_append_new(arr, node);
	}
	free(v);
	return arr;
}

double share_widest(const struct folded *nodes, unsigned long long n, double *p)
{
	double widest = 0;

	*p = 0;
	for (size_t i = 0; n && i < nodes->nr; i++) {
		double share = (double)nodes->lines[i].count / n, lo, hi;

		/* The root (the command's name alone) holds everything of its process. */
		if (!strchr(nodes->lines[i].stack, ';') || share < 0.05 || share > 0.95)
			continue;
		stats_wilson(nodes->lines[i].count, n, &lo, &hi);
		if ((hi - lo) / 2 > widest) {
			widest = (hi - lo) / 2;
			*p = share;
		}
	}
	return widest;
}

unsigned long long share_samples_for(double p, double half)
{
	return (unsigned long long)ceil(STATS_Z95 * STATS_Z95 * p * (1 - p) / (half * half));
}
