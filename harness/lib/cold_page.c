// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cold_page.h"

int cold_page_init(struct cold_page *p, const char **step)
{
	void *addr;

	p->size = sysconf(_SC_PAGESIZE);
	p->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	*step = "memfd_create";
	p->memfd = memfd_create("bpfgauge-cold-page", MFD_CLOEXEC);
	if (p->memfd < 0)
		return -errno;
	*step = "ftruncate the memfd to a page";
	if (ftruncate(p->memfd, p->size))
		return -errno;
	*step = "mmap the memfd";
	addr = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_SHARED, p->memfd, 0);
	if (addr == MAP_FAILED)
		return -errno;
	p->value = addr;
	return 0;
}

void cold_page_release(struct cold_page *p)
{
	if (p->value)
		munmap((void *)p->value, p->size);
	if (p->memfd >= 0)
		close(p->memfd);
	if (p->pagemap >= 0)
		close(p->pagemap);
	p->value = NULL;
	p->memfd = p->pagemap = -1;
}

int cold_page_present(const struct cold_page *p)
{
	uint64_t entry;
	off_t at = (uintptr_t)p->value / p->size * sizeof(entry);

	if (p->pagemap < 0 || pread(p->pagemap, &entry, sizeof(entry), at) != sizeof(entry))
		return -1;
	return entry >> 63;
}

int cold_page_store(struct cold_page *p, __u64 v)
{
	*p->value = v;
	if (madvise((void *)p->value, p->size, MADV_DONTNEED))
		return -errno;
	return 0;
}
