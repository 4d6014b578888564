// SPDX-License-Identifier: GPL-2.0
/* block-latency around fio, whose own latency report is the reference. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "integration.h"
#include "support.h"
#include "trace_doc.h"

/* The disk holding 'path' as /sys/dev/block names it (the parent of a partition). */
static void disk_of(const char *path, char *name, size_t sz)
{
	struct stat st;
	char cmd[256], *out;

	cr_assert_eq(stat(path, &st), 0);
	snprintf(cmd, sizeof(cmd), "d=$(readlink -f /sys/dev/block/%u:%u); "
		 "[ -e $d/partition ] && d=$(dirname $d); basename $d",
		 major(st.st_dev), minor(st.st_dev));
	out = sh(cmd, NULL);
	out[strcspn(out, "\n")] = '\0';
	snprintf(name, sz, "%s", out);
	free(out);
}

/* Skips unless WORKDIR is on a real block device file system and fio is installed. */
static void need_fio_on_disk(void)
{
	char *fs = sh("stat -f -c %T " WORKDIR, NULL), *src;
	int st;

	fs[strcspn(fs, "\n")] = '\0';
	if (!strcmp(fs, "tmpfs") || !strcmp(fs, "overlayfs") || !strcmp(fs, "ramfs"))
		cr_skip_test(WORKDIR " is on %s: direct I/O there reaches no block device", fs);
	src = sh("findmnt -n -o SOURCE -T " WORKDIR, NULL);
	src[strcspn(src, "\n")] = '\0';
	if (strncmp(src, "/dev/", 5))
		cr_skip_test(WORKDIR " is on '%s', not a block device", src);
	free(sh("command -v fio", &st));
	if (st)
		cr_skip_test("fio is not installed ('make deps' installs it)");
	free(fs);
	free(src);
}

static const char *fio_job = "--name=lat --filename=%s --rw=randread --direct=1 --bs=4k "
			     "--size=32m --ioengine=psync";

/* fio's own read completion latency p50 and I/O count from its JSON output. */
static double fio_read(const char *json_path, const char *key, const char *sub)
{
	json_t *doc = json_load_file(json_path, 0, NULL), *read;
	double v;

	cr_assert_not_null(doc, "fio wrote no JSON to %s", json_path);
	read = json_object_get(json_array_get(json_object_get(doc, "jobs"), 0), "read");
	if (sub)
		v = json_number_value(json_object_get(json_object_get(json_object_get(read, key),
								      "percentile"), sub));
	else
		v = json_number_value(json_object_get(read, key));
	json_decref(doc);
	return v;
}

/* Run fio's randread job under 'bpfgauge trace block-latency OPTS'; the tool's document. */
static json_t *block_latency_around_fio(const char *opts, const char *data, const char *fio_out)
{
	char job[512], args[1024], cmd[1024];
	json_t *doc;
	int code;

	snprintf(job, sizeof(job), fio_job, data);
	/* Lay the file out first, untraced: its write-back is not part of the measurement. */
	snprintf(cmd, sizeof(cmd), "fio %s --io_size=64k --output=/dev/null && sync", job);
	free(sh(cmd, &code));
	cr_assert_eq(code, 0, "fio could not lay out %s", data);
	snprintf(args, sizeof(args), "block-latency --json %s -- fio %s --io_size=8m "
		 "--output-format=json --output=%s", opts, job, fio_out);
	doc = trace_json(args, &code);
	cr_assert_not_null(doc, "trace block-latency printed no JSON (exit %d)", code);
	cr_assert_eq(code, 0);
	return doc;
}

/* The log2 bucket of a latency, as bpf/hist.h counts them: [2^i, 2^(i+1)) ns. */
static int log2_bucket(double ns)
{
	unsigned long long v = ns;

	return v ? 63 - __builtin_clzll(v) : 0;
}

/* fio's p50 and block-latency's fall in the same log2 bucket, or in neighbouring ones. */
Test(latency_tools, block_latency_p50_matches_fio)
{
	char data[128], fio_out[128];
	double fio_p50, p50, ios;
	json_t *doc, *h;

	cr_assert(evidence_root(), "needs root");
	need_fio_on_disk();
	snprintf(data, sizeof(data), WORKDIR "/block-latency.%d.dat", getpid());
	snprintf(fio_out, sizeof(fio_out), WORKDIR "/block-latency.%d.json", getpid());
	doc = block_latency_around_fio("", data, fio_out);
	fio_p50 = fio_read(fio_out, "clat_ns", "50.000000");
	ios = fio_read(fio_out, "total_ios", NULL);
	unlink(data);
	unlink(fio_out);
	h = hist_by_label(doc, "");
	cr_assert_not_null(h);
	p50 = json_number_value(json_object_get(h, "p50_ns"));
	cr_log_info("fio: %.0f reads, clat p50 %.0f ns; block-latency (%s): %lld, p50 %.0f ns",
		    ios, fio_p50, doc_str(doc, "method"),
		    json_integer_value(json_object_get(h, "count")), p50);
	cr_assert_gt(ios, 0);
	/*
	 * Every read of fio's is one request; fio reads nothing else from this disk. Its job
	 * runs in a process it forks: counted as the command's descendant.
	 */
	cr_assert_geq(json_integer_value(json_object_get(h, "count")), ios * 0.99);
	cr_assert_leq(json_integer_value(json_object_get(h, "count")), ios * 1.01);
	cr_assert_gt(p50, 0);
	cr_assert_leq(abs(log2_bucket(p50) - log2_bucket(fio_p50)), 1,
		      "block-latency p50 %.0f ns, fio clat p50 %.0f ns", p50, fio_p50);
	cr_assert_eq(json_integer_value(json_object_get(doc, "dropped")), 0);
	json_decref(doc);
}

/* --per-disk labels the histogram with the disk holding the file; --queued counts the same. */
Test(latency_tools, block_latency_per_disk_names_the_disk)
{
	char data[128], fio_out[128], disk[64];
	json_t *doc, *h;
	double ios;

	cr_assert(evidence_root(), "needs root");
	need_fio_on_disk();
	snprintf(data, sizeof(data), WORKDIR "/block-latency.%d.dat", getpid());
	snprintf(fio_out, sizeof(fio_out), WORKDIR "/block-latency.%d.json", getpid());
	doc = block_latency_around_fio("--per-disk --queued", data, fio_out);
	ios = fio_read(fio_out, "total_ios", NULL);
	disk_of(data, disk, sizeof(disk));
	unlink(data);
	unlink(fio_out);
	h = hist_by_label(doc, disk);
	cr_assert_not_null(h, "no histogram labelled '%s'", disk);
	cr_log_info("block-latency --per-disk --queued (%s): '%s' %lld requests, p50 %.0f ns; "
		    "fio %.0f reads", doc_str(doc, "method"), disk,
		    json_integer_value(json_object_get(h, "count")),
		    json_number_value(json_object_get(h, "p50_ns")), ios);
	cr_assert_geq(json_integer_value(json_object_get(h, "count")), ios * 0.95);
	json_decref(doc);
}
