// SPDX-License-Identifier: GPL-2.0
/* Folded stacks and the SVG flame graph drawn from them: pure logic, no kernel needed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/strbuf.h"
#include "profile/flamegraph.h"
#include "profile/folded.h"
#include "profile/profile_share.h"
#include "support.h"

Test(folded, sums_identical_stacks_and_round_trips)
{
	struct folded *f = folded_new(), *g = folded_new();
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(folded_parse(f, "a;b 1\na;c 3\na;b 2\n\n"), 0);
	cr_assert_eq(f->nr, 2);
	cr_assert_eq(folded_total(f), 6);
	folded_sort(f);
	folded_format(f, &sb);
	cr_assert_str_eq(sb.buf, "a;b 3\na;c 3\n");
	cr_assert_eq(folded_parse(g, sb.buf), 0);
	cr_assert_eq(g->nr, 2);
	cr_assert_eq(folded_add(g, "a;c", 1), 0, "sums after sorting too");
	cr_assert_eq(g->nr, 2);
	cr_assert_eq(folded_total(g), 7);
	cr_assert_eq(folded_parse(g, "no count\n"), -EINVAL);
	cr_assert_eq(folded_parse(g, "x;y 12z\n"), -EINVAL);
	strbuf_release(&sb);
	folded_free(f);
	folded_free(g);
}

/* A profile where nothing was sampled (off-CPU, every stretch shorter than --min-block): no
 * lines, a flame graph that says so, no frames for --json. */
Test(folded, nothing_sampled)
{
	struct folded *f = folded_new(), *nodes;
	struct strbuf sb = STRBUF_INIT;
	struct flamegraph_opts o = { .title = "t", .unit = "us" };
	json_t *frames;

	cr_assert_eq(folded_parse(f, ""), 0);
	folded_sort(f);
	cr_assert_eq(folded_total(f), 0);
	folded_format(f, &sb);
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(flamegraph_svg(f, &o, &sb), 0);
	cr_assert(strstr(sb.buf, ">no stacks were recorded</text>"), "%s", sb.buf);
	nodes = share_nodes(f);
	cr_assert_not_null(nodes);
	frames = share_json(nodes, 0, true);
	cr_assert(json_is_array(frames) && !json_array_size(frames));
	json_decref(frames);
	folded_free(nodes);
	strbuf_release(&sb);
	folded_free(f);
}

Test(folded, frame_names_cannot_break_the_format)
{
	struct strbuf sb = STRBUF_INIT;

	folded_frame_push(&sb, "comm");
	folded_frame_push(&sb, "operator;weird\nname");
	cr_assert_str_eq(sb.buf, "comm;operator:weird?name");
	strbuf_release(&sb);
}

struct svg_frame {
	double x, width;
	char fill[32];
};

/* The rect that follows '<title>NAME (' in svg. */
static struct svg_frame svg_frame(const char *svg, const char *name)
{
	char needle[128];
	const char *p;
	struct svg_frame fr = {};

	snprintf(needle, sizeof(needle), "<title>%s (", name);
	p = strstr(svg, needle);
	cr_assert_not_null(p, "no frame '%s'", name);
	p = strstr(p, "<rect ");
	cr_assert_eq(sscanf(p, "<rect x=\"%lf\" y=\"%*f\" width=\"%lf\" height=\"%*d\" "
			    "fill=\"%31[^\"]", &fr.x, &fr.width, fr.fill), 3, "rect: %.80s", p);
	return fr;
}

