/*
 * motcua — walbuf: the log-write gathering VFS (see walbuf.h).
 */
#include "walbuf.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A group commit of a few hundred pages, written in 64 KiB calls. */
#define WALBUF_SIZE (2u << 20)
#define WALBUF_CHUNK ((size_t)64 << 10)

struct wb_file {
	sqlite3_file base;		/* must come first: SQLite's view */
	sqlite3_file *real;		/* the default VFS's file, after this */
	const char *dbname;		/* main file: the pager's name */
	struct wb_file *wal;		/* main file: its open log, or NULL */
	struct wb_file *owner;		/* log: its main file, or NULL */
	struct wb_file *next;		/* registry of open main files */
	int is_wal;
	unsigned char *buf;		/* log: the pending run, WALBUF_SIZE */
	size_t len;			/* bytes pending at offset off */
	sqlite3_int64 off;
	int err;			/* a failed flush not yet reported */
};

static sqlite3_vfs vfs;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int registered = -1;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wb_file *mains;

static sqlite3_vfs *real_vfs(void)
{
	return vfs.pAppData;
}

static struct wb_file *wb(sqlite3_file *f)
{
	return (struct wb_file *)f;
}

/* Write the pending run. Keeps a failure for the next call to report.
 * The unix VFS writes at most 128 KiB - 1 per call (a larger count is
 * masked, and a multiple of 128 KiB becomes 0 and reads as "disk full"),
 * so the run goes in chunks. */
static int flush(struct wb_file *p)
{
	int rc = SQLITE_OK;
	for (size_t at = 0; at < p->len && rc == SQLITE_OK; at += WALBUF_CHUNK) {
		size_t n = p->len - at < WALBUF_CHUNK ? p->len - at : WALBUF_CHUNK;
		rc = p->real->pMethods->xWrite(p->real, p->buf + at, (int)n,
					       p->off + (sqlite3_int64)at);
	}
	p->len = 0;
	if (rc != SQLITE_OK && p->err == SQLITE_OK)
		p->err = rc;
	return rc;
}

/* Flush, then hand over (and clear) any failure kept from before. */
static int settle(struct wb_file *p)
{
	flush(p);
	int rc = p->err;
	p->err = SQLITE_OK;
	return rc;
}

/* ---- file methods ---------------------------------------------------------- */

static int wb_close(sqlite3_file *f)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	pthread_mutex_lock(&registry_lock);
	if (p->is_wal && p->owner)
		p->owner->wal = NULL;
	if (!p->is_wal) {
		for (struct wb_file **q = &mains; *q; q = &(*q)->next)
			if (*q == p) {
				*q = p->next;
				break;
			}
		if (p->wal)
			p->wal->owner = NULL;
	}
	pthread_mutex_unlock(&registry_lock);
	int crc = p->real->pMethods->xClose(p->real);
	free(p->buf);
	p->buf = NULL;
	return rc != SQLITE_OK ? rc : crc;
}

static int wb_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : p->real->pMethods->xRead(p->real, out, n, off);
}

static int wb_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
	struct wb_file *p = wb(f);
	if (!p->buf)
		return p->real->pMethods->xWrite(p->real, data, n, off);
	if (p->len && off == p->off + (sqlite3_int64)p->len && p->len + (size_t)n <= WALBUF_SIZE) {
		memcpy(p->buf + p->len, data, (size_t)n);
		p->len += (size_t)n;
		return SQLITE_OK;
	}
	int rc = settle(p);
	if (rc != SQLITE_OK)
		return rc;
	if ((size_t)n > WALBUF_CHUNK)
		return p->real->pMethods->xWrite(p->real, data, n, off);
	memcpy(p->buf, data, (size_t)n);
	p->len = (size_t)n;
	p->off = off;
	return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : p->real->pMethods->xTruncate(p->real, size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : p->real->pMethods->xSync(p->real, flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : p->real->pMethods->xFileSize(p->real, size);
}

static int wb_lock(sqlite3_file *f, int level)
{
	return wb(f)->real->pMethods->xLock(wb(f)->real, level);
}

static int wb_unlock(sqlite3_file *f, int level)
{
	return wb(f)->real->pMethods->xUnlock(wb(f)->real, level);
}

static int wb_check_reserved(sqlite3_file *f, int *out)
{
	return wb(f)->real->pMethods->xCheckReservedLock(wb(f)->real, out);
}

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
	struct wb_file *p = wb(f);
	int rc = p->is_wal ? settle(p) : SQLITE_OK;
	return rc != SQLITE_OK ? rc : p->real->pMethods->xFileControl(p->real, op, arg);
}

static int wb_sector_size(sqlite3_file *f)
{
	return wb(f)->real->pMethods->xSectorSize(wb(f)->real);
}

static int wb_device(sqlite3_file *f)
{
	return wb(f)->real->pMethods->xDeviceCharacteristics(wb(f)->real);
}

/* Shared memory and mapping belong to the main file; the default VFS
 * (unix) has them, version 3 of its methods. */
static int wb_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return wb(f)->real->pMethods->xShmMap(wb(f)->real, page, size, extend, out);
}

static int wb_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return wb(f)->real->pMethods->xShmLock(wb(f)->real, offset, n, flags);
}

/* SQLite calls this between its two copies of the index header, when a
 * commit becomes visible: the log's frames must be in the file by then. */
static void wb_shm_barrier(sqlite3_file *f)
{
	struct wb_file *p = wb(f);
	if (p->wal)
		flush(p->wal);
	p->real->pMethods->xShmBarrier(p->real);
}

