// SPDX-License-Identifier: GPL-2.0
/* bpfgauge baseline save NAME [RESULT] | list: named results to compare new runs against. */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "lib/fileio.h"
#include "result/result.h"
#include "result/result_merge.h"

static const char baseline_usage[] =
	"usage: bpfgauge baseline save NAME [RESULT...]\n"
	"       bpfgauge baseline list\n"
	"\n"
	"Keep a result of 'bpfgauge run' as a named baseline, to compare new runs against:\n"
	"'bpfgauge compare NAME NEW.json'. Baselines are copies in " BASELINE_DIR "/NAME.json,\n"
	"meant to be committed; one is never overwritten.\n"
	"\n"
	"  save NAME [RESULT...]   copy RESULT (default: the newest result in results/) to\n"
	"                       " BASELINE_DIR "/NAME.json, after checking it is a valid result.\n"
	"                       With several RESULTs (runs of one suite in one environment:\n"
	"                       kernel, CPU, hypervisor), one baseline of all their runs:\n"
	"                       'bpfgauge compare' then knows how much runs differ here and\n"
	"                       gives verdicts that hold across runs (docs/compare.md)\n"
	"                       NAME: letters, digits, '.', '_', '-', '+', not starting with '.'\n"
	"                       or '-'\n"
	"  list                 the baselines: name, suite, kernel, host, time, metrics\n"
	"\n"
	"examples:\n"
	"  bpfgauge run quick && bpfgauge baseline save main\n"
	"  bpfgauge baseline save kernel-6.1 results/quick-20260101T000000Z-host.json\n"
	"  bpfgauge baseline save main r1.json r2.json r3.json r4.json r5.json\n"
	"  bpfgauge run quick --runs 5 -o base.json && bpfgauge baseline save main base.json\n"
	"  bpfgauge compare kernel-6.1 results/quick-20260102T000000Z-host.json\n"
	"\n"
	"Exit codes: 0 done; 2 bad usage, a bad name, an existing baseline, a result that is\n"
	"missing or invalid.\n";

int baseline_name_check(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > 100 || name[0] == '.' || name[0] == '-')
		return -EINVAL;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-+", *p))
			return -EINVAL;
	return 0;
}

/* Several results as one baseline of all their runs (result/result_merge.h). */
static int save_merged(const char *name, const char *dst, char *const *from, int n)
{
	struct loaded_result *r = calloc(n, sizeof(*r));
	json_t **docs = calloc(n, sizeof(*docs)), *doc = NULL;
	char err[768];
	int ret = 2, i, werr;

	if (!r || !docs) {
		fprintf(stderr, "bpfgauge baseline: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (result_load(from[i], &r[i], err, sizeof(err))) {
			fprintf(stderr, "bpfgauge baseline: %s\n", err);
			goto out;
		}
		docs[i] = r[i].doc;
	}
	doc = result_merge(docs, n, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "bpfgauge baseline: %s\n", err);
		goto out;
	}
	mkdir("results", 0755);
	mkdir(BASELINE_DIR, 0755);
	werr = result_write(doc, dst);
	if (werr == -EEXIST)
		fprintf(stderr, "bpfgauge baseline: baseline '%s' exists (%s): pick another "
			"name or remove the file\n", name, dst);
	else if (werr)
		fprintf(stderr, "bpfgauge baseline: cannot write '%s': %s\n", dst,
			strerror(-werr));
	else
		printf("saved %d results (%zu runs) as baseline '%s' (%s)\n", n,
		       result_runs(doc), name, dst);
	ret = werr ? 2 : 0;
out:
	for (i = 0; r && i < n; i++)
		result_unload(&r[i]);
	json_decref(doc);
	free(docs);
	free(r);
	return ret;
}

