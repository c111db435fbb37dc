/*
 * motcua — util: allocation that cannot fail, and small string helpers.
 *
 * Out-of-memory policy: our own allocations go through x*alloc, which abort
 * the process with a message when the system has no memory left. A service
 * that cannot allocate 100 bytes cannot answer anyway, and checking every
 * small allocation hides the real error paths. Libraries that report
 * allocation failure themselves (SQLite, cJSON) keep their own error paths.
 *
 * Ownership: every pointer returned here belongs to the caller and is
 * released with free().
 */
#ifndef MOTCUA_UTIL_H
#define MOTCUA_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Room for need elements of size bytes in array p of *cap (doubling; *cap
 * updated). Returns the array, maybe moved. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);

/* Copy src into dst of size n, always NUL-terminated (n > 0). Returns the
 * length of src, so a result >= n means the copy was truncated. */
size_t strlcpy_(char *dst, const char *src, size_t n);

/* 1 if s starts with prefix. */
int str_starts(const char *s, const char *prefix);

/* Monotonic clock in nanoseconds, for durations and rate limits. */
int64_t util_mono_ns(void);

/* Wall clock, seconds since the Unix epoch (UTC). */
int64_t util_now(void);

/* Hand a read-only pointer to an API that takes void * but only reads
 * (libmicrohttpd persistent buffers, fmemopen in "r" mode). */
static inline void *unconst(const void *p)
{
	return (void *)(uintptr_t)p;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
