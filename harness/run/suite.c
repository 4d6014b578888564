// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "lib/errno_name.h"
#include "lib/numbers.h"
#include "lib/utf8.h"
#include "suite.h"
#include "suite_cpu.h"
#include "suite_text.h"
#include "workloads/workload.h"

#define DEFAULT_REPS 7
#define DEFAULT_SECONDS 0.5
#define DEFAULT_THRESHOLD 5.0

struct parse {
	struct suite *s;
	char msg[256];		/* the first error, without its line */
	struct suite_bench *bench;	/* the [bench NAME] being read */
	int suite_reps, suite_cpu;
	double suite_seconds;
	int guest_cpus;		/* a guest's CPUs to check a cpu against; 0: this machine's */
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->msg[0]) {
		va_start(ap, fmt);
		vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* Calls fn for each item of a comma- or blank-separated list; stops at the first failure. */
static int for_each_item(struct parse *p, const char *value,
			 int (*fn)(struct parse *p, const char *item, void *arg), void *arg)
{
	char *copy = strdup(value), *save = NULL;
	int ok = 1;

	if (!copy)
		return fail(p, "out of memory");
	for (char *tok = strtok_r(copy, ", \t", &save); tok && ok;
	     tok = strtok_r(NULL, ", \t", &save))
		ok = fn(p, tok, arg);
	free(copy);
	return ok;
}

struct checks_key {
	const char *key;	/* "run" or "require" */
	bool *want;
};

/* Marks a named check in 'want'; "all" and "none" for run. */
static int check_item(struct parse *p, const char *item, void *arg)
{
	const struct checks_key *k = arg;
	const struct check *c = check_find(item);

	if (!strcmp(k->key, "run") && !strcmp(item, "all"))
		p->s->run_all_checks = true;
	else if (!strcmp(k->key, "run") && !strcmp(item, "none"))
		p->s->run_all_checks = false;
	else if (!c)
		return fail(p, "unknown check '%s' in %s ('bpfgauge list' names them)", item,
			    k->key);
	else
		k->want[check_index(c)] = true;
	return 1;
}

static int variant_item(struct parse *p, const char *item, void *arg)
{
	struct bench_params *bp = &p->bench->params;
	bool known = false;

	(void)arg;
	for (const char *const *v = p->bench->bench->variants; v && *v && !known; v++)
		known = !strcmp(*v, item);
	if (!known)
		return fail(p, "'%s' has no variant '%s'", p->bench->bench->name, item);
	if (bp->nr_variants == BENCH_MAX_VARIANTS)
		return fail(p, "too many variants (at most %d)", BENCH_MAX_VARIANTS);
	if (!(bp->variants[bp->nr_variants++] = strdup(item)))
		return fail(p, "out of memory");
	return 1;
}

/*
 * How benchmarks are measured (reps, seconds, cpu), in [suite] and [bench NAME] alike: 1, or 0
 * with the error in p; -1 for another key.
 */
static int measure_key(struct parse *p, const char *name, const char *value, int *reps,
		       double *seconds, int *cpu)
{
	if (!strcmp(name, "reps"))
		return parse_int(value, 1, SUITE_MAX_REPS, reps) ?
		       fail(p, "reps must be a whole number from 1 to %d, not '%s'",
			    SUITE_MAX_REPS, value) : 1;
	if (!strcmp(name, "seconds"))
		return parse_seconds(value, seconds) ?
		       fail(p, "seconds must be a number above 0, not '%s'", value) : 1;
	if (!strcmp(name, "cpu")) {
		char why[160];

		if (suite_parse_cpu(value, cpu))
			return fail(p, "cpu must be a CPU number, auto or -1, not '%s'", value);
		if (p->guest_cpus && *cpu >= p->guest_cpus)
			return fail(p, "cpu = %s: the guest has %d CPUs (vmtest --cpus)", value,
				    p->guest_cpus);
		return !p->guest_cpus && suite_cpu_check(*cpu, why, sizeof(why)) ?
		       fail(p, "cpu = %s: %s", value, why) : 1;
	}
	return -1;
}

static int on_suite_key(struct parse *p, const char *name, const char *value)
{
	struct suite *s = p->s;
	int ret = measure_key(p, name, value, &p->suite_reps, &p->suite_seconds, &p->suite_cpu);

	if (ret >= 0)
		return ret;
	if (!strcmp(name, "description"))
		snprintf(s->description, sizeof(s->description), "%s", value);
	else if (!strcmp(name, "threshold"))
		return parse_pct(value, &s->threshold_pct) ?
		       fail(p, "threshold must be a percentage like 5%%, not '%s'", value) : 1;
	else
		return fail(p, "unknown key '%s' in [suite] (description, reps, seconds, cpu, "
			    "threshold)", name);
	return 1;
}

/*
 * inject_extra_pct needs a benchmark that passes it on and, among the workloads its variants
 * run (all of them when none are named), one that takes it. Checked at the key and again at
 * 'variants', whichever comes last.
 */
static int check_inject(struct parse *p)
{
	const struct benchmark *b = p->bench->bench;
	const struct bench_params *bp = &p->bench->params;
	char ran[256] = "";
	size_t len = 0;

	if (!p->bench->inject_set || !bp->inject_extra_pct)
		return 1;
	if (!b->workload_of)
		return fail(p, "'%s' does not pass inject_extra_pct to its workloads "
			    "(attach-overhead and workload-throughput do)", b->name);
	for (const char *const *v = b->variants; v && *v; v++) {
		const char *name = bench_wants(bp, *v) ? b->workload_of(*v) : NULL;
		const struct workload *w = name ? workload_find(name) : NULL;
		char quoted[64];

		if (w && w->takes_extra_pct)
			return 1;
		snprintf(quoted, sizeof(quoted), "'%s'", name ? name : "");
		if (name && !strstr(ran, quoted) && len < sizeof(ran))
			len += snprintf(ran + len, sizeof(ran) - len, "%s%s", len ? ", " : "",
					quoted);
	}
	return fail(p, "inject_extra_pct: no workload of [bench %s] takes it (its variants run "
		    "%s); only 'syscall' does", b->name, ran[0] ? ran : "none");
}

static int on_bench_key(struct parse *p, const char *name, const char *value)
{
	struct bench_params *bp = &p->bench->params;
	int ret;

	if (!strcmp(name, "variants"))
		return for_each_item(p, value, variant_item, NULL) && check_inject(p);
	if (!strcmp(name, "inject_extra_pct")) {
		if (parse_int(value, 0, 100, &bp->inject_extra_pct))
			return fail(p, "inject_extra_pct must be a whole number from 0 to 100, "
				    "not '%s'", value);
		p->bench->inject_set = true;
		return check_inject(p);
	}
	if (!strcmp(name, "inject_error")) {
		int err = errno_from_name(value);

		if (!err || err == EINTR)
			return fail(p, "inject_error must name an errno such as EIO or ENOMEM "
				    "(not EINTR: that is an interrupted run), not '%s'", value);
		p->bench->inject_error = err;
		return 1;
	}
	ret = measure_key(p, name, value, &bp->reps, &bp->seconds, &bp->cpu);
	if (ret >= 0)
		return ret;
	return fail(p, "unknown key '%s' in [bench %s] (variants, reps, seconds, cpu, "
		    "inject_extra_pct, inject_error)", name,
		    p->bench->bench->name);
}

static struct suite_bench *find_bench(struct suite *s, const char *name)
{
	for (size_t i = 0; i < s->nr_benches; i++)
		if (!strcmp(s->benches[i].bench->name, name))
			return &s->benches[i];
	return NULL;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;

	if (p->msg[0])
		return 0;
	if (!strcmp(section, "suite"))
		return on_suite_key(p, name, value);
	if (!strcmp(section, "checks")) {
		if (!strcmp(name, "run") || !strcmp(name, "require")) {
			/* Called again for each continuation line (keys given twice were refused
			 * by suite_text_check()). */
			struct checks_key k = { name, !strcmp(name, "run") ? p->s->run_check :
						p->s->require_check };

			return for_each_item(p, value, check_item, &k);
		}
		return fail(p, "unknown key '%s' in [checks] (run, require)", name);
	}
	if (!strcmp(section, "thresholds")) {
		struct suite_threshold *t;

		if (p->s->nr_thresholds == SUITE_MAX_THRESHOLDS)
			return fail(p, "too many thresholds (at most %d)", SUITE_MAX_THRESHOLDS);
		t = &p->s->thresholds[p->s->nr_thresholds];
		if (strlen(name) >= sizeof(t->glob))
			return fail(p, "a metric pattern in [thresholds] is at most %zu bytes long",
				    sizeof(t->glob) - 1);
		if (parse_pct(value, &t->pct))
			return fail(p, "threshold for '%s' must be a percentage like 5%%, not '%s'",
				    name, value);
		snprintf(t->glob, sizeof(t->glob), "%s", name);
		p->s->nr_thresholds++;
		return 1;
	}
	if (!strncmp(section, "bench ", 6)) {
		p->bench = find_bench(p->s, section + 6);
		return p->bench ? on_bench_key(p, name, value) : 0;
	}
	if (!strncmp(section, "cost ", 5)) {
		struct suite_cost *c = suite_cost_find(p->s, section + 5);
		int ret = c ? measure_key(p, name, value, &c->reps, &c->seconds, &c->cpu) : 0;

		return ret >= 0 ? ret : !suite_cost_key(c, name, value, p->msg, sizeof(p->msg));
	}
	return 0;	/* reported by the section scan */
}

/* A section header (suite_text_check() calls it in file order): benchmarks are made here. */
static int on_section(void *arg, const char *name, int line, char *err, size_t sz)
{
	struct parse *p = arg;

	if (!strcmp(name, "suite") || !strcmp(name, "checks") || !strcmp(name, "thresholds"))
		return 0;
	if (!strncmp(name, "cost ", 5))
		return !suite_cost_new(p->s, name + 5, line, err, sz);
	if (strncmp(name, "bench ", 6)) {
		snprintf(err, sz, "unknown section [%s] (suite, checks, bench NAME, cost NAME, "
			 "thresholds)", name);
		return 1;
	}
	if (!benchmark_find(name + 6)) {
		snprintf(err, sz, "unknown benchmark '%s'", name + 6);
		return 1;
	}
	if (p->s->nr_benches == SUITE_MAX_BENCHES) {
		snprintf(err, sz, "too many benchmarks (at most %d)", SUITE_MAX_BENCHES);
		return 1;
	}
	p->s->benches[p->s->nr_benches++] = (struct suite_bench){
		.bench = benchmark_find(name + 6),
		.params = { .cpu = SUITE_CPU_UNSET },
		.line = line,
	};
	return 0;
}

/* What a section did not say, [suite]'s (cpu 'auto' resolved). */
static void measure_defaults(const struct parse *p, int *reps, double *seconds, int *cpu)
{
	if (!*reps)
		*reps = p->suite_reps;
	if (!(*seconds > 0))
		*seconds = p->suite_seconds;
	if (*cpu == SUITE_CPU_UNSET)
		*cpu = p->suite_cpu;
	*cpu = suite_resolve_cpu(*cpu);
}

/* Whether the suite runs anything at all: a check, a benchmark or a cost section. */
static bool runs_something(const struct suite *s)
{
	for (size_t i = 0; i < check_registry_len; i++)
		if (s->run_check[i])
			return true;
	return s->nr_benches || s->nr_costs;
}

int suite_load_guest(const char *path, struct suite *s, int guest_cpus, char *err,
		     size_t errsz)
{
	struct parse p = { .s = s, .suite_reps = DEFAULT_REPS, .suite_seconds = DEFAULT_SECONDS,
			   .suite_cpu = SUITE_CPU_AUTO, .guest_cpus = guest_cpus };
	const char *base;
	char *text = NULL;
	size_t len;
	int line, ret;

	memset(s, 0, sizeof(*s));
	s->threshold_pct = DEFAULT_THRESHOLD;
	snprintf(s->path, sizeof(s->path), "%s", path);
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	len = strcspn(base, ".");
	snprintf(s->name, sizeof(s->name), "%.*s",
		 (int)utf8_cut(base, len < sizeof(s->name) ? len : sizeof(s->name) - 1), base);
	s->run_check = calloc(check_registry_len, sizeof(bool));
	s->require_check = calloc(check_registry_len, sizeof(bool));
	if (!s->run_check || !s->require_check) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	ret = suite_text_read(path, &text, &len, err, errsz);
	if (ret)
		return ret;
	ret = -EINVAL;
	line = suite_text_check(text, len, on_section, &p, p.msg, sizeof(p.msg));
	if (!line)
		line = ini_parse_string(text, on_key, &p);
	if (line) {
		snprintf(err, errsz, "%s:%d: %s", path, line,
			 p.msg[0] ? p.msg : "syntax error (expected '[section]' or 'key = value')");
		goto cleanup;
	}
	/* [checks] run names checks; require'd ones run too. */
	for (size_t i = 0; i < check_registry_len; i++)
		s->run_check[i] |= s->run_all_checks || s->require_check[i];
	for (struct suite_bench *b = s->benches; b < s->benches + s->nr_benches; b++)
		measure_defaults(&p, &b->params.reps, &b->params.seconds, &b->params.cpu);
	for (struct suite_cost *c = s->costs; c < s->costs + s->nr_costs; c++) {
		measure_defaults(&p, &c->reps, &c->seconds, &c->cpu);
		if (suite_cost_check(c, p.msg, sizeof(p.msg))) {
			snprintf(err, errsz, "%s:%d: %s", path, c->line, p.msg);
			goto cleanup;
		}
	}
	if (!runs_something(s)) {
		snprintf(err, errsz, "'%s': a suite must run at least one check, benchmark or cost "
			 "section ([checks] run = ..., [bench NAME], [cost NAME])", path);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(text);
	return ret;
}

int suite_load(const char *path, struct suite *s, char *err, size_t errsz)
{
	return suite_load_guest(path, s, 0, err, errsz);
}

void suite_release(struct suite *s)
{
	for (size_t i = 0; i < s->nr_benches; i++)
		for (size_t v = 0; v < s->benches[i].params.nr_variants; v++)
			free((char *)s->benches[i].params.variants[v]);
	for (size_t i = 0; i < s->nr_costs; i++)
		suite_cost_release(&s->costs[i]);
	free(s->run_check);
	free(s->require_check);
	memset(s, 0, sizeof(*s));
}

double suite_threshold(const struct suite *s, const char *metric)
{
	for (size_t i = 0; i < s->nr_thresholds; i++)
		if (!fnmatch(s->thresholds[i].glob, metric, 0))
			return s->thresholds[i].pct;
	return s->threshold_pct;
}
