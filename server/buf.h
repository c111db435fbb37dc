/*
 * motcua — buf: a growable byte buffer (the project's string builder).
 *
 * A struct buf starts as BUF_INIT (empty, no allocation). It owns its
 * data; buf_release() frees it and leaves an empty buffer, buf_detach()
 * hands the bytes to the caller (free() them). data is always
 * NUL-terminated once anything was added, so buf_cstr() is cheap.
 */
#ifndef MOTCUA_BUF_H
#define MOTCUA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* bytes, NUL-terminated after len; NULL when empty */
	size_t len;	/* bytes used, excluding the NUL */
	size_t cap;	/* bytes allocated */
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* HTML-escape s (& < > " ') into b. */
void buf_add_html(struct buf *b, const char *s);
/* The contents as a C string ("" when empty); valid until the next change. */
const char *buf_cstr(struct buf *b);
/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);
/* Hand the bytes to the caller (free() them); b becomes empty. Never NULL. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

#endif
