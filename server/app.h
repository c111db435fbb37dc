/*
 * motcua — app: what a running instance shares between its threads.
 *
 * Filled once by `motcua serve` (or a test) before the HTTP threads start
 * and read-only afterwards, except through the modules that own mutable
 * parts (writer, calendar, auth caches) and synchronise themselves.
 *
 * Ownership: the app owns the writer and the writer connection; main.c
 * (or the test) creates and tears them down in reverse order.
 */
#ifndef MOTCUA_APP_H
#define MOTCUA_APP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct writer;
struct db;

struct app {
	struct config cfg;
	struct db *wdb;			/* the writer connection */
	struct writer *writer;
	int64_t started_at;		/* instant the server started */
	const unsigned char *chartjs;	/* Debian's Chart.js, read at start */
	size_t chartjs_len;
	int64_t clock_offset;		/* tests only: seconds added to "now" */
};

/* "Now" for request handling: the wall clock plus the test offset. */
int64_t app_now(const struct app *app);

#endif