static int save(const char *name, char *const *srcs, int nsrc)
{
	const char *from = nsrc ? srcs[0] : NULL;
	struct loaded_result r = { 0 };
	char src[512], dst[640], err[768];
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0;
	int ret;

	if (baseline_name_check(name)) {
		fprintf(stderr, "bpfgauge baseline: '%s' is not a valid baseline name: use "
			"letters, digits, '.', '_', '-' and '+' (no '/', not empty, not starting "
			"with '.' or '-')\n", name);
		return 2;
	}
	snprintf(dst, sizeof(dst), "%s/%s.json", BASELINE_DIR, name);
	if (nsrc > 1) {
		if (!access(dst, F_OK)) {
			fprintf(stderr, "bpfgauge baseline: baseline '%s' exists (%s): pick "
				"another name or remove the file\n", name, dst);
			return 2;
		}
		return save_merged(name, dst, srcs, nsrc);
	}
	if (from) {
		snprintf(src, sizeof(src), "%s", from);
	} else if (result_newest("results", src, sizeof(src))) {
		fprintf(stderr, "bpfgauge baseline: no result in 'results/' to save: run "
			"'bpfgauge run SUITE' first, or name the RESULT file\n");
		return 2;
	}
	if (result_load(src, &r, err, sizeof(err))) {
		fprintf(stderr, "bpfgauge baseline: %s\n", err);
		return 2;
	}
	result_unload(&r);
	if (!access(dst, F_OK)) {
		fprintf(stderr, "bpfgauge baseline: baseline '%s' exists (%s): pick another "
			"name or remove the file\n", name, dst);
		return 2;
	}
	mkdir("results", 0755);
	mkdir(BASELINE_DIR, 0755);
	/* The exact bytes of the result, which result_load just validated. */
	f = fopen(src, "r");
	ret = f ? 0 : -errno;
	if (!ret) {
		FILE *mem = open_memstream(&data, &len);
		char chunk[65536];
		size_t n;

		while (mem && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, mem);
		ret = !mem || ferror(f) ? -EIO : 0;
		if (mem && fclose(mem))
			ret = -ENOMEM;
		fclose(f);
	}
	if (!ret)
		ret = file_write_new(dst, data, len);
	free(data);
	if (ret == -EEXIST) {
		fprintf(stderr, "bpfgauge baseline: baseline '%s' exists (%s): pick another "
			"name or remove the file\n", name, dst);
		return 2;
	}
	if (ret) {
		fprintf(stderr, "bpfgauge baseline: cannot save '%s' as '%s': %s\n", src, dst,
			strerror(-ret));
		return 2;
	}
	printf("saved '%s' as baseline '%s' (%s)\n", src, name, dst);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(void)
{
	char **names = NULL, path[640], err[768];
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(BASELINE_DIR);

	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") || de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **more = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*names));

			if (!more)
				break;
			names = more;
		}
		names[n] = strndup(de->d_name, len - 5);
		if (names[n])
			n++;
	}
	if (d)
		closedir(d);
	if (!n) {
		printf("no baselines in %s/ ('bpfgauge baseline save NAME' makes one)\n",
		       BASELINE_DIR);
		free(names);
		return 0;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	printf("%-20s %-12s %-24s %-16s %-20s %4s %s\n", "name", "suite", "kernel", "host",
	       "time", "runs", "metrics");
	for (size_t i = 0; i < n; i++) {
		struct loaded_result r;
		const json_t *env;
		const char *suite;

		snprintf(path, sizeof(path), "%s/%s.json", BASELINE_DIR, names[i]);
		if (result_load(path, &r, err, sizeof(err))) {
			printf("%-20s (%s)\n", names[i], err);
			free(names[i]);
			continue;
		}
		env = json_object_get(r.doc, "environment");
		suite = json_string_value(json_object_get(json_object_get(r.doc, "suite"), "name"));
		printf("%-20s %-12s %-24s %-16s %-20s %4zu %zu\n", names[i], suite ? suite : "?",
		       json_string_value(json_object_get(json_object_get(env, "kernel"),
							 "release")) ?: "?",
		       json_string_value(json_object_get(env, "hostname")) ?: "?", result_time(&r),
		       result_runs(r.doc), json_array_size(json_object_get(r.doc, "metrics")));
		result_unload(&r);
		free(names[i]);
	}
	free(names);
	return 0;
}

int cmd_baseline(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	bool help = argc > 2 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"));

	if (help || (sub && (!strcmp(sub, "-h") || !strcmp(sub, "--help") ||
			     !strcmp(sub, "help")))) {
		fputs(baseline_usage, stdout);
		return 0;
	}
	if (sub && !strcmp(sub, "save") && argc >= 3)
		return save(argv[2], argv + 3, argc - 3);
	if (sub && !strcmp(sub, "list") && argc == 2)
		return list();
	if (sub && strcmp(sub, "save") && strcmp(sub, "list"))
		fprintf(stderr, "bpfgauge baseline: unknown subcommand '%s'; see 'bpfgauge "
			"baseline --help'\n", sub);
	else
		fprintf(stderr, "bpfgauge baseline: %s; see 'bpfgauge baseline --help'\n",
			!sub ? "needs 'save NAME [RESULT]' or 'list'" :
			!strcmp(sub, "save") ? "'save' takes NAME and the RESULTs to keep" :
			"'list' takes no argument");
	return 2;
}
