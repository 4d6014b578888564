/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio's --output-format=json, reduced to what a workload reports: of the first job (one job,
 * or group_reporting), one direction's I/O count, IOPS, bandwidth, runtime and completion
 * latency (clat) percentiles.
 *
 *   fio_output_parse(text, len, "read", &s)   0; -EINVAL when the text is not JSON (truncated)
 *                                             or lacks one of the fields below; -EIO when fio
 *                                             reports the job failed (its "error" is not 0)
 *
 * Pure: no I/O.
 */
#ifndef BPFGAUGE_FIO_OUTPUT_H
#define BPFGAUGE_FIO_OUTPUT_H

#include <stddef.h>

struct fio_summary {
	double ios;		/* total_ios: I/Os completed */
	double iops;
	double bw_kib_s;	/* bw, KiB/s */
	double runtime_s;	/* the direction's runtime */
	double clat_mean_ns, clat_p50_ns, clat_p99_ns;
};

int fio_output_parse(const char *text, size_t len, const char *dir, struct fio_summary *s);

#endif
