// SPDX-License-Identifier: GPL-2.0
/* bpfgauge compare R1 R2 R3...: one column per result, each compared with the first. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_since.h"
#include "compare.h"
#include "lib/stats.h"
#include "result/result_json.h"

/* The marks after a cell's ratio or status: the verdict against the first column. */
static const char mark[4] = {
	[VERDICT_UNCHANGED] = '=', [VERDICT_IMPROVED] = '+', [VERDICT_REGRESSED] = '!',
	[VERDICT_INCONCLUSIVE] = '?',
};

struct matrix {
	struct loaded_result *r;
	size_t n;
	struct comparison *pair;	/* pair[j]: r[0] against r[j]; pair[0] unused */
	struct { const char *name; bool is_check; } *rows;
	size_t nr_rows;
};

static const json_t *entry(const struct loaded_result *r, const char *name, bool is_check)
{
	return result_named(json_object_get(r->doc, is_check ? "checks" : "metrics"), name);
}

static const struct cmp_row *pair_row(const struct comparison *c, const char *name,
				      bool is_check)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->rows[i].is_check == is_check && !strcmp(c->rows[i].name, name))
			return &c->rows[i];
	return NULL;
}

/* Row names: checks, then metrics, in the order the results first show them. */
static int collect_rows(struct matrix *m)
{
	size_t cap = 0;

	for (size_t j = 0; j < m->n; j++)
		cap += json_array_size(json_object_get(m->r[j].doc, "checks")) +
		       json_array_size(json_object_get(m->r[j].doc, "metrics"));
	m->rows = calloc(cap ? cap : 1, sizeof(*m->rows));
	if (!m->rows)
		return -ENOMEM;
	for (int k = 0; k < 2; k++) {
		for (size_t j = 0; j < m->n; j++) {
			const json_t *e;
			size_t i;

			json_array_foreach(json_object_get(m->r[j].doc, k ? "metrics" : "checks"),
					   i, e) {
				const char *name = json_string_value(json_object_get(e, "name"));
				bool seen = false;

				for (size_t q = 0; q < m->nr_rows && !seen; q++)
					seen = m->rows[q].is_check == !k &&
					       !strcmp(m->rows[q].name, name);
				if (!seen) {
					m->rows[m->nr_rows].name = name;
					m->rows[m->nr_rows++].is_check = !k;
				}
			}
		}
	}
	return 0;
}

/* One cell: a check's status, a metric's median (or status; "broken" when its benchmark broke
 * in that result), then against the first column the ratio and the verdict mark. verdict is
 * set to the mark's verdict, or -1. */
static void cell_text(const struct matrix *m, size_t row, size_t col, char *buf, size_t sz,
		      int *verdict)
{
	const char *name = m->rows[row].name;
	bool is_check = m->rows[row].is_check;
	const json_t *e = entry(&m->r[col], name, is_check), *samples;
	const struct cmp_row *pr = col ? pair_row(&m->pair[col], name, is_check) : NULL;
	const char *status = json_string_value(json_object_get(e, "status"));
	const char *error = is_check ? NULL : result_bench_error(&m->r[col], name);
	int off;

	*verdict = -1;
	if (!e && !error) {
		snprintf(buf, sz, "-");
		return;
	}
	samples = json_object_get(e, "samples");
	if (error) {
		off = snprintf(buf, sz, "broken");
	} else if (is_check || strcmp(status, "ok") || !json_array_size(samples)) {
		off = snprintf(buf, sz, "%s", is_check || json_array_size(samples) ? status :
			       strcmp(status, "ok") ? status : "no samples");
	} else {
		size_t n = json_array_size(samples);
		double *v = malloc(n * sizeof(*v));

		for (size_t i = 0; v && i < n; i++)
			v[i] = json_number_value(json_array_get(samples, i));
		off = snprintf(buf, sz, "%.4g", v ? stats_quantile(v, n, 0.5) : NAN);
		free(v);
		if (pr && pr->measured && !isnan(pr->mc.ratio))
			off += snprintf(buf + off, sz - off, pr->mc.ratio >= 0.01 &&
					pr->mc.ratio < 1000 ? " x%.3f" : " x%.3g", pr->mc.ratio);
	}
	if (pr && pr->presence == IN_BOTH && off > 0 && (size_t)off < sz) {
		snprintf(buf + off, sz - off, " %c", mark[pr->verdict]);
		*verdict = pr->verdict;
	}
}

