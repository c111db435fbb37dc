/*
 * motcua — log: JSON lines on stderr, one write per line.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_set_level(enum log_level level)
{
	min_level = level;
}

int log_level_parse(const char *name, enum log_level *level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(*level_names); i++)
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	return -1;
}

static void add_json_string(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_printf(b, "\\u%04x", *p);
		} else {
			buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

static void start_line(struct buf *b, enum log_level level, const char *msg)
{
	struct timespec ts;
	struct tm tm;
	char when[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"msg\":", when,
		   ts.tv_nsec / 1000000, level_names[level]);
	add_json_string(b, msg);
}

static void finish_line(struct buf *b)
{
	buf_adds(b, "}\n");
	ssize_t n = write(STDERR_FILENO, b->data, b->len);
	(void)n;
	buf_release(b);
}

void log_kv(enum log_level level, const char *msg, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	const char *k;
	if (level < min_level)
		return;
	start_line(&b, level, msg);
	va_start(ap, msg);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		buf_addc(&b, ',');
		add_json_string(&b, k);
		buf_addc(&b, ':');
		add_json_string(&b, v ? v : "");
	}
	va_end(ap);
	finish_line(&b);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	struct buf m = BUF_INIT, b = BUF_INIT;
	va_list ap;
	if (level < min_level)
		return;
	va_start(ap, fmt);
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	start_line(&b, level, buf_cstr(&m));
	buf_release(&m);
	finish_line(&b);
}

void log_mask(const char *s, char *out, size_t n)
{
	size_t len = s ? strlen(s) : 0, i;
	if (n == 0)
		return;
	for (i = 0; i < len && i + 1 < n; i++)
		out[i] = i + 4 < len ? '*' : s[i];
	out[i] = '\0';
}
