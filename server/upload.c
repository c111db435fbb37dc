/*
 * motcua — upload: staging, storing, reading and removing attachment files.
 */
#include "upload.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

void upload_sha256(const void *data, size_t len, char hex[UPLOAD_SHA_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, UPLOAD_SHA_HEX, h, sizeof(h));
}

int upload_sha_valid(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* mkdir -p with mode 0700; 0 ok, -1 (errno set). */
static int make_dirs(const char *path)
{
	char p[UPLOAD_PATH_MAX];
	if (strlcpy_(p, path, sizeof(p)) >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int io_error(struct api_error *err, const char *what, const char *path)
{
	int e = errno;
	log_kv(LOG_ERROR, "upload", "op", what, "path", path, "error", strerror(e), NULL);
	if (e == ENOSPC || e == EDQUOT)
		return api_error_set(err, 507, "storage_full", NULL, "The server has no room to store the file.");
	return api_error_set(err, 500, "storage_error", NULL, "The file could not be stored.");
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* dir/ab and dir/ab/<sha>. */
static int stored_path(const char *dir, const char *sha, char folder[UPLOAD_PATH_MAX],
		       char path[UPLOAD_PATH_MAX])
{
	if (!upload_sha_valid(sha))
		return -1;
	if ((size_t)snprintf(folder, UPLOAD_PATH_MAX, "%s/%.2s", dir, sha) >= UPLOAD_PATH_MAX
	    || (size_t)snprintf(path, UPLOAD_PATH_MAX, "%s/%s", folder, sha) >= UPLOAD_PATH_MAX)
		return -1;
	return 0;
}

int upload_stage(const char *dir, const void *data, size_t len, char sha_hex[UPLOAD_SHA_HEX],
		 char *tmp, size_t n, struct api_error *err)
{
	char folder[UPLOAD_PATH_MAX];
	char path[UPLOAD_PATH_MAX];
	struct stat sb;
	const char *p = data;
	upload_sha256(data, len, sha_hex);
	if (n > 0)
		*tmp = '\0';
	/* Stored already (the same form sent twice, the seeder's sample file):
	 * nothing to write; upload_commit() checks it is still there. */
	if (stored_path(dir, sha_hex, folder, path) == 0 && stat(path, &sb) == 0
	    && sb.st_size == (off_t)len)
		return 0;
	snprintf(folder, sizeof(folder), "%s/tmp", dir);
	if (make_dirs(folder) != 0)
		return io_error(err, "mkdir", folder);
	if ((size_t)snprintf(tmp, n, "%s/up-XXXXXX", folder) >= n)
		return api_error_set(err, 500, "storage_error", NULL, "The upload folder path is too long.");
	int fd = mkstemp(tmp);
	if (fd < 0)
		return io_error(err, "create", tmp);
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			io_error(err, "write", tmp);
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0) {
		io_error(err, "fsync", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return 0;
}

int upload_commit(const char *dir, const char *tmp, const char *sha_hex, struct api_error *err)
{
	char folder[UPLOAD_PATH_MAX], path[UPLOAD_PATH_MAX];
	struct stat sb;
	if (stored_path(dir, sha_hex, folder, path) != 0)
		return api_error_set(err, 500, "storage_error", NULL, "Bad file digest.");
	if (!tmp || !*tmp) {
		if (stat(path, &sb) == 0)
			return 0;
		/* removed since it was staged: the caller's job fails whole */
		return api_error_set(err, 503, "storage_error", NULL,
				     "The file could not be stored; please send it again.");
	}
	if (make_dirs(folder) != 0)
		return io_error(err, "mkdir", folder);
	if (stat(path, &sb) == 0) {
		/* Same digest, same content: keep the stored copy. */
		unlink(tmp);
		return 0;
	}
	if (rename(tmp, path) != 0)
		return io_error(err, "rename", path);
	sync_dir(folder);
	return 0;
}

void upload_discard(const char *tmp)
{
	if (tmp && *tmp)
		unlink(tmp);
}

int upload_remove(const char *dir, const char *sha_hex)
{
	char folder[UPLOAD_PATH_MAX], path[UPLOAD_PATH_MAX];
	if (stored_path(dir, sha_hex, folder, path) != 0)
		return -1;
	if (unlink(path) != 0 && errno != ENOENT) {
		log_kv(LOG_ERROR, "upload", "op", "remove", "path", path, "error", strerror(errno), NULL);
		return -1;
	}
	return 0;
}

int upload_read(const char *dir, const char *sha_hex, size_t size, char **data, size_t *len)
{
	char folder[UPLOAD_PATH_MAX], path[UPLOAD_PATH_MAX], got[UPLOAD_SHA_HEX];
	struct stat sb;
	int rc = -1, fd = -1;
	char *buf = NULL;
	*data = NULL;
	*len = 0;
	if (stored_path(dir, sha_hex, folder, path) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT ? 0 : -1;
		goto out;
	}
	if (fstat(fd, &sb) != 0 || (size_t)sb.st_size != size)
		goto out;
	buf = xmalloc(size ? size : 1);
	size_t have = 0;
	while (have < size) {
		ssize_t r = read(fd, buf + have, size - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto out;
		have += (size_t)r;
	}
	upload_sha256(buf, size, got);
	if (strcmp(got, sha_hex) != 0) {
		log_kv(LOG_ERROR, "upload", "op", "read", "path", path, "error", "digest mismatch", NULL);
		goto out;
	}
	*data = buf;
	*len = size;
	buf = NULL;
	rc = 1;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}