/* A check's "6.6 / 6.12" (arrived / passes from, '*' when before its arrival); "" else. */
static void since_text(const struct matrix *m, size_t row, char *buf, size_t sz)
{
	struct check_since s;

	buf[0] = '\0';
	if (!m->rows[row].is_check)
		return;
	check_since(m->r, m->n, m->rows[row].name, &s);
	if (s.arrived[0] || s.passes_from[0])
		snprintf(buf, sz, "%s / %s%s", s.arrived[0] ? s.arrived : "-",
			 s.passes_from[0] ? s.passes_from : "-", s.early ? " *" : "");
}

/* The benchmarks that broke in column j: "R2: ERROR" lines, or "; "-separated. */
static void broken_text(const struct matrix *m, size_t j, const char *sep, struct strbuf *sb)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(m->r[j].doc, "benchmarks"), i, e) {
		const char *error = json_string_value(json_object_get(e, "error"));

		if (error)
			strbuf_addf(sb, "%sR%zu: %s", sb->len ? sep : "", j + 1, error);
	}
}

static void print_table(const struct matrix *m, FILE *out, bool colour)
{
	static const char *const colours[4] = { "", "\033[32m", "\033[31m", "\033[33m" };
	/* A column's head: "R%zu " and the whole label. */
	char buf[sizeof("R18446744073709551615 ") + sizeof(m->r->label)], since[48];
	bool has_since = false;
	int name_w = 6, *col_w = calloc(m->n, sizeof(int)), v;

	if (!col_w)
		return;
	for (size_t j = 0; j < m->n; j++) {
		fprintf(out, "R%zu  %s  %s  %s\n", j + 1, m->r[j].label, result_time(&m->r[j]),
			m->r[j].path);
		col_w[j] = strlen(m->r[j].label) + 3;
		for (size_t i = 0; i < m->nr_rows; i++) {
			cell_text(m, i, j, buf, sizeof(buf), &v);
			col_w[j] = (int)strlen(buf) > col_w[j] ? (int)strlen(buf) : col_w[j];
		}
	}
	for (size_t i = 0; i < m->nr_rows; i++)
		name_w = (int)strlen(m->rows[i].name) > name_w ? (int)strlen(m->rows[i].name) :
			 name_w;
	for (size_t j = 1; j < m->n; j++) {
		struct strbuf sb = STRBUF_INIT;

		for (size_t k = 0; k < m->pair[j].nr_env; k++) {
			strbuf_addf(&sb, "%s%s: ", k ? "; " : "", m->pair[j].env[k].key);
			env_change_text(&m->pair[j].env[k], &sb);
		}
		if (sb.len)
			fprintf(out, "environment R%zu vs R1: %s\n", j + 1,
				sb.failed ? "?" : sb.buf);
		strbuf_release(&sb);
	}
	for (size_t i = 0; i < m->nr_rows && !has_since; i++) {
		since_text(m, i, since, sizeof(since));
		has_since = since[0];
	}
	fprintf(out, "\n%s%-*s", colour ? "\033[1m" : "", name_w, "");
	for (size_t j = 0; j < m->n; j++) {
		snprintf(buf, sizeof(buf), "R%zu %s", j + 1, m->r[j].label);
		fprintf(out, "  %-*s", j + 1 < m->n || has_since ? col_w[j] : 0, buf);
	}
	fprintf(out, "%s%s\n", has_since ? "  arrived / passes from" : "",
		colour ? "\033[0m" : "");
	for (size_t i = 0; i < m->nr_rows; i++) {
		if (!i || m->rows[i].is_check != m->rows[i - 1].is_check)
			fprintf(out, "%s\n", m->rows[i].is_check ? "checks" : "metrics");
		fprintf(out, "%-*s", name_w, m->rows[i].name);
		since_text(m, i, since, sizeof(since));
		for (size_t j = 0; j < m->n; j++) {
			cell_text(m, i, j, buf, sizeof(buf), &v);
			fprintf(out, "  %s%-*s%s", colour && v > 0 ? colours[v] : "",
				j + 1 < m->n || since[0] ? col_w[j] : 0, buf,
				colour && v > 0 ? "\033[0m" : "");
		}
		if (since[0])
			fprintf(out, "  %s", since);
		fputc('\n', out);
	}
	for (size_t j = 1; j < m->n; j++)
		for (size_t w = 0; w < m->pair[j].nr_warnings; w++)
			fprintf(out, "\nwarning: R%zu vs R1: %s\n", j + 1, m->pair[j].warnings[w]);
	{
		struct strbuf sb = STRBUF_INIT;

		for (size_t j = 0; j < m->n; j++)
			broken_text(m, j, "\n  ", &sb);
		if (sb.len)
			fprintf(out, "\nbenchmarks that broke:\n  %s\n", sb.failed ? "?" : sb.buf);
		strbuf_release(&sb);
	}
	fprintf(out, "\nmetrics: median, xRATIO to R1; against R1: ! regressed, + improved, "
		"= unchanged, ? inconclusive; - absent; broken: its benchmark broke\n");
	if (has_since)
		fprintf(out, "checks: arrived: the upstream version of the feature; passes from: "
			"the oldest kernel here where it passed (* older than its arrival: a "
			"backport, or a wrong verdict)\n");
	for (size_t j = 1; j < m->n; j++) {
		const size_t *c = m->pair[j].count;

		fprintf(out, "R%zu vs R1: %zu regressed, %zu improved, %zu unchanged, %zu "
			"inconclusive\n", j + 1, c[VERDICT_REGRESSED], c[VERDICT_IMPROVED],
			c[VERDICT_UNCHANGED], c[VERDICT_INCONCLUSIVE]);
	}
	free(col_w);
}

