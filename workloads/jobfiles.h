/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fio and stress-ng job files of the top-level workloads/ directory, built into the
 * binary (build/workload_jobs.h), so that bpfgauge runs them from anywhere.
 *
 *   jobfile_text("fio/randread-4k.fio")   the file's text, or NULL when there is none
 */
#ifndef BPFGAUGE_JOBFILES_H
#define BPFGAUGE_JOBFILES_H

const char *jobfile_text(const char *name);

#endif
