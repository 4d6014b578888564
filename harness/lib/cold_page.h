/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 64-bit value in a page this process does not have mapped: a memfd page mapped shared,
 * whose mapping the process drops (MADV_DONTNEED) after each write; the memfd keeps the data.
 * A read of the value then has to fault the page in, which only code that may sleep can do
 * (a sleepable BPF program's bpf_copy_from_user(); bpf_probe_read_user() gets EFAULT).
 *
 *   cold_page_init(&p, &step)   0 or -errno, with step naming the call that failed
 *   cold_page_store(&p, v)      write v, then drop the page's mapping: 0 or -errno
 *   cold_page_present(&p)       whether the page is mapped now (bit 63 of its
 *                               /proc/self/pagemap entry): 1, 0, or -1 when unknown
 *   cold_page_release(&p)       accepts a page whose init failed half-way
 * p.value is the value's address, the one a BPF program reads.
 */
#ifndef BPFGAUGE_COLD_PAGE_H
#define BPFGAUGE_COLD_PAGE_H

#include <stddef.h>
#include <linux/types.h>

struct cold_page {
	int memfd;
	int pagemap;		/* /proc/self/pagemap, -1 when it cannot be read */
	size_t size;
	volatile __u64 *value;
};

#define COLD_PAGE_INIT { .memfd = -1, .pagemap = -1 }

int cold_page_init(struct cold_page *p, const char **step);
int cold_page_store(struct cold_page *p, __u64 v);
int cold_page_present(const struct cold_page *p);
void cold_page_release(struct cold_page *p);

#endif