static void markdown(const struct matrix *m, struct strbuf *sb)
{
	char buf[128];
	int v;

	strbuf_adds(sb, "| check / metric |");
	for (size_t j = 0; j < m->n; j++)
		strbuf_addf(sb, " R%zu %s |", j + 1, m->r[j].label);
	strbuf_adds(sb, " arrived / passes from |\n|---|");
	for (size_t j = 0; j <= m->n; j++)
		strbuf_adds(sb, "---|");
	strbuf_adds(sb, "\n");
	for (size_t i = 0; i < m->nr_rows; i++) {
		strbuf_addf(sb, "| `%s` |", m->rows[i].name);
		for (size_t j = 0; j < m->n; j++) {
			cell_text(m, i, j, buf, sizeof(buf), &v);
			strbuf_addf(sb, " %s%s%s |", v == VERDICT_REGRESSED ? "**" : "", buf,
				    v == VERDICT_REGRESSED ? "**" : "");
		}
		since_text(m, i, buf, sizeof(buf));
		strbuf_addf(sb, " %s |\n", buf);
	}
	strbuf_adds(sb, "\nmetrics: median, xRATIO to the first column; ! regressed, + improved, "
		    "= unchanged, ? inconclusive; - absent; broken: its benchmark broke\n");
	for (size_t j = 0; j < m->n; j++) {
		struct strbuf b = STRBUF_INIT;

		broken_text(m, j, "; ", &b);
		if (b.len)
			strbuf_addf(sb, "\nBenchmarks that broke in %s\n", b.failed ? "?" : b.buf);
		strbuf_release(&b);
	}
	for (size_t j = 1; j < m->n; j++) {
		for (size_t k = 0; k < m->pair[j].nr_env; k++) {
			strbuf_addf(sb, "%s`%s`: ", k ? "; " : "\nEnvironment R%zu vs R1: ",
				    m->pair[j].env[k].key);
			env_change_text(&m->pair[j].env[k], sb);
		}
		if (m->pair[j].nr_env)
			strbuf_adds(sb, "\n");
		for (size_t w = 0; w < m->pair[j].nr_warnings; w++)
			strbuf_addf(sb, "\n> **warning:** R%zu vs R1: %s\n", j + 1,
				    m->pair[j].warnings[w]);
	}
}

