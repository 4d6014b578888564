// SPDX-License-Identifier: GPL-2.0
/* A suite's [cost NAME] sections, as suite.c reads them (suite_cost.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/numbers.h"
#include "suite.h"
#include "suite_cost.h"
#include "suite_cpu.h"
#include "workloads/workload.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
#define MAX_BUDGET_PCT 1e6	/* as 'bpfgauge cost --budget' */
#define READY_TIMEOUT 30	/* as 'bpfgauge cost --ready-timeout' */

/* Says why in err: -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, sz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

struct suite_cost *suite_cost_find(struct suite *s, const char *name)
{
	for (size_t i = 0; i < s->nr_costs; i++)
		if (!strcmp(s->costs[i].name, name))
			return &s->costs[i];
	return NULL;
}

struct suite_cost *suite_cost_new(struct suite *s, const char *name, int line, char *err,
				  size_t sz)
{
	size_t len = strlen(name);
	struct suite_cost *c;

	if (!len || len > SUITE_COST_NAME_MAX || name[strspn(name, NAME_CHARS)]) {
		bad(err, sz, "[cost %s]: a cost section's name is 1 to %d letters, digits, '-' "
		    "or '_'", name, SUITE_COST_NAME_MAX);
		return NULL;
	}
	if (s->nr_costs == SUITE_MAX_COSTS) {
		bad(err, sz, "too many cost sections (at most %d)", SUITE_MAX_COSTS);
		return NULL;
	}
	c = &s->costs[s->nr_costs++];
	*c = (struct suite_cost){ .budget_pct = -1, .cpu = SUITE_CPU_UNSET,
				  .ready_timeout = READY_TIMEOUT, .line = line };
	snprintf(c->name, sizeof(c->name), "%s", name);
	return c;
}

static const char *split_error(int ret)
{
	switch (ret) {
	case WRDE_SYNTAX:
		return "a quote is not closed (in a suite file, a ';' after a blank starts a "
		       "comment), or another shell syntax error";
	case WRDE_BADCHAR:
		return "an unquoted |, &, ;, <, >, (, ), {, } or newline (no shell runs the "
		       "command: quote it)";
	case WRDE_CMDSUB:
		return "command substitution ($(...) or `...`) is refused";
	case WRDE_BADVAL:
		return "a variable that is not set (quote a literal '$' in '...')";
	case WRDE_NOSPACE:
		return "out of memory";
	default:
		return "wordexp() failed";
	}
}

static int command_key(struct suite_cost *c, const char *value, char *err, size_t sz)
{
	int ret;

	if (c->split)
		return bad(err, sz, "'command' given twice in [cost %s], or continued on an "
			   "indented line: a command is one line (a long script goes in a file)",
			   c->name);
	ret = wordexp(value, &c->words, WRDE_NOCMD | WRDE_UNDEF);
	if (ret == WRDE_NOSPACE)
		wordfree(&c->words);
	if (ret)
		return bad(err, sz, "cannot split the command of [cost %s]: %s", c->name,
			   split_error(ret));
	c->split = true;
	if (!c->words.we_wordc)
		return bad(err, sz, "the command of [cost %s] is empty", c->name);
	snprintf(c->command, sizeof(c->command), "%s", value);
	return 0;
}

/* Adds the workloads of a comma- or blank-separated list, each known and named once. */
static int workloads_key(struct suite_cost *c, const char *value, char *err, size_t sz)
{
	char *copy = strdup(value), *save = NULL;
	int ret = 0, given = 0;

	if (!copy)
		return bad(err, sz, "out of memory");
	for (char *tok = strtok_r(copy, ", \t", &save); tok && !ret;
	     tok = strtok_r(NULL, ", \t", &save)) {
		const struct workload *w = workload_find(tok);

		given++;
		if (!w)
			ret = bad(err, sz, "unknown workload '%s' in [cost %s] ('bpfgauge list' "
				  "names them)", tok, c->name);
		for (int i = 0; !ret && i < c->nr_workloads; i++)
			if (!strcmp(c->workloads[i], w->name))
				ret = bad(err, sz, "workload '%s' named twice in [cost %s]", tok,
					  c->name);
		if (!ret && c->nr_workloads == COST_MAX_WORKLOADS)
			ret = bad(err, sz, "too many workloads in [cost %s] (at most %d)",
				  c->name, COST_MAX_WORKLOADS);
		if (!ret)
			c->workloads[c->nr_workloads++] = w->name;
	}
	free(copy);
	if (!ret && !given)
		ret = bad(err, sz, "workloads of [cost %s] names none", c->name);
	return ret;
}

/* A slowdown in percent, "5" or "5%": above 0, at most MAX_BUDGET_PCT. */
static int budget_key(struct suite_cost *c, const char *value, char *err, size_t sz)
{
	const char *unit;
	double v;

	if (parse_double_unit(value, &v, &unit) || (*unit && strcmp(unit, "%")) || !(v > 0) ||
	    v > MAX_BUDGET_PCT)
		return bad(err, sz, "budget must be a slowdown in percent above 0 and up to %.0f, "
			   "like 5%%, not '%s'", MAX_BUDGET_PCT, value);
	c->budget_pct = v;
	return 0;
}

int suite_cost_key(struct suite_cost *c, const char *key, const char *value, char *err,
		   size_t sz)
{
	if (!strcmp(key, "command"))
		return command_key(c, value, err, sz);
	if (!strcmp(key, "workloads"))
		return workloads_key(c, value, err, sz);
	if (!strcmp(key, "budget"))
		return budget_key(c, value, err, sz);
	if (!strcmp(key, "ready_after") || !strcmp(key, "ready_timeout")) {
		double *v = !strcmp(key, "ready_after") ? &c->ready_after : &c->ready_timeout;

		return parse_seconds(value, v) ?
		       bad(err, sz, "%s must be a number of seconds above 0, not '%s'", key,
			   value) : 0;
	}
	return bad(err, sz, "unknown key '%s' in [cost %s] (command, workloads, budget, reps, "
		   "seconds, cpu, ready_after, ready_timeout)", key, c->name);
}

int suite_cost_check(struct suite_cost *c, char *err, size_t sz)
{
	if (!c->split)
		return bad(err, sz, "[cost %s] has no command (command = TRACER ARGS...)",
			   c->name);
	if (c->reps > COST_MAX_REPS)
		return bad(err, sz, "[cost %s] runs at most %d repetitions (as 'bpfgauge cost'), "
			   "not %d", c->name, COST_MAX_REPS, c->reps);
	if (!c->nr_workloads)
		return workloads_key(c, COST_DEFAULT_WORKLOADS, err, sz);
	return 0;
}

void suite_cost_release(struct suite_cost *c)
{
	if (c->split)
		wordfree(&c->words);
	c->split = false;
}
