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
	int64_t clock_fixed;		/* tests only: when non-zero, "now"
					 * stands still at this instant */
};

/* "Now" for request handling: the wall clock plus the test offset, or the
 * instant a test fixed (a moving clock would let a second boundary slip
 * between setting the time and the request, and times end in :01). */
int64_t app_now(const struct app *app);

#endif
