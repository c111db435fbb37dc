/*
 * motcua — error: filling the cross-layer error record.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

int api_error_set(struct api_error *e, int status, const char *code,
		  const char *field, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return -1;
	e->status = status;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	strlcpy_(e->field, field ? field : "", sizeof(e->field));
	return -1;
}

void api_error_clear(struct api_error *e)
{
	e->status = 0;
	e->code = NULL;
	e->message[0] = '\0';
	e->field[0] = '\0';
}
