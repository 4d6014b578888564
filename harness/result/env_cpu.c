// SPDX-License-Identifier: GPL-2.0
/* The CPU part of the environment: /proc/cpuinfo, vulnerabilities, cpufreq and SMT. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_parts.h"

#define CPU_SYSFS "/sys/devices/system/cpu"

/*
 * The flags that change what tracing costs or how it is timed: mitigations on the kernel entry
 * and exit path (pti, ibrs, ibpb, stibp, ssbd, md_clear ...), the TSC's behaviour (clock reads),
 * TLB tagging (pcid, invpcid: what a page-table switch costs), 5-level paging, indirect branch
 * tracking (trampolines begin with endbr), and whether a hypervisor is underneath.
 */
const char *const env_cpu_flags_of_interest[] = {
	"pti", "ibrs", "ibrs_enhanced", "ibpb", "stibp", "ssbd", "amd_ssbd", "virt_ssbd",
	"md_clear", "flush_l1d", "arch_capabilities", "retpoline", "ibt", "user_shstk",
	"tsc", "constant_tsc", "nonstop_tsc", "tsc_known_freq", "tsc_reliable",
	"tsc_deadline_timer", "rdtscp", "rdpid", "pcid", "invpcid", "la57", "smep", "smap",
	"fsgsbase", "x2apic", "arch_perfmon", "perfctr_core", "hypervisor", NULL,
};

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' || p[n] == '\n'))
			return true;
	return false;
}

static json_t *flags_of_interest(const char *flags)
{
	json_t *a = json_array();

	for (const char *const *f = env_cpu_flags_of_interest; *f; f++)
		if (has_word(flags, *f))
			json_array_append_new(a, json_string(*f));
	return a;
}

static json_t *integer_or_null(const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);

	return end != text && !*end ? json_integer(v) : json_null();
}

/* The first processor's lines: "key<tabs>: value". */
json_t *env_cpuinfo(FILE *f)
{
	json_t *o = json_pack("{s:n s:n s:n s:n s:n s:n s:n}", "model", "vendor", "family",
			      "model_number", "stepping", "microcode", "flags");
	size_t cap = 8192;
	char *line = malloc(cap);

	if (!f || !o || !line)
		goto out;
	/* getline: the flags line of a modern x86 CPU is well over a kilobyte. */
	while (getline(&line, &cap, f) > 0) {
		char *colon = strchr(line, ':'), *key = line, *value;
		size_t klen;

		if (line[0] == '\n')
			break;	/* the end of the first processor */
		if (!colon)
			continue;
		klen = colon - key;
		while (klen && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
			klen--;
		key[klen] = '\0';
		value = colon + 1 + strspn(colon + 1, " \t");
		value[strcspn(value, "\n")] = '\0';
		if (!strcmp(key, "model name"))
			json_object_set_new(o, "model", json_string(value));
		else if (!strcmp(key, "vendor_id"))
			json_object_set_new(o, "vendor", json_string(value));
		else if (!strcmp(key, "cpu family"))
			json_object_set_new(o, "family", integer_or_null(value));
		else if (!strcmp(key, "model"))
			json_object_set_new(o, "model_number", integer_or_null(value));
		else if (!strcmp(key, "stepping"))
			json_object_set_new(o, "stepping", integer_or_null(value));
		else if (!strcmp(key, "microcode"))
			json_object_set_new(o, "microcode", json_string(value));
		else if (!strcmp(key, "flags"))
			json_object_set_new(o, "flags", flags_of_interest(value));
	}
out:
	free(line);
	return o;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every file of vulnerabilities/, by name: its one line. */
static json_t *vulnerabilities(void)
{
	struct dirent **names;
	int n = scandir(CPU_SYSFS "/vulnerabilities", &names, NULL, by_name);
	json_t *o;

	if (n < 0)
		return json_null();
	o = json_object();
	for (int i = 0; i < n; i++) {
		char path[512];

		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), CPU_SYSFS "/vulnerabilities/%s",
				 names[i]->d_name);
			json_object_set_new(o, names[i]->d_name, env_file_line(path));
		}
		free(names[i]);
	}
	free(names);
	return o;
}

static json_t *smt(void)
{
	json_t *active = env_file_line(CPU_SYSFS "/smt/active");
	const char *a = json_string_value(active);
	json_t *o = json_pack("{s:o s:o}", "control", env_file_line(CPU_SYSFS "/smt/control"),
			      "active", !a ? json_null() : !strcmp(a, "1") ? json_true() :
			      !strcmp(a, "0") ? json_false() : json_null());

	json_decref(active);
	return o;
}

json_t *env_cpu(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	json_t *info = env_cpuinfo(f);
	/* model and count first, where readers of older results find them. */
	json_t *o = json_pack("{s:n s:I}", "model", "count",
			      (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));

	if (f)
		fclose(f);
	json_object_update(o, info);
	json_decref(info);
	json_object_set_new(o, "vulnerabilities", vulnerabilities());
	json_object_set_new(o, "governor",
			    env_file_line(CPU_SYSFS "/cpu0/cpufreq/scaling_governor"));
	json_object_set_new(o, "smt", smt());
	return o;
}
