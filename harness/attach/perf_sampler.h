/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sampling perf events on every online CPU, each running a BPF perf_event program through an
 * fd-owned bpf_link (closing the link closes the event). Hardware CPU cycles where the CPU
 * has a PMU, else the software cpu-clock (an hrtimer), both at a frequency in Hz.
 *
 *   perf_sampler_attach(prog, hz, &ps, why, sz)   0, or -errno with one line in why
 *   perf_sampler_detach(&ps)                      destroys every link; accepts a zeroed ps
 */
#ifndef BPFGAUGE_PERF_SAMPLER_H
#define BPFGAUGE_PERF_SAMPLER_H

#include <stddef.h>
#include <bpf/libbpf.h>

struct perf_sampler {
	struct bpf_link **links;
	int nr_links;		/* = CPUs sampled */
	const char *event;	/* "cycles" (hardware) or "cpu-clock" (software) */
	char note[160];		/* why hardware cycles were not used; "" when they were */
};

int perf_sampler_attach(struct bpf_program *prog, int hz, struct perf_sampler *ps, char *why,
		       size_t sz);
void perf_sampler_detach(struct perf_sampler *ps);

#endif
