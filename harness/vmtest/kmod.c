// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod.h"
#include "lib/memfile.h"
#include "lib/spawn.h"

/* Module file paths by name, gathered by one walk of DIR/kernel (nftw has no user pointer). */
static struct {
	char (*name)[64];
	char **path;
	size_t n, cap;
} idx;

static void mod_name(const char *file, char *name, size_t sz)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;

	snprintf(name, sz, "%.*s", (int)strcspn(base, "."), base);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
}

static int index_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F || !strstr(path, ".ko"))
		return 0;
	if (idx.n == idx.cap) {
		size_t cap = idx.cap ? 2 * idx.cap : 1024;
		void *names = realloc(idx.name, cap * sizeof(*idx.name));
		void *paths = names ? realloc(idx.path, cap * sizeof(*idx.path)) : NULL;

		if (names)
			idx.name = names;
		if (!paths)
			return -ENOMEM;
		idx.path = paths;
		idx.cap = cap;
	}
	idx.path[idx.n] = strdup(path);
	if (!idx.path[idx.n])
		return -ENOMEM;
	mod_name(path, idx.name[idx.n], sizeof(idx.name[0]));
	idx.n++;
	return 0;
}

static void index_release(void)
{
	for (size_t i = 0; i < idx.n; i++)
		free(idx.path[i]);
	free(idx.path);
	free(idx.name);
	memset(&idx, 0, sizeof(idx));
}

static const char *index_find(const char *name)
{
	for (size_t i = 0; i < idx.n; i++)
		if (!strcmp(idx.name[i], name))
			return idx.path[i];
	return NULL;
}

/* Whether DIR/modules.builtin names the module (lines like "kernel/fs/9p/9p.ko"). */
static bool is_builtin(const char *dir, const char *name)
{
	char path[4096], line[512], n[64];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/modules.builtin", dir);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		mod_name(line, n, sizeof(n));
		found = !strcmp(n, name);
	}
	fclose(f);
	return found;
}

/* The plain module: read as it is, or through its decompressor into a memory file. */
static int read_module(const char *path, char **data, size_t *len)
{
	static const struct { const char *ext, *prog; } unz[] = {
		{ ".ko.xz", "xz" }, { ".ko.zst", "zstd" }, { ".ko.gz", "gzip" },
	};
	const char *prog = NULL;
	struct stat st;
	int fd, err = 0;

	for (size_t i = 0; i < sizeof(unz) / sizeof(unz[0]); i++) {
		size_t l = strlen(path), e = strlen(unz[i].ext);

		if (l > e && !strcmp(path + l - e, unz[i].ext))
			prog = unz[i].prog;
	}
	if (prog && !program_installed(prog))
		return -ENOPKG;
	if (prog) {
		char *argv[] = { (char *)prog, "-dc", (char *)path, NULL };
		struct spawn s = { .argv = argv, .err_fd = -1, .timeout_s = 60 };

		return spawn_capture(&s, data, len);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	if (!err && !(*data = memfile_read(fd)))
		err = -EIO;
	if (!err)
		*len = st.st_size;
	close(fd);
	return err;
}

/* "depends=a,b" from the module's .modinfo section, into deps. */
static int module_depends(const char *data, size_t len, char *deps, size_t sz)
{
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int err = -ENOEXEC;

	deps[0] = '\0';
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)data, len);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto cleanup;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name, *p, *end;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".modinfo"))
			continue;
		if (sh.sh_offset + sh.sh_size > len)
			goto cleanup;
		p = data + sh.sh_offset;
		end = p + sh.sh_size;
		for (; p < end; p += strnlen(p, end - p) + 1)
			if (!strncmp(p, "depends=", 8))
				snprintf(deps, sz, "%.*s", (int)strnlen(p + 8, end - p - 8), p + 8);
		err = 0;
	}
cleanup:
	elf_end(elf);
	return err;
}

static bool in_set(const struct kmod_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->mods[i].name, name))
			return true;
	return false;
}

/* Adds name after its dependencies (depth-first); a wanted one (no parent) may be absent. */
static int add(const char *dir, const char *name, const char *parent, struct kmod_set *set,
	       int depth, char *why, size_t sz)
{
	const char *path = index_find(name);
	char deps[512], *save = NULL, *dep;
	struct kmod *m;
	char *data = NULL;
	size_t len = 0;
	int err;

	if (in_set(set, name))
		return 0;
	if (!path) {
		bool builtin = is_builtin(dir, name);
		char *list = builtin ? set->builtin : set->absent;
		size_t used = strlen(list);

		if (parent && !builtin) {
			snprintf(why, sz, "module '%s' needs '%s', which is not in '%s'", parent,
				 name, dir);
			return -ENOENT;
		}
		if (!parent)
			snprintf(list + used, sizeof(set->absent) - used, "%s%s", used ? ", " : "",
				 name);
		return 0;
	}
	if (depth > 16 || set->n == KMOD_MAX) {
		snprintf(why, sz, "module '%s': dependencies too deep or too many", name);
		return -ELOOP;
	}
	err = read_module(path, &data, &len);
	if (!err)
		err = module_depends(data, len, deps, sizeof(deps));
	if (err == -ENOPKG) {
		snprintf(why, sz, "cannot decompress module '%s': no %s here; run 'make deps'",
			 path, strstr(path, ".xz") ? "xz" : strstr(path, ".zst") ? "zstd" : "gzip");
		free(data);
		return err;
	}
	if (err) {
		snprintf(why, sz, "cannot read module '%s': %s", path, strerror(-err));
		free(data);
		return err;
	}
	for (dep = strtok_r(deps, ",", &save); dep; dep = strtok_r(NULL, ",", &save)) {
		char n[64];

		mod_name(dep, n, sizeof(n));
		err = add(dir, n, name, set, depth + 1, why, sz);
		if (err) {
			free(data);
			return err;
		}
	}
	m = &set->mods[set->n++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->data = data;
	m->len = len;
	return 0;
}

int kmod_resolve(const char *dir, const char *const *names, struct kmod_set *set, char *why,
		 size_t sz)
{
	char kdir[4096];
	int err = 0;

	memset(set, 0, sizeof(*set));
	why[0] = '\0';
	snprintf(kdir, sizeof(kdir), "%s/kernel", dir);
	if (access(kdir, R_OK | X_OK)) {
		err = -errno;
		snprintf(why, sz, "no module directory '%s': %s", kdir, strerror(errno));
		return err;
	}
	err = nftw(kdir, index_one, 32, FTW_PHYS);
	if (err) {
		err = err < 0 ? err : -EIO;
		snprintf(why, sz, "cannot list the modules in '%s': %s", kdir, strerror(-err));
		goto cleanup;
	}
	for (size_t i = 0; names[i] && !err; i++)
		err = add(dir, names[i], NULL, set, 0, why, sz);
cleanup:
	index_release();
	if (err)
		kmod_set_release(set);
	return err;
}

void kmod_set_release(struct kmod_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->mods[i].data);
	set->n = 0;
}
