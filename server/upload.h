/*
 * motcua — upload: attachment bytes on disk, named by their SHA-256.
 *
 * Layout under the configured upload_dir: "tmp/" holds files being
 * received; a stored file lives at "ab/abcdef…" (the first two hex digits
 * of its SHA-256 as a folder, then the whole digest). Identical files are
 * stored once. Storing is two-phase so the slow part stays off the writer
 * thread: upload_stage() writes and fsyncs a temporary file on the HTTP
 * thread; upload_commit() renames it into place from the writer job that
 * records the row (a rename is atomic and quick). Removing a file whose
 * last row is gone also happens in a writer job, so it cannot race with a
 * job that stores the same content again.
 *
 * Paths are built only from the configured folder and a checked hex
 * digest, never from a name a client sent.
 *
 * Ownership: upload_read gives a malloc'd buffer to free(). Other outputs
 * go into caller buffers.
 */
#ifndef MOTCUA_UPLOAD_H
#define MOTCUA_UPLOAD_H

#include <stddef.h>

#include "error.h"

#define UPLOAD_SHA_HEX 65	/* 64 hex digits and the NUL */
#define UPLOAD_PATH_MAX 1200

/* SHA-256 of data as lower-case hex. */
void upload_sha256(const void *data, size_t len, char hex[UPLOAD_SHA_HEX]);
/* 1 if s is 64 lower-case hex digits. */
int upload_sha_valid(const char *s);

/* Write data to a new file under dir/tmp (folders made as needed, mode
 * 0700) and fsync it. Fills its digest and path. When a file with this
 * digest is stored already nothing is written and tmp is "" (commit then
 * only checks it is still there). 0 ok; -1 with err (507 "storage_full"
 * when the disk is full, 500 otherwise). */
int upload_stage(const char *dir, const void *data, size_t len, char sha_hex[UPLOAD_SHA_HEX],
		 char *tmp, size_t n, struct api_error *err);
/* Move a staged file to its stored name; if the content is stored
 * already, the staged copy is dropped. With tmp "" (see upload_stage) the
 * stored file must still exist: 503 "storage_error" otherwise. 0 ok, -1
 * with err. */
int upload_commit(const char *dir, const char *tmp, const char *sha_hex, struct api_error *err);
/* Remove a staged file that was not committed (nothing if it is gone). */
void upload_discard(const char *tmp);
/* Remove a stored file. 0 removed or absent, -1 error (logged). */
int upload_remove(const char *dir, const char *sha_hex);
/* Read a stored file, checking its size and digest against the record.
 * 1 ok (*data malloc'd, *len set), 0 missing, -1 unreadable or altered. */
int upload_read(const char *dir, const char *sha_hex, size_t size, char **data, size_t *len);

#endif
