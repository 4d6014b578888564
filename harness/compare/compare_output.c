// SPDX-License-Identifier: GPL-2.0
/* The outputs of a two-result comparison: terminal table, JSON, Markdown and JUnit XML. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "lib/fileio.h"

static const char *const verdict_colour[4] = {
	[VERDICT_UNCHANGED] = "",
	[VERDICT_IMPROVED] = "\033[32m",
	[VERDICT_REGRESSED] = "\033[31m",
	[VERDICT_INCONCLUSIVE] = "\033[33m",
};

static const char *row_verdict(const struct cmp_row *r)
{
	if (r->presence == ONLY_BASE)
		return "only in base";
	if (r->presence == ONLY_NEW)
		return "only in new";
	return verdict_name(r->verdict);
}

const char *result_time(const struct loaded_result *r)
{
	const char *t = json_string_value(json_object_get(json_object_get(r->doc, "environment"),
							  "time"));

	return t ? t : "time unknown";
}

/* "1.200 [1.180, 1.220]", or empty when there is no ratio. */
static void ratio_text(const struct metric_cmp *m, char *buf, size_t sz)
{
	if (isnan(m->ratio))
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%.3f [%.3f, %.3f]", m->ratio, m->ci_lo, m->ci_hi);
}

/* What the row says besides its verdict, for the table, Markdown and JUnit. */
static void row_note(const struct cmp_row *r, struct strbuf *sb)
{
	if (r->presence != IN_BOTH) {
		const char *st = r->presence == ONLY_BASE ? r->base_status : r->new_status;
		const char *error = r->presence == ONLY_BASE ? r->base_error : r->new_error;

		strbuf_addf(sb, "%s%s%s", st, error ? ": " : "", error ? error : "");
		return;
	}
	if (r->is_check && !r->why[0]) {
		strbuf_adds(sb, r->new_status);
		return;
	}
	strbuf_adds(sb, r->why);
}

static void print_header(const struct comparison *c, FILE *out, bool colour)
{
	struct strbuf sb = STRBUF_INIT;
	int key_w = 8;

	fprintf(out, "base  %-28s %s  %s\n", c->base->label, result_time(c->base), c->base->path);
	fprintf(out, "new   %-28s %s  %s\n", c->cur->label, result_time(c->cur), c->cur->path);
	compare_noise_text(c, &sb);
	fprintf(out, "%s\n", sb.failed ? "?" : sb.buf);
	strbuf_release(&sb);
	if (!c->nr_env) {
		fprintf(out, "environment: no difference (time, host name and boot aside)\n");
		return;
	}
	for (size_t i = 0; i < c->nr_env; i++)
		if ((int)strlen(c->env[i].key) > key_w)
			key_w = strlen(c->env[i].key);
	fprintf(out, "%senvironment: %zu difference%s%s\n", colour ? "\033[1m" : "", c->nr_env,
		c->nr_env == 1 ? "" : "s", colour ? "\033[0m" : "");
	for (size_t i = 0; i < c->nr_env; i++) {
		env_change_text(&c->env[i], &sb);
		fprintf(out, "  %-*s  %s\n", key_w, c->env[i].key, sb.failed ? "?" : sb.buf);
		strbuf_release(&sb);
	}
}

