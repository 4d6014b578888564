// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/fileio.h"
#include "result.h"

int result_write(json_t *doc, const char *path)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int err;

	if (!text)
		return -ENOMEM;
	err = file_write_new(path, text, strlen(text));
	free(text);
	return err;
}

int result_save(const char *who, json_t *doc, const char *path, unsigned int flags, char *saved,
		size_t sz)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	int err;

	if (!text) {
		fprintf(stderr, "%s: cannot write '%s': out of memory\n", who, path);
		return -ENOMEM;
	}
	err = file_save(who, path, flags, text, strlen(text), saved, sz);
	free(text);
	return err;
}

void result_default_path(char *buf, size_t sz, const char *dir, const char *name,
			 const char *tail)
{
	char when[32], host[64] = "host";
	time_t now = time(NULL);

	if (!tail) {
		gethostname(host, sizeof(host) - 1);
		host[strcspn(host, "/ ")] = '\0';
		tail = host;
	}
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", gmtime(&now));
	snprintf(buf, sz, "%s/%s%s%s-%s.json", dir, name ? name : "", name ? "-" : "", when, tail);
}
