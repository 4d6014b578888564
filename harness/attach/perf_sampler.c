// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include "lib/errno_name.h"
#include "perf_sampler.h"

static int event_open(__u32 type, __u64 config, int hz, int cpu)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = type,
		.config = config,
		.freq = 1,
		.sample_freq = hz,
	};
	int fd = syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int perf_sampler_attach(struct bpf_program *prog, int hz, struct perf_sampler *ps, char *why,
		       size_t sz)
{
	int ncpu = libbpf_num_possible_cpus(), err = 0, fd;
	__u32 type = PERF_TYPE_HARDWARE;
	__u64 config = PERF_COUNT_HW_CPU_CYCLES;

	memset(ps, 0, sizeof(*ps));
	if (ncpu < 0) {
		snprintf(why, sz, "count CPUs: %s", errno_name(ncpu));
		return ncpu;
	}
	ps->links = calloc(ncpu, sizeof(*ps->links));
	if (!ps->links) {
		snprintf(why, sz, "out of memory");
		return -ENOMEM;
	}
	ps->event = "cycles";
	for (int cpu = 0; cpu < ncpu; cpu++) {
		fd = event_open(type, config, hz, cpu);
		/* No PMU (ENOENT, EOPNOTSUPP) on the first CPU: the software clock for all. */
		if (fd < 0 && fd != -ENODEV && type == PERF_TYPE_HARDWARE && !ps->nr_links) {
			snprintf(ps->note, sizeof(ps->note),
				 "hardware cycles: perf_event_open: %s%s", errno_name(fd),
				 access("/sys/bus/event_source/devices/cpu", F_OK) ?
				 " (no 'cpu' PMU in /sys/bus/event_source/devices)" : "");
			type = PERF_TYPE_SOFTWARE;
			config = PERF_COUNT_SW_CPU_CLOCK;
			ps->event = "cpu-clock";
			fd = event_open(type, config, hz, cpu);
		}
		if (fd == -ENODEV)	/* an offline CPU */
			continue;
		if (fd < 0) {
			err = fd;
			snprintf(why, sz, "perf_event_open '%s' on CPU %d: %s", ps->event, cpu,
				 errno_name(err));
			goto fail;
		}
		ps->links[ps->nr_links] = bpf_program__attach_perf_event(prog, fd);
		if (!ps->links[ps->nr_links]) {
			err = -errno;
			close(fd);
			snprintf(why, sz, "attach 'perf_event' to '%s' on CPU %d: %s", ps->event,
				 cpu, errno_name(err));
			goto fail;
		}
		ps->nr_links++;
	}
	if (!ps->nr_links) {
		err = -ENODEV;
		snprintf(why, sz, "perf_event_open: no online CPU");
		goto fail;
	}
	return 0;
fail:
	perf_sampler_detach(ps);
	return err;
}

void perf_sampler_detach(struct perf_sampler *ps)
{
	for (int i = 0; i < ps->nr_links; i++)
		bpf_link__destroy(ps->links[i]);
	free(ps->links);
	ps->links = NULL;
	ps->nr_links = 0;
}