void compare_print_table(const struct comparison *c, FILE *out, bool colour)
{
	struct strbuf sb = STRBUF_INIT;
	char ratio[64], ci_head[32];
	int name_w = 6;

	snprintf(ci_head, sizeof(ci_head), "ratio [%g%% CI]", c->set.level * 100);
	print_header(c, out, colour);
	for (size_t i = 0; i < c->n; i++)
		if ((int)strlen(c->rows[i].name) > name_w)
			name_w = strlen(c->rows[i].name);
	for (size_t i = 0; i < c->n; i++) {
		const struct cmp_row *r = &c->rows[i];
		const char *col = colour ? r->presence == IN_BOTH ? verdict_colour[r->verdict] :
				  "\033[36m" : "";

		if (i == 0 || r->is_check != c->rows[i - 1].is_check) {
			fprintf(out, "\n%s", colour ? "\033[1m" : "");
			if (r->is_check)
				fprintf(out, "checks");
			else
				fprintf(out, "%-*s %10s %10s  %-6s %-24s %8s", name_w + 15,
					"metrics", "base", "new", "unit", ci_head, "p(Holm)");
			fprintf(out, "%s\n", colour ? "\033[0m" : "");
		}
		row_note(r, &sb);
		fprintf(out, "  %s%-12s%s %-*s", col, row_verdict(r), colour && col[0] ? "\033[0m" :
			"", name_w, r->name);
		if (r->measured) {
			ratio_text(&r->mc, ratio, sizeof(ratio));
			fprintf(out, " %10.4g %10.4g  %-6s %-24s %8.2g", r->mc.base_median,
				r->mc.new_median, r->unit, ratio, r->mc.p_adj);
		}
		fprintf(out, "%s%s\n", sb.len ? "  " : "", sb.len ? sb.buf : "");
		strbuf_release(&sb);
	}
	for (size_t i = 0; i < c->nr_warnings; i++)
		fprintf(out, "\n%swarning:%s %s\n", colour ? "\033[33m" : "",
			colour ? "\033[0m" : "", c->warnings[i]);
	fprintf(out, "\n%zu regressed, %zu improved, %zu unchanged, %zu inconclusive; %zu only in "
		"base, %zu only in new", c->count[VERDICT_REGRESSED], c->count[VERDICT_IMPROVED],
		c->count[VERDICT_UNCHANGED], c->count[VERDICT_INCONCLUSIVE], c->only_base,
		c->only_new);
	if (c->broken_base || c->broken_new)
		fprintf(out, "; %zu broken in base, %zu broken in new", c->broken_base,
			c->broken_new);
	fputc('\n', out);
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *side_json(const struct loaded_result *r)
{
	return json_pack("{s:s s:s s:s}", "path", r->path, "label", r->label,
			 "time", result_time(r));
}

static json_t *row_json(const struct cmp_row *r)
{
	static const char *const presence[] = { "both", "only_base", "only_new" };
	json_t *o = json_pack("{s:s s:s}", "name", r->name, "presence", presence[r->presence]);

	if (!r->is_check) {
		json_object_set_new(o, "unit", json_string(r->unit));
		json_object_set_new(o, "better", json_string(r->higher_is_better ? "higher" :
							      "lower"));
	}
	json_object_set_new(o, "base_status", r->base || r->base_error ?
			    json_string(r->base_status) : json_null());
	json_object_set_new(o, "new_status", r->cur || r->new_error ?
			    json_string(r->new_status) : json_null());
	json_object_set_new(o, "base_reason", r->base || r->base_error ?
			    json_string(r->base_reason) : json_null());
	json_object_set_new(o, "new_reason", r->cur || r->new_error ?
			    json_string(r->new_reason) : json_null());
	json_object_set_new(o, "verdict", r->presence == IN_BOTH ?
			    json_string(verdict_name(r->verdict)) : json_null());
	json_object_set_new(o, "why", json_string(r->why));
	if (r->is_check || r->presence != IN_BOTH)
		return o;
	json_object_set_new(o, "threshold_pct", json_real(r->threshold_pct));
	if (!r->measured)
		return o;
	json_object_set_new(o, "n_base", json_integer(r->mc.nb));
	json_object_set_new(o, "n_new", json_integer(r->mc.nn));
	json_object_set_new(o, "base_median", number_or_null(r->mc.base_median));
	json_object_set_new(o, "new_median", number_or_null(r->mc.new_median));
	json_object_set_new(o, "ratio", number_or_null(r->mc.ratio));
	json_object_set_new(o, "ci_lo", number_or_null(r->mc.ci_lo));
	json_object_set_new(o, "ci_hi", number_or_null(r->mc.ci_hi));
	json_object_set_new(o, "u", number_or_null(r->mc.u));
	json_object_set_new(o, "p", number_or_null(r->mc.p));
	json_object_set_new(o, "p_holm", number_or_null(r->mc.p_adj));
	json_object_set_new(o, "model", json_string(r->mc.by_runs ? "runs" : "repetitions"));
	if (r->mc.by_runs) {
		json_object_set_new(o, "runs_base", json_integer(r->mc.kb));
		json_object_set_new(o, "runs_new", json_integer(r->mc.kn));
		json_object_set_new(o, "df", json_integer(r->mc.df));
		json_object_set_new(o, "run_sd_pct", number_or_null(r->mc.sd_pct));
		json_object_set_new(o, "run_value", json_string(r->mc.fastest ? "fastest" :
								       "median"));
		/* Kept for readers of 1.1: throughputs are no longer adjusted. */
		json_object_set_new(o, "adjusted", json_false());
	}
	return o;
}

json_t *compare_to_json(const struct comparison *c)
{
	json_t *checks = json_array(), *metrics = json_array(), *env = json_array(), *summary;
	json_t *warnings = json_array(), *cals = json_array(), *noise, *doc;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(c->rows[i].is_check ? checks : metrics,
				      row_json(&c->rows[i]));
	for (size_t i = 0; i < c->nr_warnings; i++)
		json_array_append_new(warnings, json_string(c->warnings[i]));
	for (size_t i = 0; i < c->nr_env; i++)
		json_array_append_new(env, json_pack("{s:s s:O s:O}", "key", c->env[i].key,
			"base", c->env[i].base ? c->env[i].base : json_null(),
			"new", c->env[i].cur ? c->env[i].cur : json_null()));
	summary = json_pack("{s:i s:i s:i s:i s:i s:i s:i s:i}",
			    "regressed", (int)c->count[VERDICT_REGRESSED],
			    "improved", (int)c->count[VERDICT_IMPROVED],
			    "unchanged", (int)c->count[VERDICT_UNCHANGED],
			    "inconclusive", (int)c->count[VERDICT_INCONCLUSIVE],
			    "only_in_base", (int)c->only_base, "only_in_new", (int)c->only_new,
			    "broken_in_base", (int)c->broken_base,
			    "broken_in_new", (int)c->broken_new);
	for (size_t i = 0; i < c->nr_cals; i++)
		json_array_append_new(cals, json_string(c->cals[i]->path));
	compare_noise_text(c, &sb);
	noise = json_pack("{s:i s:i s:o s:s s:o s:b s:{s:i s:i s:i}}", "runs_base",
			  (int)c->base_runs, "runs_new", (int)c->new_runs, "calibrations", cals,
			  "text", sb.failed ? "" : sb.buf, "machine_speed",
			  number_or_null(c->machine_speed), "machine_differs", c->machine_differs,
			  "runs_left_out", "base", (int)compare_left_out(&c->base_mask), "new",
			  (int)compare_left_out(&c->new_mask), "calibrations",
			  (int)compare_cal_left_out(c));
	strbuf_release(&sb);
	doc = json_pack("{s:s s:s s:o s:o s:{s:f s:i s:f s:I} s:o s:o s:o s:o s:o s:i}",
			 "schema_version", "1.2", "kind", "bpfgauge-compare",
			 "base", side_json(c->base), "new", side_json(c->cur),
			 "settings", "alpha", c->set.alpha, "resamples", c->set.resamples,
			 "level", c->set.level, "seed", (json_int_t)c->set.seed,
			 "environment_diff", env,
			 "warnings", warnings,
			 "checks", checks, "metrics", metrics, "summary", summary,
			 "exit_code", comparison_regressed(c) ? 1 : 0);
	json_object_set_new(doc, "noise", noise);
	return doc;
}

/* Markdown table cells: '|' escaped, newlines folded. */
static void md_cell(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			strbuf_adds(sb, "\\|");
		else
			strbuf_add(sb, *s == '\n' ? " " : s, 1);
	}
}