static int wb_shm_unmap(sqlite3_file *f, int delete_flag)
{
	return wb(f)->real->pMethods->xShmUnmap(wb(f)->real, delete_flag);
}

static int wb_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return wb(f)->real->pMethods->xFetch(wb(f)->real, off, n, out);
}

static int wb_unfetch(sqlite3_file *f, sqlite3_int64 off, void *page)
{
	return wb(f)->real->pMethods->xUnfetch(wb(f)->real, off, page);
}

static const sqlite3_io_methods methods = {
	3, wb_close, wb_read, wb_write, wb_truncate, wb_sync, wb_file_size, wb_lock, wb_unlock,
	wb_check_reserved, wb_file_control, wb_sector_size, wb_device, wb_shm_map, wb_shm_lock,
	wb_shm_barrier, wb_shm_unmap, wb_fetch, wb_unfetch,
};

/* ---- the VFS ----------------------------------------------------------------- */

/* A log finds its main file by the name SQLite gives both: the log's
 * sqlite3_filename_database() is the very pointer the main file was
 * opened with. */
static void link_file(struct wb_file *p, const char *name, int flags)
{
	pthread_mutex_lock(&registry_lock);
	if (flags & SQLITE_OPEN_MAIN_DB) {
		p->dbname = name;
		p->next = mains;
		mains = p;
	} else if (flags & SQLITE_OPEN_WAL) {
		const char *db = sqlite3_filename_database(name);
		for (struct wb_file *m = mains; m; m = m->next)
			if (m->dbname == db && !m->wal) {
				m->wal = p;
				p->owner = m;
				break;
			}
	}
	pthread_mutex_unlock(&registry_lock);
}

static int wb_open(sqlite3_vfs *self, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
	struct wb_file *p = wb(f);
	(void)self;
	memset(p, 0, sizeof(*p));
	p->real = (sqlite3_file *)(p + 1);
	int rc = real_vfs()->xOpen(real_vfs(), name, p->real, flags, out_flags);
	if (rc != SQLITE_OK || !p->real->pMethods || p->real->pMethods->iVersion < 3) {
		if (rc == SQLITE_OK) {
			p->real->pMethods->xClose(p->real);
			rc = SQLITE_CANTOPEN;
		}
		p->base.pMethods = NULL;	/* SQLite will not call xClose */
		return rc;
	}
	p->base.pMethods = &methods;
	p->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
	if (name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)))
		link_file(p, name, flags);
	/* Buffer only a log that its main file can flush at the barrier. */
	if (p->is_wal && p->owner)
		p->buf = xmalloc(WALBUF_SIZE);
	return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *self, const char *name, int sync_dir)
{
	(void)self;
	return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}

static int wb_access(sqlite3_vfs *self, const char *name, int flags, int *out)
{
	(void)self;
	return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *self, const char *name, int n, char *out)
{
	(void)self;
	return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}

static int wb_randomness(sqlite3_vfs *self, int n, char *out)
{
	(void)self;
	return real_vfs()->xRandomness(real_vfs(), n, out);
}

static int wb_sleep(sqlite3_vfs *self, int us)
{
	(void)self;
	return real_vfs()->xSleep(real_vfs(), us);
}

static int wb_current_time(sqlite3_vfs *self, double *out)
{
	(void)self;
	return real_vfs()->xCurrentTime(real_vfs(), out);
}

static int wb_last_error(sqlite3_vfs *self, int n, char *out)
{
	(void)self;
	return real_vfs()->xGetLastError(real_vfs(), n, out);
}

static void *wb_dl_open(sqlite3_vfs *self, const char *name)
{
	(void)self;
	return real_vfs()->xDlOpen(real_vfs(), name);
}

static void wb_dl_error(sqlite3_vfs *self, int n, char *out)
{
	(void)self;
	real_vfs()->xDlError(real_vfs(), n, out);
}

static void (*wb_dl_sym(sqlite3_vfs *self, void *handle, const char *sym))(void)
{
	(void)self;
	return real_vfs()->xDlSym(real_vfs(), handle, sym);
}

static void wb_dl_close(sqlite3_vfs *self, void *handle)
{
	(void)self;
	real_vfs()->xDlClose(real_vfs(), handle);
}

static int wb_current_time64(sqlite3_vfs *self, sqlite3_int64 *out)
{
	(void)self;
	return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

static void register_once(void)
{
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real || real->iVersion < 2)
		return;
	vfs.iVersion = 2;
	vfs.szOsFile = (int)sizeof(struct wb_file) + real->szOsFile;
	vfs.mxPathname = real->mxPathname;
	vfs.zName = WALBUF_VFS;
	vfs.pAppData = real;
	vfs.xOpen = wb_open;
	vfs.xDelete = wb_delete;
	vfs.xAccess = wb_access;
	vfs.xFullPathname = wb_full_pathname;
	vfs.xDlOpen = wb_dl_open;
	vfs.xDlError = wb_dl_error;
	vfs.xDlSym = wb_dl_sym;
	vfs.xDlClose = wb_dl_close;
	vfs.xRandomness = wb_randomness;
	vfs.xSleep = wb_sleep;
	vfs.xCurrentTime = wb_current_time;
	vfs.xGetLastError = wb_last_error;
	vfs.xCurrentTimeInt64 = wb_current_time64;
	registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? 0 : -1;
}

int walbuf_register(void)
{
	pthread_once(&once, register_once);
	return registered;
}
