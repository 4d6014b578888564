// SPDX-License-Identifier: GPL-2.0
/* vmtest's parts on the test kernel's package: its release, its modules in order, compressed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "vmtest/guest_kernel.h"
#include "vmtest/kmod.h"
#include "vmtest_run.h"

/* The test's temporary directory (vmtest_run.h). */
static char *const dir = vmtest_dir;

Test(vmtest, kernel_release_from_the_image_matches_the_package)
{
	char image[PATH_MAX], release[128], got[128], version[256];

	test_kernel(image, sizeof(image), release, sizeof(release));
	cr_assert_eq(guest_kernel_release(image, got, sizeof(got), version, sizeof(version)), 0);
	cr_assert_str_eq(got, release);
	cr_assert(strstr(version, release) == version, "%s", version);
	cr_assert_eq(guest_kernel_release("Makefile", got, sizeof(got), version, sizeof(version)),
		     -ENOEXEC);
}

/* How many files named NAME.ko* the module directory holds. */
static int evidence_module(const char *moddir, const char *name)
{
	char cmd[PATH_MAX + 128], *out;
	int n;

	snprintf(cmd, sizeof(cmd), "find %s/kernel -name '%s.ko*' | wc -l", moddir, name);
	out = sh(cmd, NULL);
	n = atoi(out);
	free(out);
	return n;
}

static bool in_set(const struct kmod_set *set, const char *name, size_t before)
{
	for (size_t j = 0; j < before && j < set->n; j++)
		if (!strcmp(set->mods[j].name, name))
			return true;
	return false;
}

/*
 * Every module comes after those it depends on, as kmod's modinfo reads them; a wanted module
 * is loaded, built in or absent as the kernel's config says (=m, =y, not set).
 */
Test(vmtest, modules_follow_modinfo_and_the_config)
{
	/* vxlan needs udp_tunnel and ip6_udp_tunnel: an order to get right. */
	static const char *const wanted[] = { "veth", "sch_ingress", "cls_bpf", "vxlan", NULL };
	static const char *const option[] = { "CONFIG_VETH", "CONFIG_NET_SCH_INGRESS",
					      "CONFIG_NET_CLS_BPF" };
	char image[PATH_MAX], release[128], moddir[PATH_MAX], why[256], cmd[PATH_MAX * 2], *out;
	struct kmod_set set;

	test_kernel(image, sizeof(image), release, sizeof(release));
	snprintf(moddir, sizeof(moddir), "build/kernels/test/lib/modules/%s", release);
	cr_assert_eq(kmod_resolve(moddir, wanted, &set, why, sizeof(why)), 0, "%s", why);
	cr_assert_gt(set.n, 0);
	for (size_t i = 0; i < set.n; i++) {
		char *dep, *save = NULL;

		snprintf(cmd, sizeof(cmd), "modinfo -F depends $(find %s/kernel -name '%s.ko*' | "
			 "head -1)", moddir, set.mods[i].name);
		out = sh(cmd, NULL);
		for (dep = strtok_r(out, ",\n", &save); dep; dep = strtok_r(NULL, ",\n", &save))
			cr_assert(in_set(&set, dep, i), "'%s' comes before its dependency '%s'",
				  set.mods[i].name, dep);
		free(out);
		cr_assert(!in_set(&set, set.mods[i].name, i), "'%s' twice", set.mods[i].name);
	}
	cr_assert(in_set(&set, "vxlan", set.n) == (evidence_module(moddir, "vxlan") > 0));
	for (size_t w = 0; w < 3; w++) {
		snprintf(cmd, sizeof(cmd), "sed -n 's/^%s=//p' build/kernels/test/boot/config-%s",
			 option[w], release);
		out = sh(cmd, NULL);
		if (out[0] == 'm')
			cr_assert(in_set(&set, wanted[w], set.n), "%s=m, yet '%s' is not loaded",
				  option[w], wanted[w]);
		else if (out[0] == 'y')
			cr_assert(strstr(set.builtin, wanted[w]), "%s=y: '%s' is built in",
				  option[w], wanted[w]);
		else
			cr_assert(strstr(set.absent, wanted[w]), "%s is not set: '%s' is absent",
				  option[w], wanted[w]);
		free(out);
	}
	kmod_set_release(&set);
}

/* A compressed module (.ko.xz, as Debian ships from 6.12 on) comes out as the plain module. */
Test(vmtest, compressed_modules_are_decompressed)
{
	static const char *const wanted[] = { "veth", NULL };
	char image[PATH_MAX], release[128], cmd[PATH_MAX * 3], why[256], *out;
	struct kmod_set set;
	size_t len;
	FILE *f;
	char *plain;

	test_kernel(image, sizeof(image), release, sizeof(release));
	snprintf(cmd, sizeof(cmd), "f=$(find build/kernels/test/lib/modules/%s/kernel -name "
		 "veth.ko) && [ -n \"$f\" ] && modinfo -F depends $f && mkdir -p %s/m/kernel/net "
		 "&& cp $f %s/veth.ko && xz -c $f > %s/m/kernel/net/veth.ko.xz && echo ok", release,
		 dir, dir, dir);
	out = sh(cmd, NULL);
	cr_assert_str_eq(out, "\nok\n", "veth in this kernel is not a module without "
			 "dependencies: %s", out);
	free(out);
	snprintf(cmd, sizeof(cmd), "%s/m", dir);
	cr_assert_eq(kmod_resolve(cmd, wanted, &set, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(set.n, 1);
	snprintf(cmd, sizeof(cmd), "%s/veth.ko", dir);
	f = fopen(cmd, "r");
	cr_assert_not_null(f);
	plain = malloc(set.mods[0].len + 1);
	len = fread(plain, 1, set.mods[0].len + 1, f);
	fclose(f);
	cr_assert_eq(len, set.mods[0].len);
	cr_assert_eq(memcmp(plain, set.mods[0].data, len), 0);
	free(plain);
	kmod_set_release(&set);
}
