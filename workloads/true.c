// SPDX-License-Identifier: GPL-2.0
/*
 * true-static: exits 0 at once. Built static, so that an exec of it costs the kernel's fork,
 * exec and exit paths and no dynamic loading (the fork-exec workload).
 */
int main(void)
{
	return 0;
}
