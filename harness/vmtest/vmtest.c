// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <jansson.h>

#include "checks/modules.h"
#include "guest_console.h"
#include "guest_kernel.h"
#include "initramfs.h"
#include "kmod.h"
#include "lib/fileio.h"
#include "lib/interrupt.h"
#include "qemu.h"
#include "result/result.h"
#include "run/suite.h"
#include "run/suite_path.h"
#include "vmtest.h"
#include "vmtest_opts.h"

#define TMP_PREFIX "bpfgauge-vmtest-"

static const char *find_busybox(void)
{
	static const char *const paths[] = { "/bin/busybox", "/usr/bin/busybox", "/sbin/busybox" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!access(paths[i], X_OK))
			return paths[i];
	return NULL;
}

/* Removes a flat directory of ours and what it holds. */
static int remove_tmpdir(const char *dir)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

/* Temporary directories of vmtests that were killed: TMPDIR/bpfgauge-vmtest-PID-* */
static void remove_stale_tmpdirs(const char *tmp)
{
	char path[PATH_MAX + 256];
	struct dirent *de;
	DIR *d = opendir(tmp);

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;

		if (sscanf(de->d_name, TMP_PREFIX "%d-", &pid) != 1 || kill(pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, de->d_name);
		if (!remove_tmpdir(path))
			fprintf(stderr, "bpfgauge vmtest: removed '%s', left by a vmtest that was "
				"killed\n", path);
	}
	closedir(d);
}

/* The kernel panicked under TCG before the guest's init said anything. */
static bool tcg_boot_panic(const struct qemu_run *q, const struct guest_state *g)
{
	return !strcmp(q->accel, "tcg") && !g->init_ran && q->console.len &&
	       strstr(q->console.buf, "Kernel panic");
}

/*
 * Boots the guest; with --accel auto, on KVM first when /dev/kvm opens, and on TCG when
 * QEMU fails before the guest printed anything (seen: "failed to set MSR ...") or KVM
 * cannot run the guest (seen nested under Firecracker: "KVM internal error" on cmpxchg16b).
 * A kernel that panics during an emulated boot, before the init ran, is booted once more,
 * saying so (seen: "Oops: int3" 1.3 s into one emulated boot of Debian's 7.3 cloud kernel;
 * the 20 boots after it were clean): a fault of the kernel itself panics again, reported.
 */
static int boot(struct qemu_run *q, const char *accel, struct guest_state *g)
{
	bool try_kvm = !strcmp(accel, "kvm") || (!strcmp(accel, "auto") && qemu_kvm_usable());
	char msg[256];
	int err, boots = 0;

	q->accel = try_kvm ? "kvm" : "tcg";
	if (!strcmp(accel, "auto") && !try_kvm)
		fprintf(stderr, "bpfgauge vmtest: /dev/kvm is not usable here: using TCG "
			"(emulation, slower)\n");
	for (;;) {
		fprintf(stderr, "bpfgauge vmtest: booting under %s (%d CPUs, %lu MiB), timeout "
			"%.0f s\n", q->accel, q->cpus, q->mem_mib, q->timeout_s);
		*g = (struct guest_state){ .verbose = g->verbose, .status = -1, .sent = -1,
					   .boots = ++boots };
		unlink(q->serial_file);
		q->console.len = 0;
		err = qemu_run(q);
		if (g->sent < 0 && boots == 1 && tcg_boot_panic(q, g)) {
			fprintf(stderr, "bpfgauge vmtest: the guest kernel panicked during its "
				"emulated boot, before its init ran: booting it once more\n");
			continue;
		}
		if (strcmp(q->accel, "kvm") || strcmp(accel, "auto") ||
		    !((err == -ECHILD && !q->booted) || err == -EFAULT))
			return err;
		if (err == -EFAULT)
			snprintf(msg, sizeof(msg), "KVM internal error after %.0f s", q->seconds);
		else
			qemu_message(q, msg, sizeof(msg));
		fprintf(stderr, "bpfgauge vmtest: QEMU cannot use KVM here (%s): falling back to "
			"TCG (emulation, slower)\n", msg[0] ? msg : "it exited before the guest "
			"started");
		q->accel = "tcg";
	}
}

