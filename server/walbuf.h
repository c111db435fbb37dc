/*
 * motcua — walbuf: a SQLite VFS that gathers the writer's log writes.
 *
 * SQLite appends a commit to the write-ahead log with two pwrite calls per
 * page (a 24-byte frame header, then the page). A group commit of thirty
 * dossiers touches a few hundred pages, so the writer thread spent a
 * quarter of its time entering and leaving the kernel. This VFS sits on
 * top of the default one and, for the log file only, keeps consecutive
 * writes in a buffer, handing them to the file in one write when SQLite
 * syncs the log, reads it, asks its size, truncates or closes it, when a
 * write does not continue the buffered run, or when the buffer is full.
 *
 * Why this is safe: SQLite syncs the log before it publishes a commit in
 * the shared index (synchronous=FULL, which the writer always uses), so
 * every frame another connection may read is in the file first. As a
 * second guard, the database file's shared-memory barrier — called while
 * the index header is written — also flushes the log of the same
 * connection. A failed flush is kept and returned by the next call on the
 * log (the sync of the commit), so the commit fails as it would have.
 * Everything else (locks, shared memory, memory mapping, the database
 * file's own writes) passes straight through.
 *
 * Ownership: the VFS is registered once for the process and never
 * unregistered; its files belong to SQLite, which closes them.
 */
#ifndef MOTCUA_WALBUF_H
#define MOTCUA_WALBUF_H

#define WALBUF_VFS "motcua-walbuf"

/* Register the VFS (not as the default) once; later calls do nothing.
 * 0, or -1 when SQLite has no default VFS to sit on. */
int walbuf_register(void);

#endif