Test(flamegraph, widths_are_proportional_and_one_rect_per_frame)
{
	struct folded *f = folded_new();
	struct strbuf sb = STRBUF_INIT;
	struct flamegraph_opts o = { .title = "t", .unit = "samples", .width = 1020 };
	struct svg_frame all, a, b, c, d;


	cr_assert_eq(folded_parse(f, "p;a;b 30\np;a;c 10\np;d 60\n"), 0);
	cr_assert_eq(flamegraph_svg(f, &o, &sb), 0);
	/* all, p, a, b, c, d */
	cr_assert_eq(occurrences(sb.buf, "<rect "), 6);
	all = svg_frame(sb.buf, "all");
	a = svg_frame(sb.buf, "a");
	b = svg_frame(sb.buf, "b");
	c = svg_frame(sb.buf, "c");
	d = svg_frame(sb.buf, "d");
	cr_assert_float_eq(all.width, 1000, 0.01, "width minus 2 x 10 px of margin");
	cr_assert_float_eq(a.width, 400, 0.01);
	cr_assert_float_eq(b.width, 300, 0.01);
	cr_assert_float_eq(c.x, b.x + b.width, 0.01, "siblings side by side, in name order");
	cr_assert_float_eq(d.x, a.x + a.width, 0.01);
	cr_assert(strstr(sb.buf, "<title>d (60 samples, 60.00%)</title>"));
	/* Warm palette: red dominates blue in every rect. */
	for (const char *p = sb.buf; (p = strstr(p, "fill=\"rgb(")); p++) {
		int r, g, bl;

		cr_assert_eq(sscanf(p, "fill=\"rgb(%d,%d,%d)", &r, &g, &bl), 3);
		cr_assert_gt(r, bl, "warm: %.30s", p);
	}
	strbuf_release(&sb);
	folded_free(f);
}

Test(flamegraph, cool_palette_escaping_and_labels)
{
	struct folded *f = folded_new();
	struct strbuf sb = STRBUF_INIT;
	struct flamegraph_opts o = { .title = "off <cpu>", .unit = "us", .cool = true };
	char path[] = "/tmp/bpfgauge-fg-XXXXXX", cmd[128], *out;
	int fd, status, r, g, b;
	const char *p;

	cr_assert_eq(folded_add(f, "sh;operator<&>\"'\xff;leaf", 999), 0);
	cr_assert_eq(folded_add(f, "sh;a_rather_long_function_name_that_cannot_fit_here", 1), 0);
	cr_assert_eq(flamegraph_svg(f, &o, &sb), 0);
	/* Every rect blue: blue dominates red. */
	for (p = sb.buf; (p = strstr(p, "fill=\"rgb(")); p++) {
		cr_assert_eq(sscanf(p, "fill=\"rgb(%d,%d,%d)", &r, &g, &b), 3);
		cr_assert_gt(b, r, "cool: %.30s", p);
	}
	cr_assert(strstr(sb.buf, "operator&lt;&amp;&gt;&quot;&apos;?"), "escaped and valid UTF-8");
	/* 1 us of 1000 at 1180 px is about 1 px: no room for a label. */
	cr_assert_null(strstr(sb.buf, "\">a_rather"), "a label (not the title)");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, sb.buf, sb.len), (ssize_t)sb.len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "xmllint --noout %s 2>&1", path);
	out = sh(cmd, &status);
	cr_assert_eq(status, 0, "xmllint: %s", out);
	free(out);
	unlink(path);
	strbuf_release(&sb);
	folded_free(f);
}

Test(flamegraph, long_names_are_cut_to_fit)
{
	struct folded *f = folded_new();
	struct strbuf sb = STRBUF_INIT;
	struct flamegraph_opts o = { .title = "t", .unit = "samples", .width = 220 };
	const char *name = "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz";
	char stack[128];

	snprintf(stack, sizeof(stack), "x;%s", name);
	cr_assert_eq(folded_add(f, stack, 1), 0);
	cr_assert_eq(flamegraph_svg(f, &o, &sb), 0);
	/* 200 px at 7 px a character: 27 characters, the last two '..'. */
	cr_assert(strstr(sb.buf, "\">abcdefghijklmnopqrstuvwxy..</text>"), "%s", sb.buf);
	strbuf_release(&sb);
	folded_free(f);
}
