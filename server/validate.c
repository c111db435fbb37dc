/*
 * motcua — validate: applicant data checks.
 */
#include "validate.h"

#include <string.h>

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int validate_id_number(const char *s)
{
	size_t n = strlen(s);
	if ((n == 9 || n == 12 || n == 10) && all_digits(s, n))
		return 1;
	/* tax code of a branch: 10 digits, '-', 3 digits */
	return n == 14 && all_digits(s, 10) && s[10] == '-' && all_digits(s + 11, 3);
}

int validate_phone(const char *s)
{
	size_t n = strlen(s);
	if (s[0] == '0')
		return (n == 10 || n == 11) && all_digits(s, n);
	if (strncmp(s, "+84", 3) == 0)
		return (n == 12 || n == 13) && s[3] != '0' && all_digits(s + 3, n - 3);
	return 0;
}

int validate_email(const char *s)
{
	const char *at = strchr(s, '@');
	size_t n = strlen(s);
	if (!at || at == s || strchr(at + 1, '@') || n > 254)
		return 0;
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return 0;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || (unsigned char)*p < 0x21)
			return 0;
	return 1;
}
