/*
 * motcua — log: structured JSON log lines on stderr.
 *
 * One line per event: {"ts":"…Z","level":"info","msg":"…", …fields}.
 * Fields are given as alternating key/value C strings ending with NULL;
 * values are JSON-escaped here, so control characters and quotes in user
 * data cannot forge log lines. Never pass passwords, tokens or full ID
 * numbers (mask them first: log_mask()).
 *
 * Thread-safe: each line is written with one write(2).
 */
#ifndef MOTCUA_LOG_H
#define MOTCUA_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* 0 ok, -1 unknown name ("debug", "info", "warn", "error"). */
int log_level_parse(const char *name, enum log_level *level);

/* log_kv(LOG_INFO, "listening", "port", "8080", NULL) */
void log_kv(enum log_level level, const char *msg, ...)
	__attribute__((sentinel));
/* printf-style message, no fields. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Mask all but the last 4 characters of s into out ("********1234"). */
void log_mask(const char *s, char *out, size_t n);

#endif
