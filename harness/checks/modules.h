/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel modules the checks may need, where the kernel builds their code as a module (=m): one
 * line per module in modules.c, with the CONFIG_ option that builds it. vmtest loads them all
 * into a guest; check_explain() says when the module behind a failed call is not loaded.
 *
 *   check_module_of(config)    the module that config builds, or NULL
 *   check_module_names()       every module's name, NULL-terminated
 *   check_module_loaded(name)  whether /sys/module/NAME exists
 */
#ifndef BPFGAUGE_CHECK_MODULES_H
#define BPFGAUGE_CHECK_MODULES_H

#include <stdbool.h>

const char *check_module_of(const char *config);
const char *const *check_module_names(void);
bool check_module_loaded(const char *name);

#endif
