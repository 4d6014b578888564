// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <jansson.h>

#include "fio_output.h"

static int number(json_t *obj, const char *key, double *v)
{
	json_t *j = json_object_get(obj, key);

	if (!json_is_number(j))
		return -EINVAL;
	*v = json_number_value(j);
	return 0;
}

int fio_output_parse(const char *text, size_t len, const char *dir, struct fio_summary *s)
{
	json_t *doc, *job, *io, *clat, *pct;
	double runtime_ms, error;
	int err;

	memset(s, 0, sizeof(*s));
	doc = json_loadb(text, len, 0, NULL);
	if (!doc)
		return -EINVAL;
	job = json_array_get(json_object_get(doc, "jobs"), 0);
	io = json_object_get(job, dir);
	clat = json_object_get(io, "clat_ns");
	pct = json_object_get(clat, "percentile");
	err = number(job, "error", &error);
	if (!err && error != 0) {
		err = -EIO;
		goto out;
	}
	if (!err)
		err = number(io, "total_ios", &s->ios);
	if (!err)
		err = number(io, "iops", &s->iops);
	if (!err)
		err = number(io, "bw", &s->bw_kib_s);
	if (!err)
		err = number(io, "runtime", &runtime_ms);
	if (!err)
		err = number(clat, "mean", &s->clat_mean_ns);
	if (!err)
		err = number(pct, "50.000000", &s->clat_p50_ns);
	if (!err)
		err = number(pct, "99.000000", &s->clat_p99_ns);
	if (!err)
		s->runtime_s = runtime_ms / 1e3;
out:
	json_decref(doc);
	if (err)
		memset(s, 0, sizeof(*s));
	return err;
}
