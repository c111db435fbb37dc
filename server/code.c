/*
 * motcua — code: formatting and checking dossier codes.
 */
#include "code.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

static int alnum_upper(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

int code_agency_valid(const char *s)
{
	/* V1V2V3 . Z1Z2 . Y1Y2 . M X1 X2 */
	static const char shape[] = "aaa.aa.aa.L99";
	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];
		switch (shape[i]) {
		case '.': if (c != '.') return 0; break;
		case 'a': if (!alnum_upper(c)) return 0; break;
		case 'L': if (c < 'A' || c > 'Z') return 0; break;
		case '9': if (c < '0' || c > '9') return 0; break;
		}
	}
	return 1;
}

int code_format(const char *agency, int32_t day, int seq, char out[CODE_LEN + 1])
{
	int y, m, d;
	if (!code_agency_valid(agency) || seq < 1 || seq > CODE_MAX_SEQ)
		return -1;
	date_to_civil(day, &y, &m, &d);
	if (y < 2000 || y > 2099)
		return -1;
	snprintf(out, CODE_LEN + 1, "%s-%02d%02d%02d-%04d", agency, y % 100, m, d, seq);
	return 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int code_parse(const char *s, char agency[14], int32_t *day, int *seq)
{
	char ag[14];
	int yy, mm, dd, n;
	if (strlen(s) != CODE_LEN || s[13] != '-' || s[20] != '-')
		return 0;
	memcpy(ag, s, 13);
	ag[13] = '\0';
	if (!code_agency_valid(ag))
		return 0;
	if (digits(s + 14, 2, &yy) || digits(s + 16, 2, &mm) || digits(s + 18, 2, &dd)
	    || digits(s + 21, 4, &n))
		return 0;
	if (!date_valid(2000 + yy, mm, dd) || n < 1)
		return 0;
	if (agency)
		memcpy(agency, ag, 14);
	if (day)
		*day = date_from_civil(2000 + yy, mm, dd);
	if (seq)
		*seq = n;
	return 1;
}