static json_t *to_json(const struct matrix *m)
{
	json_t *cols = json_array(), *rows = json_array(), *pairs = json_array();
	char buf[128];
	int v;

	for (size_t j = 0; j < m->n; j++) {
		json_t *errors = json_array(), *e;
		size_t i;

		json_array_foreach(json_object_get(m->r[j].doc, "benchmarks"), i, e)
			if (json_is_string(json_object_get(e, "error")))
				json_array_append(errors, json_object_get(e, "error"));
		json_array_append_new(cols, json_pack("{s:s s:s s:s s:o}", "path", m->r[j].path,
						      "label", m->r[j].label,
						      "time", result_time(&m->r[j]),
						      "broken", errors));
	}
	for (size_t i = 0; i < m->nr_rows; i++) {
		json_t *cells = json_array();

		for (size_t j = 0; j < m->n; j++) {
			cell_text(m, i, j, buf, sizeof(buf), &v);
			json_array_append_new(cells, json_pack("{s:s s:s?}", "text", buf, "verdict",
							       v >= 0 ? verdict_name(v) : NULL));
		}
		json_array_append_new(rows, json_pack("{s:s s:s s:o}", "name", m->rows[i].name,
						      "type", m->rows[i].is_check ? "check" :
						      "metric", "cells", cells));
		if (m->rows[i].is_check) {
			struct check_since s;
			json_t *row = json_array_get(rows, json_array_size(rows) - 1);

			check_since(m->r, m->n, m->rows[i].name, &s);
			json_object_set_new(row, "arrived_in", s.arrived[0] ?
					    json_string(s.arrived) : json_null());
			json_object_set_new(row, "passes_from", s.passes_from[0] ?
					    json_string(s.passes_from) : json_null());
			json_object_set_new(row, "passes_before_arrival", json_boolean(s.early));
		}
	}
	for (size_t j = 1; j < m->n; j++)
		json_array_append_new(pairs, compare_to_json(&m->pair[j]));
	return json_pack("{s:s s:s s:o s:o s:o}", "schema_version", "1.2", "kind",
			 "bpfgauge-compare-matrix", "columns", cols, "rows", rows,
			 "comparisons", pairs);
}

int compare_matrix(struct loaded_result *r, size_t n, const struct compare_settings *set,
		   enum compare_format fmt, const char *junit)
{
	struct matrix m = { .r = r, .n = n };
	struct strbuf sb = STRBUF_INIT;
	int ret = 2, err = 0;
	json_t *doc;

	m.pair = calloc(n, sizeof(*m.pair));
	if (!m.pair || collect_rows(&m))
		goto cleanup;
	for (size_t j = 1; j < n; j++) {
		err = compare_pair(&r[0], &r[j], set, &m.pair[j]);
		if (err) {
			fprintf(stderr, "bpfgauge compare: %s%s' and '%s'%s\n",
				err == -ENODATA ? "nothing to compare: '" : "cannot compare '",
				r[0].path, r[j].path, err == -ENODATA ?
				" have no check or metric in common" : "");
			goto cleanup;
		}
	}
	if (fmt == FORMAT_JSON) {
		doc = to_json(&m);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			   JSON_REAL_PRECISION(12));
		fputc('\n', stdout);
		json_decref(doc);
	} else if (fmt == FORMAT_MARKDOWN) {
		markdown(&m, &sb);
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	} else {
		print_table(&m, stdout, isatty(STDOUT_FILENO) &&
			    !(getenv("NO_COLOR") && getenv("NO_COLOR")[0]));
	}
	ret = 0;
	for (size_t j = 1; j < n; j++)
		ret = comparison_regressed(&m.pair[j]) ? 1 : ret;
	if (junit) {
		strbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
		for (size_t j = 1; j < n; j++) {
			char name[320];

			snprintf(name, sizeof(name), "bpfgauge.compare.R%zu-vs-R1 %s", j + 1,
				 r[j].label);
			compare_junit_suite(&m.pair[j], name, &sb);
		}
		strbuf_adds(&sb, "</testsuites>\n");
		if (compare_write_file(junit, &sb))
			ret = 2;
		strbuf_release(&sb);
	}
cleanup:
	for (size_t j = 1; m.pair && j < n; j++)
		comparison_release(&m.pair[j]);
	free(m.pair);
	free(m.rows);
	return ret;
}
