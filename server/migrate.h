/*
 * motcua — migrate: bring a database up to the embedded schema.
 *
 * The migrations are schema/NNNN_name.sql, compiled into the binary in
 * name order (embed.h). PRAGMA user_version holds the number of the last
 * one applied; each newer file runs in its own transaction together with
 * the user_version bump, so a failed migration leaves the previous
 * version intact. A database newer than the binary is refused.
 *
 * Ownership: borrows the writer connection.
 */
#ifndef MOTCUA_MIGRATE_H
#define MOTCUA_MIGRATE_H

#include <stddef.h>

struct db;

/* 0 ok (*applied = number of files run); -1 with a message in err. */
int migrate_run(struct db *w, int *applied, char *err, size_t n);
/* The highest migration number compiled in. */
int migrate_latest(void);

#endif
