// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
