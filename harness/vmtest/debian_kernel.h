/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmtest --kernel debian:SUITE[:PACKAGE]: a Debian suite's kernel (PACKAGE defaults to
 * linux-image-cloud-amd64, the metapackage of the kernel a cloud VM runs), fetched with the
 * source tree's ci/fetch-kernel.sh (a private apt configuration; cached in build/kernels/ of
 * the tree the binary was built in) and booted from its boot/vmlinuz-*.
 *
 *   debian_kernel_is(spec)     whether spec is of that form
 *   debian_kernel_fetch(spec, image, sz, err, errsz)   the image's path in image: 0, or
 *                              -errno with a one-line reason in err
 */
#ifndef BPFGAUGE_DEBIAN_KERNEL_H
#define BPFGAUGE_DEBIAN_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#define DEBIAN_KERNEL_PREFIX "debian:"
#define DEBIAN_KERNEL_DEFAULT "linux-image-cloud-amd64"

bool debian_kernel_is(const char *spec);
int debian_kernel_fetch(const char *spec, char *image, size_t sz, char *err, size_t errsz);

#endif
