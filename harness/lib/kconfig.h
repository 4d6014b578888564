/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's build configuration, from /proc/config.gz or /boot/config-$(uname -r).
 * Loaded once, on first use.
 */
#ifndef BPFGAUGE_KCONFIG_H
#define BPFGAUGE_KCONFIG_H

#include <stddef.h>
#include <stdio.h>

enum kconfig_state {
	KCONFIG_UNKNOWN,	/* no configuration could be read */
	KCONFIG_NOT_SET,
	KCONFIG_SET,		/* y, m or a value */
};

/* "y", "m", a string or number as written, or NULL when not set or unknown. */
const char *kconfig_get(const char *name);
enum kconfig_state kconfig_state(const char *name);
/* Where the configuration came from, or "no kernel config found". */
const char *kconfig_source(void);
/* A digest of the config text (FNV-1a, 64 bits, hex) to tell configs apart; "" if unknown. */
const char *kconfig_digest(void);

/*
 * One line of a config file: returns 1 and fills name/value for "CONFIG_X=v" and
 * "# CONFIG_X is not set" (value ""), 0 for other lines. Pure; for tests.
 */
int kconfig_parse_line(const char *line, char *name, size_t name_sz, char *value,
		       size_t value_sz);

/* Use this file instead of the system's (tests); NULL restores the default. */
void kconfig_use_file(const char *path);

#endif
