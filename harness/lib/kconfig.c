// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "kconfig.h"

struct kconfig_entry {
	char *name;
	char *value;	/* "" when "is not set" */
};

static struct kconfig_entry *entries;
static size_t nr_entries;
static bool loaded;
static char source[256] = "no kernel config found";
static char digest[17];
static char *override_path;

int kconfig_parse_line(const char *line, char *name, size_t name_sz, char *value,
		       size_t value_sz)
{
	const char *start, *end;
	size_t n;

	if (!strncmp(line, "# CONFIG_", 9)) {
		start = line + 2;
		end = strstr(start, " is not set");
		if (!end)
			return 0;
		value[0] = '\0';
	} else if (!strncmp(line, "CONFIG_", 7)) {
		start = line;
		end = strchr(start, '=');
		if (!end)
			return 0;
		n = strcspn(end + 1, "\r\n");
		if (n >= 2 && end[1] == '"' && end[n] == '"') {
			/* Strings keep their content, not their quotes. */
			n -= 2;
			if (n >= value_sz)
				n = value_sz - 1;
			memcpy(value, end + 2, n);
		} else {
			if (n >= value_sz)
				n = value_sz - 1;
			memcpy(value, end + 1, n);
		}
		value[n] = '\0';
	} else {
		return 0;
	}
	n = end - start;
	if (n == 0 || n >= name_sz)
		return 0;
	memcpy(name, start, n);
	name[n] = '\0';
	return 1;
}

static void add_entry(const char *name, const char *value)
{
	struct kconfig_entry *tmp;

	if (nr_entries % 256 == 0) {
		tmp = realloc(entries, (nr_entries + 256) * sizeof(*entries));
		if (!tmp)
			return;
		entries = tmp;
	}
	entries[nr_entries].name = strdup(name);
	entries[nr_entries].value = strdup(value);
	if (entries[nr_entries].name && entries[nr_entries].value)
		nr_entries++;
}

static int load_from(const char *path)
{
	char line[4096], name[128], value[1024];
	uint64_t h = 0xcbf29ce484222325ULL;
	gzFile f;

	/* gzopen reads plain text files as they are. */
	f = gzopen(path, "rb");
	if (!f)
		return -1;
	while (gzgets(f, line, sizeof(line))) {
		for (const char *p = line; *p; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
		if (kconfig_parse_line(line, name, sizeof(name), value, sizeof(value)))
			add_entry(name, value);
	}
	gzclose(f);
	if (!nr_entries)
		return -1;
	snprintf(source, sizeof(source), "%s", path);
	snprintf(digest, sizeof(digest), "%016llx", (unsigned long long)h);
	return 0;
}

static void clear(void)
{
	for (size_t i = 0; i < nr_entries; i++) {
		free(entries[i].name);
		free(entries[i].value);
	}
	free(entries);
	entries = NULL;
	nr_entries = 0;
	digest[0] = '\0';
	snprintf(source, sizeof(source), "no kernel config found");
}

static void load(void)
{
	struct utsname u;
	char path[512];

	if (loaded)
		return;
	loaded = true;
	if (override_path) {
		load_from(override_path);
		return;
	}
	if (load_from("/proc/config.gz") == 0)
		return;
	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		load_from(path);
	}
}

void kconfig_use_file(const char *path)
{
	clear();
	free(override_path);
	override_path = path ? strdup(path) : NULL;
	loaded = false;
}

static const struct kconfig_entry *find(const char *name)
{
	load();
	for (size_t i = 0; i < nr_entries; i++)
		if (!strcmp(entries[i].name, name))
			return &entries[i];
	return NULL;
}

enum kconfig_state kconfig_state(const char *name)
{
	const struct kconfig_entry *e = find(name);

	if (!nr_entries)
		return KCONFIG_UNKNOWN;
	/* Options absent from a complete config are not set (their dependencies are not). */
	return e && e->value[0] ? KCONFIG_SET : KCONFIG_NOT_SET;
}

const char *kconfig_get(const char *name)
{
	const struct kconfig_entry *e = find(name);

	return e && e->value[0] ? e->value : NULL;
}

const char *kconfig_source(void)
{
	load();
	return source;
}

const char *kconfig_digest(void)
{
	load();
	return digest;
}
