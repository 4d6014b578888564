// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian_kernel.h"
#include "lib/numbers.h"
#include "run/suite.h"
#include "vmtest_opts.h"

static const char vmtest_usage[] =
	"usage: bpfgauge vmtest --kernel IMAGE|debian:SUITE[:PACKAGE] [--suite SUITE]\n"
	"                       [-o FILE] [--mem SIZE] [--cpus N]\n"
	"                       [--accel auto|kvm|tcg] [--timeout S] [--modules DIR] [--reps N]\n"
	"                       [--seconds S] [--intrusive] [--append ARGS] [-v]\n"
	"\n"
	"Run a suite on another kernel without rebooting: boot IMAGE in a QEMU guest with an\n"
	"initramfs built on the fly (a static busybox, this bpfgauge binary and the libraries\n"
	"it links, the suite, the kernel's config and the modules it needs), run\n"
	"'bpfgauge run SUITE' inside, and write the guest's result here. The result is a normal\n"
	"one, with the guest's own environment and environment.guest saying how it ran\n"
	"(docs/vmtest.md), ready for 'bpfgauge compare'.\n"
	"\n"
	"  --kernel IMAGE      the x86 kernel image (bzImage) to boot, e.g. boot/vmlinuz-* of an\n"
	"                      extracted linux-image package ('make vmtest-kernels' fetches those\n"
	"                      of ci/kernels.txt into build/kernels/)\n"
	"  --kernel debian:SUITE[:PACKAGE]   a Debian suite's kernel (PACKAGE: default\n"
	"                      linux-image-cloud-amd64), fetched into build/kernels/ with\n"
	"                      ci/fetch-kernel.sh (its own apt lists; the machine's sources are\n"
	"                      left alone) and cached there: debian:sid, debian:trixie-backports,\n"
	"                      debian:bookworm:linux-image-6.1.0-57-cloud-amd64\n"
	"  --suite SUITE       a suite name or .suite path (default: probe, the checks only;\n"
	"                      benchmarks under TCG emulation measure the emulator)\n"
	"  -o, --output FILE   where to write the result (a new file; default\n"
	"                      results/SUITE-TIME-vm-RELEASE.json, numbered -2 and on when\n"
	"                      taken). Never overwritten: when FILE cannot be written at the\n"
	"                      end, the result is saved to FILE-2 or $TMPDIR, said on stderr\n"
	"                      (exit 2)\n"
	"  --mem SIZE          guest memory, e.g. 2G or 1536M (default 2G)\n"
	"  --cpus N            guest CPUs (default 2)\n"
	"  --accel A           kvm, tcg or auto (default): KVM when /dev/kvm opens and QEMU can\n"
	"                      use it, else TCG (emulation, slower), with a notice\n"
	"  --timeout S         stop the guest after S seconds (default 900) and fail with the\n"
	"                      last lines of its console\n"
	"  --modules DIR       the kernel's module directory (default: lib/modules/RELEASE of\n"
	"                      the package IMAGE comes from, else /lib/modules/RELEASE)\n"
	"  --reps N, --seconds S   passed on to 'bpfgauge run'\n"
	"  --intrusive         passed on to 'bpfgauge run': the checks that change the whole\n"
	"                      machine while they run (sched_ext replaces the scheduler) run\n"
	"                      too; a throwaway guest is the place for them\n"
	"  --append ARGS       more kernel command-line arguments (e.g. 'mitigations=off')\n"
	"  -v, --verbose       print the guest's whole console (the kernel's log too)\n"
	"\n"
	"examples:\n"
	"  make vmtest-kernels\n"
	"  bpfgauge vmtest --kernel \\\n"
	"      build/kernels/linux-image-6.1.0-56-cloud-amd64/boot/vmlinuz-6.1.0-56-cloud-amd64\n"
	"  bpfgauge vmtest --kernel /boot/vmlinuz-6.12.38+deb13-amd64 --accel kvm --suite quick\n"
	"                             benchmarks too, where KVM works (under TCG they measure\n"
	"                             the emulator)\n"
	"  bpfgauge vmtest --kernel debian:sid        the newest kernel Debian has\n"
	"  ci/vmtest-kernels.sh       every kernel of ci/kernels.txt, then one matrix\n"
	"\n"
	"Needs qemu-system-x86_64 and busybox-static ('make deps'). Exit: 0; 1 when a check the\n"
	"suite requires did not pass or a benchmark broke in the guest; 2 on bad usage or\n"
	"input, a missing tool, a guest that panics, hangs past --timeout or sends no result\n"
	"(with the last lines of its console); 130 when interrupted (the guest is stopped,\n"
	"nothing is left behind).\n";

static int bad(const char *opt, const char *takes, const char *arg)
{
	fprintf(stderr, "bpfgauge vmtest: --%s takes %s, not '%s'\n", opt, takes, arg);
	return -EINVAL;
}

