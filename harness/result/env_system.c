// SPDX-License-Identifier: GPL-2.0
/* Kernel settings that change what work costs: preemption, huge pages, NUMA; boot time. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "env_parts.h"
#include "lib/kconfig.h"

json_t *env_file_line(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return json_null();
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return json_null();
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return json_string(buf);
}

int env_selected(const char *text, char *buf, size_t sz)
{
	const char *open = strpbrk(text, "[("), *close;

	if (!open)
		return -ENOENT;
	close = strchr(open, *open == '[' ? ']' : ')');
	if (!close || close == open + 1)
		return -ENOENT;
	snprintf(buf, sz, "%.*s", (int)(close - open - 1), open + 1);
	return 0;
}

/* The selected word of a sysfs setting file, or null. */
static json_t *selected_in(const char *path)
{
	json_t *line = env_file_line(path);
	char word[64];
	json_t *v = json_is_string(line) && !env_selected(json_string_value(line), word,
							  sizeof(word)) ?
		    json_string(word) : json_null();

	json_decref(line);
	return v;
}

/* Where debugfs is mounted, from /proc/mounts; it is not mounted for this. */
static int debugfs_path(char *buf, size_t sz)
{
	char dev[256], dir[256], type[64];
	FILE *f = fopen("/proc/mounts", "r");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "debugfs")) {
			snprintf(buf, sz, "%s", dir);
			err = 0;
		}
	fclose(f);
	return err;
}

/* preempt=MODE on the command line, which a PREEMPT_DYNAMIC kernel follows at boot. */
static int cmdline_preempt(char *buf, size_t sz)
{
	json_t *line = env_file_line("/proc/cmdline");
	const char *cmd = json_string_value(line), *p;
	int err = -ENOENT;

	for (p = cmd; p && (p = strstr(p, "preempt=")); p += 8)
		if (p == cmd || p[-1] == ' ') {
			snprintf(buf, sz, "%.*s", (int)strcspn(p + 8, " "), p + 8);
			err = 0;
		}
	json_decref(line);
	return err;
}

/* The build's mode, with the names debugfs uses. */
static const char *config_preempt(void)
{
	static const char *const modes[][2] = {
		{ "CONFIG_PREEMPT_RT", "rt" }, { "CONFIG_PREEMPT_LAZY", "lazy" },
		{ "CONFIG_PREEMPT", "full" }, { "CONFIG_PREEMPT_VOLUNTARY", "voluntary" },
		{ "CONFIG_PREEMPT_NONE", "none" },
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (kconfig_state(modes[i][0]) == KCONFIG_SET)
			return modes[i][1];
	return NULL;
}

json_t *env_preempt(void)
{
	enum kconfig_state dyn = kconfig_state("CONFIG_PREEMPT_DYNAMIC");
	char dir[256], path[300], mode[64];
	const char *source = NULL, *cfg;
	json_t *line;

	if (!debugfs_path(dir, sizeof(dir))) {
		snprintf(path, sizeof(path), "%s/sched/preempt", dir);
		line = env_file_line(path);
		if (json_is_string(line) && !env_selected(json_string_value(line), mode,
							  sizeof(mode)))
			source = "debugfs";
		json_decref(line);
	}
	if (!source && dyn == KCONFIG_SET && !cmdline_preempt(mode, sizeof(mode)))
		source = "cmdline";
	if (!source && (cfg = config_preempt())) {
		snprintf(mode, sizeof(mode), "%s", cfg);
		source = "config";
	}
	return json_pack("{s:s? s:s? s:o}", "mode", source ? mode : NULL, "source", source,
			 "dynamic", dyn == KCONFIG_UNKNOWN ? json_null() :
			 json_boolean(dyn == KCONFIG_SET));
}

json_t *env_thp(void)
{
	return json_pack("{s:o s:o}",
			 "enabled", selected_in("/sys/kernel/mm/transparent_hugepage/enabled"),
			 "defrag", selected_in("/sys/kernel/mm/transparent_hugepage/defrag"));
}

json_t *env_numa_nodes(void)
{
	DIR *d = opendir("/sys/devices/system/node");
	struct dirent *e;
	int n = 0;

	if (!d)
		return json_null();
	while ((e = readdir(d))) {
		const char *p = e->d_name;

		if (strncmp(p, "node", 4) || !p[4] || strspn(p + 4, "0123456789") != strlen(p + 4))
			continue;
		n++;
	}
	closedir(d);
	return json_integer(n);
}

json_t *env_boot(void)
{
	char line[256], when[64];
	long long btime = -1;
	double up = -1;
	FILE *f = fopen("/proc/stat", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &btime) == 1)
			break;
	if (f)
		fclose(f);
	f = fopen("/proc/uptime", "r");
	if (f && fscanf(f, "%lf", &up) != 1)
		up = -1;
	if (f)
		fclose(f);
	if (btime >= 0) {
		time_t t = btime;

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	}
	return json_pack("{s:s? s:o}", "time", btime >= 0 ? when : NULL,
			 "uptime_s", up >= 0 ? json_real(up) : json_null());
}
