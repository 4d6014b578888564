// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/elf_syms.h"
#include "uprobe_spec.h"

bool uprobe_lib_match(const char *file, const char *name)
{
	size_t n = strlen(name);

	if (!n || strncmp(file, name, n))
		return false;
	if (!file[n])
		return true;
	/* "libc" names libc.so and libc.so.6; "libc.so" and "libfoo.so.1" name later versions. */
	if (!strncmp(file + n, ".so", 3) && (!file[n + 3] || file[n + 3] == '.'))
		return true;
	return file[n] == '.' && strstr(name, ".so");
}

/* ELF class and machine of a file, to keep libraries this process could also load. */
static int elf_kind_of(const char *path, unsigned char *cls, Elf64_Half *machine)
{
	unsigned char hdr[EI_NIDENT + 4];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, ELFMAG, SELFMAG))
		return -ENOEXEC;
	*cls = hdr[EI_CLASS];
	/* e_machine follows e_type, in the file's byte order: compared raw, like e_ident. */
	memcpy(machine, hdr + EI_NIDENT + 2, sizeof(*machine));
	return 0;
}

static bool elf_like_self(const char *path)
{
	static unsigned char self_cls;
	static Elf64_Half self_machine;
	unsigned char cls;
	Elf64_Half machine;

	if (!self_cls && elf_kind_of("/proc/self/exe", &self_cls, &self_machine))
		return true;	/* cannot tell: do not filter */
	return !elf_kind_of(path, &cls, &machine) && cls == self_cls && machine == self_machine;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A library of that name mapped into the process. */
static bool find_in_maps(pid_t pid, const char *name, char *out, size_t sz)
{
	char maps[64], line[PATH_MAX + 128];
	bool found = false;
	FILE *f;

	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)pid);
	f = fopen(maps, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');

		if (!path || strstr(path, " (deleted)"))
			continue;
		path[strcspn(path, "\n")] = '\0';
		if (uprobe_lib_match(base_name(path), name)) {
			snprintf(out, sz, "%s", path);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* The ld.so cache as 'ldconfig -p' prints it: "\tlibc.so.6 (libc6,x86-64) => /lib/.../libc.so.6" */
static bool find_in_ld_cache(const char *name, char *out, size_t sz)
{
	char line[PATH_MAX + 128];
	bool found = false;
	FILE *p = popen("PATH=\"$PATH:/sbin:/usr/sbin\" ldconfig -p 2>/dev/null", "re");

	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		char *file = line + strspn(line, " \t"), *arrow = strstr(line, " => ");

		/* Read to the end: pclose() waits for ldconfig, which must not block on the pipe. */
		if (found || line[0] != '\t' || !arrow)
			continue;
		file[strcspn(file, " ")] = '\0';
		arrow += 4;
		arrow[strcspn(arrow, "\n")] = '\0';
		if (uprobe_lib_match(file, name) && elf_like_self(arrow)) {
			snprintf(out, sz, "%s", arrow);
			found = true;
		}
	}
	pclose(p);
	return found;
}

static bool find_in_path(const char *name, char *out, size_t sz)
{
	const char *env = getenv("PATH");
	char *dirs, *save = NULL;
	bool found = false;

	dirs = strdup(env ? env : "/usr/local/bin:/usr/bin:/bin");
	if (!dirs)
		return false;
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		int n = snprintf(out, sz, "%s/%s", d, name);

		found = n > 0 && (size_t)n < sz && !access(out, X_OK);
	}
	free(dirs);
	return found;
}

/* BINARY as given: a path, else a library or a program name. */
static int resolve_binary(const char *bin, pid_t pid, char *out, char *err, size_t errsz)
{
	char found[PATH_MAX];

	if (strchr(bin, '/')) {
		snprintf(found, sizeof(found), "%s", bin);
	} else if (!(pid > 0 && find_in_maps(pid, bin, found, sizeof(found))) &&
		   !find_in_ld_cache(bin, found, sizeof(found)) &&
		   !find_in_path(bin, found, sizeof(found))) {
		snprintf(err, errsz, "no library or program '%s' (looked in %sthe ld.so cache and "
			 "PATH)", bin, pid > 0 ? "the process's maps, " : "");
		return -ENOENT;
	}
	if (!realpath(found, out)) {
		int ret = -errno;

		if (ret == -ENOENT)
			snprintf(err, errsz, "no binary '%s'", found);
		else
			snprintf(err, errsz, "cannot read binary '%s': %s", found, strerror(-ret));
		return ret;
	}
	return 0;
}

int uprobe_spec_resolve(const char *spec, pid_t pid, struct uprobe_spec *u, char *err,
			size_t errsz)
{
	/* The last colon: symbols have none, paths rarely do. */
	const char *colon = strrchr(spec, ':');
	char bin[PATH_MAX];
	struct elf_syms *syms;
	long off;
	size_t nr_dynamic;
	bool stripped;
	int ret;

	memset(u, 0, sizeof(*u));
	if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof(bin) ||
	    strlen(colon + 1) >= sizeof(u->symbol)) {
		snprintf(err, errsz, "--func takes BINARY:SYMBOL (e.g. libc:malloc), not '%s'",
			 spec);
		return -EINVAL;
	}
	memcpy(bin, spec, colon - spec);
	bin[colon - spec] = '\0';
	snprintf(u->symbol, sizeof(u->symbol), "%s", colon + 1);
	ret = resolve_binary(bin, pid, u->path, err, errsz);
	if (ret)
		return ret;
	syms = elf_syms_open(u->path);
	if (!syms) {
		ret = -errno;
		if (ret == -ENOEXEC)
			snprintf(err, errsz, "'%s' is not an ELF file", u->path);
		else
			snprintf(err, errsz, "cannot read binary '%s': %s", u->path,
				 strerror(-ret));
		return ret;
	}
	off = elf_syms_offset(syms, u->symbol, NULL);
	stripped = elf_syms_stripped(syms, &nr_dynamic);
	elf_syms_free(syms);
	if (off < 0 && stripped) {
		snprintf(err, errsz, "no symbol '%s' in '%s': it is stripped (no .symtab) and "
			 "its .dynsym defines %zu functions, not this one", u->symbol, u->path,
			 nr_dynamic);
		return -ENOENT;
	}
	if (off < 0) {
		snprintf(err, errsz, "no symbol '%s' in '%s'", u->symbol, u->path);
		return -ENOENT;
	}
	u->offset = off;
	return 0;
}
