/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The name of an errno value, for reasons that quote it: errno_name(EPERM) is "EPERM"
 * (err may be negative or positive; "E?" for a value without a name).
 */
#ifndef BPFGAUGE_ERRNO_NAME_H
#define BPFGAUGE_ERRNO_NAME_H

const char *errno_name(int err);

#endif
