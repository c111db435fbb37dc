/*
 * motcua — error: the one error record that crosses layers.
 *
 * The layer that knows the cause fills a struct api_error (HTTP status, a
 * stable machine code, a human message, the offending field); only http.c
 * renders it as {"error": {"code", "message", "field"}}. Codes are string
 * literals listed in README.md; they never change once published.
 *
 * Ownership: code points to a string literal; message and field are copied
 * into the struct. No allocation.
 */
#ifndef MOTCUA_ERROR_H
#define MOTCUA_ERROR_H

struct api_error {
	int status;		/* HTTP status, 0 = no error recorded */
	const char *code;	/* stable code, e.g. "invalid_field" */
	char message[256];	/* for people; Vietnamese or English */
	char field[96];		/* JSON path of the bad input, "" if none */
};

/* Record an error. field may be NULL. Returns -1 so callers can
 * `return api_error_set(...)`. */
int api_error_set(struct api_error *e, int status, const char *code,
		  const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

void api_error_clear(struct api_error *e);

#endif
