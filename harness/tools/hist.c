// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "hist_user.h"

int hist_read_percpu(int map_fd, const void *key, struct hist *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct hist *vals;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	/* sizeof(struct hist) is a multiple of 8, as per-CPU values must be. */
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(map_fd, key, vals)) {
		int err = -errno;

		free(vals);
		return err;
	}
	for (int i = 0; i < ncpu; i++)
		hist_add(out, &vals[i]);
	free(vals);
	return 0;
}

void hist_add(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (int i = 0; i < MAX_SLOTS; i++)
		dst->slots[i] += src->slots[i];
	dst->count += src->count;
	dst->sum += src->sum;
}

double hist_mean(const struct hist *h)
{
	return h->count ? (double)h->sum / h->count : 0;
}

/* The values slot i can hold, [lo, hi], narrowed to the histogram's [min, max]. */
static void slot_bounds(const struct hist *h, int i, double *lo, double *hi)
{
	*lo = i ? (double)(1ULL << i) : 0;
	*hi = i < MAX_SLOTS - 1 ? (double)(1ULL << i) * 2 - 1 : (double)UINT64_MAX;
	if (!h->count)
		return;
	if (*lo < (double)h->min)
		*lo = (double)h->min;
	if (*hi > (double)h->max)
		*hi = (double)h->max;
}

double hist_percentile(const struct hist *h, double q, double *low, double *high)
{
	__u64 total = 0, seen = 0;
	double lo = 0, hi = 0, want;
	int i;

	for (i = 0; i < MAX_SLOTS; i++)
		total += h->slots[i];
	want = q * total;
	for (i = 0; i < MAX_SLOTS && total; i++) {
		if (!h->slots[i])
			continue;
		slot_bounds(h, i, &lo, &hi);
		if (seen + h->slots[i] >= want)
			break;
		seen += h->slots[i];
	}
	if (low)
		*low = lo;
	if (high)
		*high = hi;
	if (!total)
		return 0;
	/* Linear within the bucket: where the q-th value would be if they spread evenly. */
	return lo + (want - seen) / h->slots[i < MAX_SLOTS ? i : MAX_SLOTS - 1] * (hi - lo);
}

void hist_fmt_ns(double ns, char *buf, size_t sz)
{
	if (ns < 1e3)
		snprintf(buf, sz, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, sz, "%.1f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, sz, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, sz, "%.2f s", ns / 1e9);
}

/* The largest value slot i holds; the last slot is open-ended (capped for JSON's sake). */
static unsigned long long slot_high(int i)
{
	return i < 62 ? (1ULL << (i + 1)) - 1 : (unsigned long long)INT64_MAX;
}

void hist_print(FILE *f, const struct hist *h, const char *title)
{
	char mean[32], p50[32], p90[32], p99[32], lo_s[32], hi_s[32];
	int first = -1, last = -1;
	__u64 max = 0;

	for (int i = 0; i < MAX_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (h->slots[i] > max)
			max = h->slots[i];
	}
	hist_fmt_ns(hist_mean(h), mean, sizeof(mean));
	hist_fmt_ns(hist_percentile(h, 0.5, NULL, NULL), p50, sizeof(p50));
	hist_fmt_ns(hist_percentile(h, 0.9, NULL, NULL), p90, sizeof(p90));
	hist_fmt_ns(hist_percentile(h, 0.99, NULL, NULL), p99, sizeof(p99));
	hist_fmt_ns((double)h->min, lo_s, sizeof(lo_s));
	hist_fmt_ns((double)h->max, hi_s, sizeof(hi_s));
	fprintf(f, "%s: %llu events, mean %s, min %s, max %s; from the buckets: p50 %s, p90 %s, "
		"p99 %s\n", title, (unsigned long long)h->count, mean, lo_s, hi_s, p50, p90, p99);
	if (first < 0)
		return;
	fprintf(f, "  %-21s  %10s  distribution\n", "range [low, high)", "count");
	for (int i = first; i <= last; i++) {
		char lo[16], hi[16], bar[41];
		int width = max ? (int)(h->slots[i] * 40 / max) : 0;

		/* Bucket 0 holds 0 and 1 ns. */
		hist_fmt_ns(i ? (double)(1ULL << i) : 0, lo, sizeof(lo));
		hist_fmt_ns((double)slot_high(i) + 1, hi, sizeof(hi));
		if (width == 0 && h->slots[i])
			width = 1;
		memset(bar, '*', width);
		bar[width] = '\0';
		fprintf(f, "  %8s -> %-8s  %10llu  |%-40s|\n", lo, hi,
			(unsigned long long)h->slots[i], bar);
	}
}

/* A value for JSON's integers: above INT64_MAX only a broken clock puts one. */
static json_int_t json_ns(double v)
{
	return v < (double)INT64_MAX ? (json_int_t)v : INT64_MAX;
}

/* {"q": 0.5, "ns": estimate, "low_ns", "high_ns": the values it can be} */
static json_t *percentile_json(const struct hist *h, double q)
{
	double lo, hi, v = hist_percentile(h, q, &lo, &hi);

	return json_pack("{s:f s:f s:I s:I}", "q", q, "ns", v, "low_ns", json_ns(lo), "high_ns",
			 json_ns(hi));
}

json_t *hist_to_json(const struct hist *h)
{
	static const double qs[] = { 0.5, 0.9, 0.99 };
	json_t *buckets = json_array(), *pcts = json_array();

	for (int i = 0; i < MAX_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		json_array_append_new(buckets, json_pack("{s:I s:I s:I}",
			"low_ns", json_ns(i ? (double)(1ULL << i) : 0),
			"high_ns", (json_int_t)slot_high(i),
			"count", (json_int_t)h->slots[i]));
	}
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		json_array_append_new(pcts, percentile_json(h, qs[i]));
	return json_pack("{s:I s:I s:f s:I s:I s:f s:f s:f s:o s:o}", "count",
			 (json_int_t)h->count, "sum_ns", (json_int_t)h->sum,
			 "mean_ns", hist_mean(h),
			 "min_ns", json_ns((double)h->min), "max_ns", json_ns((double)h->max),
			 "p50_ns", hist_percentile(h, 0.5, NULL, NULL),
			 "p90_ns", hist_percentile(h, 0.9, NULL, NULL),
			 "p99_ns", hist_percentile(h, 0.99, NULL, NULL), "percentiles", pcts,
			 "buckets", buckets);
}
