/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result files are written atomically and never overwritten: the data goes to a temporary
 * file in the same directory, is synced, and is linked to its name only if that name is free
 * (link() refuses any name that exists, a dangling symbolic link too).
 *
 *   file_write_new(path, data, len)   0, -EEXIST when path exists, or another -errno
 *   file_check_new(path)              0 when file_write_new could create path, else -errno
 *                                     (-EEXIST for a symbolic link, even a dangling one)
 *
 * A command that writes after long work (run, calibrate, cost, vmtest, profile, probe and
 * compare --junit) must not lose that work at the last step:
 *
 *   file_check_output(who, path)      file_check_new, saying why not on stderr ("WHO: cannot
 *                                     write 'PATH': ..."): called before any work starts
 *   file_save(who, path, flags, data, len, saved, sz)
 *                                     writes data to path; 0 with saved = path, or with
 *                                     FILE_SAVE_ANY_NAME (a default name, not the user's) the
 *                                     first free of path, PATH-2, PATH-3... (the number goes
 *                                     before the extension: quick-T-host-2.json), so that
 *                                     commands started in the same second each get a file of
 *                                     their own. When path cannot be written (made by another
 *                                     process meanwhile, no space, no permission, its
 *                                     directory gone), the data is saved all the same: to the
 *                                     first free PATH-N next to it when path was taken, else
 *                                     to $TMPDIR (or /tmp) under path's base name; one line on
 *                                     stderr says where, saved holds it ("" when even that
 *                                     failed) and the -errno of path is returned, for the
 *                                     command to exit 2.
 *
 * The name is checked at the start and not held. Holding it would mean an empty file made
 * with O_EXCL at the start and replaced by rename() at the end: that file would sit where a
 * result is expected for the whole run (compare, history and shell globs would find a file
 * that is no result), a killed run would leave it behind, and rename() replaces whatever has
 * the name by then, which breaks "never overwritten" if anything replaced the placeholder. A
 * name checked at the start, linked only if still free and the data saved under another name
 * if not, leaves no partial file anywhere and loses nothing.
 *
 * Input files are read whole:
 *
 *   file_read_all(path, max, &data, &len)   the whole file (a pipe's or /proc file's too),
 *                                     NUL-terminated and malloc'd in *data: 0, -EISDIR for a
 *                                     directory, -EFBIG when longer than max bytes (0: no
 *                                     limit), or another -errno
 */
#ifndef BPFGAUGE_FILEIO_H
#define BPFGAUGE_FILEIO_H

#include <stddef.h>

#define FILE_SAVE_ANY_NAME 1u	/* path is a default: PATH-N when it is taken */
#define FILE_SAVE_TRIES 100	/* PATH-2 ... PATH-100 */

int file_write_new(const char *path, const char *data, size_t len);
int file_check_new(const char *path);
int file_check_output(const char *who, const char *path);
int file_save(const char *who, const char *path, unsigned int flags, const char *data,
	      size_t len, char *saved, size_t sz);
int file_read_all(const char *path, size_t max, char **data, size_t *len);

#endif