/* "2G", "1536M", "1536": MiB, at least 128. */
static int parse_mem(const char *text, unsigned long *mib)
{
	const char *unit;
	double v;

	if (parse_double_unit(text, &v, &unit))
		return -EINVAL;
	if (!strcmp(unit, "G") || !strcmp(unit, "g"))
		v *= 1024;
	else if (!strcmp(unit, "K") || !strcmp(unit, "k"))
		v /= 1024;
	else if (*unit && strcmp(unit, "M") && strcmp(unit, "m"))
		return -EINVAL;
	if (!(v >= 128) || v > 1024 * 1024)
		return -EINVAL;
	*mib = (unsigned long)v;
	return 0;
}

/* A flag for 'bpfgauge run' in the guest. */
static void add_run_flag(struct vmtest_opts *o, const char *name)
{
	size_t used = strlen(o->args);

	if (!strstr(o->args, name))
		snprintf(o->args + used, sizeof(o->args) - used, "%s--%s", used ? " " : "", name);
}

/*
 * --reps and --seconds go to 'bpfgauge run' in the guest, as they are, once they pass its
 * rules here: a guest that boots to refuse them would waste its boot.
 */
static int add_run_arg(struct vmtest_opts *o, const char *name, const char *arg)
{
	size_t used = strlen(o->args);
	char takes[64];
	double seconds;
	int reps;

	snprintf(takes, sizeof(takes), "a whole number from 1 to %d", SUITE_MAX_REPS);
	if (!strcmp(name, "reps") && parse_int(arg, 1, SUITE_MAX_REPS, &reps))
		return bad(name, takes, arg);
	if (!strcmp(name, "seconds") && parse_seconds(arg, &seconds))
		return bad(name, "a number above 0 and up to 3600", arg);
	snprintf(o->args + used, sizeof(o->args) - used, "%s--%s %s", used ? " " : "", name, arg);
	return 0;
}

int vmtest_parse_opts(int argc, char **argv, struct vmtest_opts *o)
{
	enum { OPT_KERNEL = 256, OPT_SUITE, OPT_MEM, OPT_CPUS, OPT_ACCEL, OPT_TIMEOUT, OPT_MODULES,
	       OPT_REPS, OPT_SECONDS, OPT_APPEND, OPT_INTRUSIVE };
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "suite", required_argument, NULL, OPT_SUITE },
		{ "output", required_argument, NULL, 'o' },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "accel", required_argument, NULL, OPT_ACCEL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "modules", required_argument, NULL, OPT_MODULES },
		{ "reps", required_argument, NULL, OPT_REPS },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "append", required_argument, NULL, OPT_APPEND },
		{ "intrusive", no_argument, NULL, OPT_INTRUSIVE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{},
	};
	int opt;

	*o = (struct vmtest_opts){ .suite = "probe", .accel = "auto", .mem_mib = 2048, .cpus = 2,
				   .timeout_s = 900 };
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: o->kernel = optarg; break;
		case OPT_SUITE: o->suite = optarg; break;
		case 'o': o->out = optarg; break;
		case OPT_MODULES: o->moddir = optarg; break;
		case OPT_APPEND: o->append = optarg; break;
		case OPT_INTRUSIVE: add_run_flag(o, "intrusive"); break;
		case 'v': o->verbose = true; break;
		case 'h': fputs(vmtest_usage, stdout); return 1;
		case OPT_MEM:
			if (parse_mem(optarg, &o->mem_mib))
				return bad("mem", "a size of at least 128M, like 2G or 1536M",
					   optarg);
			break;
		case OPT_CPUS:
			if (parse_int(optarg, 1, 64, &o->cpus))
				return bad("cpus", "a number from 1 to 64", optarg);
			break;
		case OPT_ACCEL:
			if (strcmp(optarg, "auto") && strcmp(optarg, "kvm") &&
			    strcmp(optarg, "tcg"))
				return bad("accel", "auto, kvm or tcg", optarg);
			o->accel = optarg;
			break;
		case OPT_TIMEOUT:
			if (parse_double(optarg, 1, 86400, &o->timeout_s))
				return bad("timeout", "seconds from 1 to 86400", optarg);
			break;
		case OPT_REPS:
			if (add_run_arg(o, "reps", optarg))
				return -EINVAL;
			break;
		case OPT_SECONDS:
			if (add_run_arg(o, "seconds", optarg))
				return -EINVAL;
			break;
		default:
			fprintf(stderr, "bpfgauge vmtest: unknown option '%s'; see 'bpfgauge "
				"vmtest --help'\n", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bpfgauge vmtest: unexpected argument '%s'; see 'bpfgauge vmtest "
			"--help'\n", argv[optind]);
		return -EINVAL;
	}
	if (!o->kernel) {
		fprintf(stderr, "bpfgauge vmtest: which kernel? --kernel IMAGE is required; see "
			"'bpfgauge vmtest --help'\n");
		return -EINVAL;
	}
	if (debian_kernel_is(o->kernel)) {
		static char image[PATH_MAX];
		char err[PATH_MAX + 256];
		int ret = debian_kernel_fetch(o->kernel, image, sizeof(image), err, sizeof(err));

		if (ret) {
			fprintf(stderr, "bpfgauge vmtest: %s\n", err);
			return ret == -EINVAL ? -EINVAL : -EIO;
		}
		o->kernel = image;
	}
	return 0;
}
