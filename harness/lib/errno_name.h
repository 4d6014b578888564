/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The name of an errno value, for reasons that quote it, and back:
 *   errno_name(EPERM)         "EPERM" (err may be negative or positive; "E?" for a value
 *                             without a name)
 *   errno_from_name("EPERM")  EPERM; 0 for a name that is no errno's
 */
#ifndef BPFGAUGE_ERRNO_NAME_H
#define BPFGAUGE_ERRNO_NAME_H

const char *errno_name(int err);
int errno_from_name(const char *name);

#endif