static json_t *guest_json(const struct qemu_run *q, const struct guest_state *g,
			  const struct guest_kernel *k, const char *qemu_version,
			  const struct kmod_set *mods)
{
	json_t *names = json_array();
	struct utsname u;

	uname(&u);
	for (size_t i = 0; i < mods->n; i++)
		json_array_append_new(names, json_string(mods->mods[i].name));
	return json_pack("{s:b s:s s:s s:s s:s s:s s:i s:I s:o s:f s:i}", "vmtest", 1,
			 "accelerator", q->accel, "kernel_image", k->image,
			 "kernel_version", k->version, "qemu", qemu_version,
			 "host_kernel", u.release, "cpus", q->cpus,
			 "memory_mib", (json_int_t)q->mem_mib, "modules", names,
			 "seconds", q->seconds, "boots", g->boots);
}

int cmd_vmtest(int argc, char **argv)
{
	struct vmtest_opts o;
	char qemu[PATH_MAX], qemu_version[128], why[512], suite_file[PATH_MAX], suite_abs[PATH_MAX];
	char exe[PATH_MAX], tmpdir[PATH_MAX], initrd[PATH_MAX + 32], serial[PATH_MAX + 32];
	char out_path[PATH_MAX], saved[PATH_MAX], tail[160], errbuf[768], append[1024];
	const char *busybox, *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct guest_state g = {};
	struct qemu_run q = { .on_line = guest_on_line, .priv = &g };
	struct guest_kernel k;
	struct kmod_set mods = {};
	struct suite s = {};
	struct initramfs_spec spec;
	json_t *doc = NULL;
	bool made_tmp = false;
	ssize_t n;
	int ret = 2, err;

	err = vmtest_parse_opts(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : 2;
	/* The suite first: a bad one is said before a kernel is fetched or a guest boots. */
	if (suite_path(o.suite, suite_file, sizeof(suite_file))) {
		fprintf(stderr, "bpfgauge vmtest: no suite '%s' (looked for '%s')\n", o.suite,
			suite_file);
		return 2;
	}
	if (suite_load_guest(suite_file, &s, o.cpus, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "bpfgauge vmtest: %s\n", errbuf);
		goto cleanup;
	}
	if (!realpath(suite_file, suite_abs)) {
		fprintf(stderr, "bpfgauge vmtest: cannot resolve '%s': %s\n", suite_file,
			strerror(errno));
		goto cleanup;
	}
	if (qemu_find(qemu, sizeof(qemu), qemu_version, sizeof(qemu_version))) {
		fprintf(stderr, "bpfgauge vmtest: qemu-system-x86_64 not found: run 'make deps'\n");
		goto cleanup;
	}
	busybox = find_busybox();
	if (!busybox) {
		fprintf(stderr, "bpfgauge vmtest: busybox not found: run 'make deps'\n");
		goto cleanup;
	}
	if (guest_kernel_find(o.kernel, o.moddir, &k, why, sizeof(why))) {
		fprintf(stderr, "bpfgauge vmtest: %s\n", why);
		goto cleanup;
	}
	if (o.out) {
		snprintf(out_path, sizeof(out_path), "%s", o.out);
	} else {
		mkdir("results", 0755);
		snprintf(tail, sizeof(tail), "vm-%s", k.release);
		result_default_path(out_path, sizeof(out_path), "results", s.name, tail);
	}
	if (o.out && file_check_output("bpfgauge vmtest", out_path))
		goto cleanup;
	if (o.moddir && access(o.moddir, R_OK | X_OK)) {
		fprintf(stderr, "bpfgauge vmtest: --modules '%s': %s\n", o.moddir, strerror(errno));
		goto cleanup;
	}
	if (!k.moddir[0])
		fprintf(stderr, "bpfgauge vmtest: no modules for %s (no lib/modules/%s next to "
			"'%s' nor in /lib/modules): the guest has only what is built in\n",
			k.release, k.release, k.image);
	else if (kmod_resolve(k.moddir, check_module_names(), &mods, why, sizeof(why))) {
		fprintf(stderr, "bpfgauge vmtest: %s\n", why);
		goto cleanup;
	}
	if (!k.config[0])
		fprintf(stderr, "bpfgauge vmtest: no config-%s next to '%s': the guest's checks "
			"cannot name missing CONFIG_ options\n", k.release, k.image);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		fprintf(stderr, "bpfgauge vmtest: cannot find this binary: %s\n", strerror(errno));
		goto cleanup;
	}
	exe[n] = '\0';

	interrupt_setup();
	remove_stale_tmpdirs(tmp);
	snprintf(tmpdir, sizeof(tmpdir), "%s/" TMP_PREFIX "%d-XXXXXX", tmp, (int)getpid());
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "bpfgauge vmtest: cannot create a directory in '%s': %s\n", tmp,
			strerror(errno));
		goto cleanup;
	}
	made_tmp = true;
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio", tmpdir);
	snprintf(serial, sizeof(serial), "%s/result.json", tmpdir);
	spec = (struct initramfs_spec){ .path = initrd, .busybox = busybox, .bpfgauge = exe,
					.suite = suite_abs, .args = o.args, .kernel = &k,
					.mods = &mods };
	if (initramfs_build(&spec, why, sizeof(why))) {
		fprintf(stderr, "bpfgauge vmtest: %s\n", why);
		goto cleanup;
	}
	fprintf(stderr, "bpfgauge vmtest: %s, suite '%s'%s%s, %zu module%s to load%s%s\n",
		k.release, s.name, o.args[0] ? ", " : "", o.args, mods.n, mods.n == 1 ? "" : "s",
		mods.builtin[0] ? "; built in: " : "", mods.builtin);
	/* A panic, or an oops (which may leave the guest hung), ends the guest at once. */
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 oops=panic printk.time=1%s%s%s",
		 o.verbose ? "" : " loglevel=4", o.append ? " " : "", o.append ? o.append : "");
	q.qemu = qemu;
	q.kernel = k.image;
	q.initrd = initrd;
	q.append = append;
	q.serial_file = serial;
	q.cpus = o.cpus;
	q.mem_mib = o.mem_mib;
	q.timeout_s = o.timeout_s;
	g.verbose = o.verbose;
	err = boot(&q, o.accel, &g);
	if (err == -EINTR || interrupted()) {
		fprintf(stderr, "bpfgauge vmtest: interrupted: the guest was stopped\n");
		ret = 130;
		goto cleanup;
	}
	if (err || g.sent < 0) {
		guest_explain_failure(&q, &g, err);
		goto cleanup;
	}
	doc = guest_result(serial, &g);
	if (!doc)
		goto cleanup;
	json_object_set_new(json_object_get(doc, "environment"), "guest",
			    guest_json(&q, &g, &k, qemu_version, &mods));
	if (result_save("bpfgauge vmtest", doc, out_path, o.out ? 0 : FILE_SAVE_ANY_NAME, saved,
			sizeof(saved)))
		goto cleanup;
	printf("\nresult: %s (guest %s under %s, %.1f s)\n", saved, k.release, q.accel,
	       q.seconds);
	/* The guest's verdict: 1 when a required check did not pass there. */
	ret = g.status == 1 ? 1 : 0;
cleanup:
	if (made_tmp && (err = remove_tmpdir(tmpdir)))
		fprintf(stderr, "bpfgauge vmtest: '%s' not removed: %s\n", tmpdir, strerror(-err));
	json_decref(doc);
	qemu_release(&q);
	kmod_set_release(&mods);
	suite_release(&s);
	return ret;
}
