/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a suite file is. A NAME is suites/NAME.suite, in the working directory or in the tree
 * the binary was built in (build/bpfgauge -> suites/); a path (with a '/' or '.suite' in it)
 * is taken as it is.
 *
 *   suite_path(name, buf, sz)   0 with the file in buf; -errno when it cannot be read (buf
 *                               holds suites/NAME.suite for a NAME found nowhere: -ENOENT)
 */
#ifndef BPFGAUGE_SUITE_PATH_H
#define BPFGAUGE_SUITE_PATH_H

#include <stddef.h>

int suite_path(const char *name, char *buf, size_t sz);

#endif