void compare_markdown(const struct comparison *c, struct strbuf *sb)
{
	struct strbuf note = STRBUF_INIT;
	char ratio[64];

	strbuf_addf(sb, "### bpfgauge compare: %zu regressed, %zu improved, %zu unchanged, "
		    "%zu inconclusive", c->count[VERDICT_REGRESSED],
		    c->count[VERDICT_IMPROVED], c->count[VERDICT_UNCHANGED],
		    c->count[VERDICT_INCONCLUSIVE]);
	if (c->broken_base || c->broken_new)
		strbuf_addf(sb, "; %zu broken in base, %zu broken in new", c->broken_base,
			    c->broken_new);
	strbuf_adds(sb, "\n\n");
	strbuf_addf(sb, "base: `%s` (%s), new: `%s` (%s)\n\n", c->base->label, result_time(c->base),
		    c->cur->label, result_time(c->cur));
	compare_noise_text(c, &note);
	md_cell(sb, note.failed ? "?" : note.buf);
	strbuf_release(&note);
	strbuf_adds(sb, "\n\n");
	for (size_t i = 0; i < c->nr_env; i++) {
		strbuf_addf(sb, "%s- `%s`: ", i ? "" : "Environment differences:\n\n",
			    c->env[i].key);
		env_change_text(&c->env[i], &note);
		md_cell(sb, note.failed ? "?" : note.buf);
		strbuf_release(&note);
		strbuf_adds(sb, i + 1 == c->nr_env ? "\n\n" : "\n");
	}
	for (size_t i = 0; i < c->nr_warnings; i++)
		strbuf_addf(sb, "> **warning:** %s\n\n", c->warnings[i]);
	strbuf_addf(sb, "| verdict | check / metric | base | new | ratio [%g%% CI] | p (Holm) "
		    "| note |\n|---|---|--:|--:|---|--:|---|\n", c->set.level * 100);
	for (size_t i = 0; i < c->n; i++) {
		const struct cmp_row *r = &c->rows[i];
		bool bold = r->presence == IN_BOTH && r->verdict == VERDICT_REGRESSED;

		strbuf_addf(sb, "| %s%s%s | `", bold ? "**" : "", row_verdict(r), bold ? "**" : "");
		md_cell(sb, r->name);
		strbuf_adds(sb, "` | ");
		if (r->measured) {
			ratio_text(&r->mc, ratio, sizeof(ratio));
			strbuf_addf(sb, "%.4g %s | %.4g %s | %s | %.2g | ", r->mc.base_median,
				    r->unit, r->mc.new_median, r->unit, ratio, r->mc.p_adj);
		} else {
			strbuf_addf(sb, "%s | %s | | | ", r->base || r->base_error ?
				    r->base_status : "", r->cur || r->new_error ?
				    r->new_status : "");
		}
		if (r->why[0])
			md_cell(sb, r->why);
		strbuf_adds(sb, " |\n");
	}
}

