// SPDX-License-Identifier: GPL-2.0
/* What compare_pair() warns about besides its rows (compare.h): power, speed, broken. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "lib/strbuf.h"
#include "mannwhitney.h"
#include "result/result_json.h"

/* A benchmark that broke with no metric of it in either result has no row: say so. */
void compare_warn_broken(struct comparison *c)
{
	const struct loaded_result *side[2] = { c->base, c->cur };
	struct strbuf sb = STRBUF_INIT;
	const json_t *e;
	size_t i, len;

	for (int k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(side[k]->doc, "benchmarks"), i, e) {
			const char *name = result_str(e, "name"), *error = result_str(e, "error");
			bool shown = false;

			if (!error[0])
				continue;
			len = strlen(name);
			for (size_t j = 0; j < c->n && !shown; j++) {
				const struct cmp_row *r = &c->rows[j];

				shown = !r->is_check && !strncmp(r->name, name, len) &&
					r->name[len] == '/';
			}
			if (!shown)
				strbuf_addf(&sb, "%sin %s, %s", sb.len ? "; " : "",
					    k ? "new" : "base", error);
		}
	}
	if (sb.len)
		snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
			 "a benchmark broke and no metric of either result shows it: %s",
			 sb.failed ? "?" : sb.buf);
	strbuf_release(&sb);
}

static size_t reps_needed(size_t m, double alpha)
{
	for (size_t n = 2; n < 1000; n++)
		if (mannwhitney_min_p(n, n) * m < alpha)
			return n;
	return 1000;
}

/*
 * Whether the machine itself ran at another speed: a workload's untraced throughput
 * (BENCH/WORKLOAD/untraced_ops_per_s, workload-throughput/WORKLOAD/ops_per_s) regressed or
 * improved. Every absolute cost measured on it (ns per event) moves with it, whatever the
 * kernel or the tool did: say so once, naming the largest change.
 */
void compare_warn_speed(struct comparison *c)
{
	const struct cmp_row *worst = NULL;
	size_t moved = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct cmp_row *r = &c->rows[i];
		const char *slash = r->is_check ? NULL : strrchr(r->name, '/');

		if (!slash || !r->measured || (strcmp(slash, "/untraced_ops_per_s") &&
		    strncmp(r->name, "workload-throughput/", 20)))
			continue;
		if (r->verdict != VERDICT_REGRESSED && r->verdict != VERDICT_IMPROVED)
			continue;
		moved++;
		if (!worst || fabs(log(r->mc.ratio)) > fabs(log(worst->mc.ratio)))
			worst = r;
	}
	if (!worst)
		return;
	snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
		 "the untraced workloads themselves ran at another speed (%zu changed; '%s' "
		 "x%.3f): absolute costs measured on them (ns per event) move with the machine, "
		 "whatever the kernel or the tool did; relative ones (slowdown_pct, "
		 "pct_throughput) less so (docs/compare.md)", moved, worst->name, worst->mc.ratio);
}

/* With these sample counts, can any metric compared by its repetitions be significant after
 * Holm over m? */
void compare_warn_power(struct comparison *c, struct metric_cmp **mc, size_t m)
{
	size_t weak = 0, nb = 0, nn = 0;

	for (size_t i = 0; i < m; i++) {
		if (mc[i]->by_runs || mannwhitney_min_p(mc[i]->nb, mc[i]->nn) * m < c->set.alpha)
			continue;
		if (!weak++ || mc[i]->nb + mc[i]->nn < nb + nn) {
			nb = mc[i]->nb;
			nn = mc[i]->nn;
		}
	}
	if (!weak)
		return;
	snprintf(c->warnings[c->nr_warnings++], sizeof(c->warnings[0]),
		 "%zu of %zu metrics cannot be significant: with %zu samples in base and %zu in "
		 "new, Mann-Whitney's smallest p is %.3g, and Holm over %zu metrics needs p < "
		 "%.3g; run each side with 'bpfgauge run SUITE --reps %zu' or more", weak, m, nb,
		 nn, mannwhitney_min_p(nb, nn), m, c->set.alpha / m,
		 reps_needed(m, c->set.alpha));
}
