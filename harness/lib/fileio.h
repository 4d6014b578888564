/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result files are written atomically and never overwritten: the data goes to a temporary
 * file in the same directory, is synced, and is linked to its name only if that name is free.
 *
 *   file_write_new(path, data, len)   0, -EEXIST when path exists, or another -errno
 *   file_check_new(path)              0 when file_write_new could create path, else -errno
 */
#ifndef BPFGAUGE_FILEIO_H
#define BPFGAUGE_FILEIO_H

#include <stddef.h>

int file_write_new(const char *path, const char *data, size_t len);
int file_check_new(const char *path);

#endif