void compare_junit_suite(const struct comparison *c, const char *name, struct strbuf *sb)
{
	struct strbuf note = STRBUF_INIT;
	char ratio[64];
	size_t skipped = c->count[VERDICT_INCONCLUSIVE] + c->only_base + c->only_new;

	strbuf_adds(sb, "<testsuite name=\"");
	strbuf_add_xml(sb, name);
	strbuf_addf(sb, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		    c->n, c->count[VERDICT_REGRESSED], skipped);
	for (size_t i = 0; i < c->n; i++) {
		const struct cmp_row *r = &c->rows[i];
		bool failed = r->presence == IN_BOTH && r->verdict == VERDICT_REGRESSED;
		bool skip = r->presence != IN_BOTH || r->verdict == VERDICT_INCONCLUSIVE;

		strbuf_addf(sb, "  <testcase classname=\"bpfgauge.compare.%s\" name=\"",
			    r->is_check ? "checks" : "metrics");
		strbuf_add_xml(sb, r->name);
		if (!failed && !skip) {
			strbuf_adds(sb, "\"/>\n");
			continue;
		}
		strbuf_addf(sb, "\">\n    <%s message=\"%s", failed ? "failure" : "skipped",
			    failed ? "regressed: " : "");
		if (r->presence != IN_BOTH) {
			strbuf_add_xml(sb, row_verdict(r));
		} else if (r->measured && failed) {
			ratio_text(&r->mc, ratio, sizeof(ratio));
			strbuf_addf(&note, "median %.4g -> %.4g %s, ratio %s, "
				    "p=%.2g after Holm, threshold %g%%", r->mc.base_median,
				    r->mc.new_median, r->unit, ratio, r->mc.p_adj,
				    r->threshold_pct);
			strbuf_add_xml(sb, note.failed ? "?" : note.buf);
		} else {
			strbuf_add_xml(sb, r->why);
		}
		strbuf_release(&note);
		strbuf_addf(sb, "\"/>\n  </testcase>\n");
	}
	strbuf_adds(sb, "</testsuite>\n");
}

void compare_junit(const struct comparison *c, struct strbuf *sb)
{
	strbuf_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	compare_junit_suite(c, "bpfgauge.compare", sb);
	strbuf_adds(sb, "</testsuites>\n");
}

int compare_write_file(const char *path, const struct strbuf *sb)
{
	char saved[PATH_MAX];

	if (sb->failed) {
		fprintf(stderr, "bpfgauge compare: cannot write '%s': out of memory\n", path);
		return -ENOMEM;
	}
	return file_save("bpfgauge compare", path, 0, sb->buf, sb->len, saved, sizeof(saved));
}
