/*
 * motcua — tz: zone conversions through the C library (TZ is set once,
 * before threads start; localtime_r is thread-safe after that), or a
 * fixed offset when the configuration gives one.
 */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static int fixed = 1;		/* 1: fixed offset, no tzdata */
static int fixed_offset = 7 * 3600;
static int64_t fixed_since = INT64_MIN;	/* the offset holds from this instant */
static char zone[64] = "+07:00";

static int parse_fixed(const char *s, int *off)
{
	int h, m;
	char sign;
	if (strlen(s) != 6 || sscanf(s, "%c%2d:%2d", &sign, &h, &m) != 3)
		return -1;
	if ((sign != '+' && sign != '-') || h > 14 || m > 59)
		return -1;
	*off = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

int tz_init(const char *name, char *err, size_t n)
{
	char path[256];
	strlcpy_(zone, name, sizeof(zone));
	if (parse_fixed(name, &fixed_offset) == 0) {
		fixed = 1;
		fixed_since = INT64_MIN;
		return 0;
	}
	if (!*name || strstr(name, "..") || name[0] == '/') {
		snprintf(err, n, "unknown time zone \"%s\"", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	if (access(path, R_OK) != 0) {
		snprintf(err, n, "unknown time zone \"%s\" (no %s; install tzdata or use a fixed offset such as +07:00)", name, path);
		return -1;
	}
	setenv("TZ", name, 1);
	tzset();
	fixed = 0;
	/* A zone whose offset has not changed since 1976 (Asia/Ho_Chi_Minh:
	 * +07:00 since 1975) is converted with arithmetic: glibc's localtime_r
	 * takes a lock and reads TZ on every call, and deadlines convert often. */
	int first = tz_offset(189302400), same = 1;	/* 1976-01-01 */
	for (int64_t t = 189302400; t < 4102444800LL && same; t += 86400 * 61)
		same = tz_offset(t) == first;
	if (same) {
		fixed_offset = first;
		fixed_since = 189302400;
		fixed = 1;
	}
	return 0;
}

int tz_offset(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	/* Before 1976 the zone may have had other offsets: ask the library. */
	if (fixed && t >= fixed_since)
		return fixed_offset;
	localtime_r(&tt, &tm);
	return (int)tm.tm_gmtoff;
}

int64_t tz_local(int64_t t)
{
	return t + tz_offset(t);
}

int64_t tz_utc(int64_t local)
{
	if (fixed && local - fixed_offset >= fixed_since)
		return local - fixed_offset;
	/* Guess with the offset at the naive instant, then correct once: exact
	 * for zones whose offset does not change within a day of the instant. */
	int64_t t = local - tz_offset(local);
	return local - tz_offset(t);
}

const char *tz_name(void)
{
	return zone;
}
