/*
 * motcua — sniff: file types from magic bytes.
 */
#include "sniff.h"

#include <string.h>
#include <strings.h>

/* Where "%%EOF" may sit: writers add a newline or a little padding after
 * it, and incremental updates end with their own marker. */
#define PDF_EOF_WINDOW 1024

static int pdf(const unsigned char *p, size_t len)
{
	static const char eof[] = "%%EOF";
	if (len < 16 || memcmp(p, "%PDF-", 5) != 0 || p[5] < '1' || p[5] > '2' || p[6] != '.')
		return 0;
	size_t from = len > PDF_EOF_WINDOW ? len - PDF_EOF_WINDOW : 0;
	for (size_t i = len - 5;; i--) {
		if (memcmp(p + i, eof, 5) == 0)
			return 1;
		if (i == from)
			return 0;
	}
}

static int jpeg(const unsigned char *p, size_t len)
{
	return len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF && p[3] >= 0xC0 && p[3] != 0xFF;
}

static int png(const unsigned char *p, size_t len)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const unsigned char ihdr[8] = { 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	return len >= 33 && memcmp(p, sig, 8) == 0 && memcmp(p + 8, ihdr, 8) == 0;
}

enum sniff_type sniff_type(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (!p)
		return SNIFF_UNKNOWN;
	if (pdf(p, len))
		return SNIFF_PDF;
	if (jpeg(p, len))
		return SNIFF_JPEG;
	if (png(p, len))
		return SNIFF_PNG;
	return SNIFF_UNKNOWN;
}

const char *sniff_mime(enum sniff_type t)
{
	switch (t) {
	case SNIFF_PDF:
		return "application/pdf";
	case SNIFF_JPEG:
		return "image/jpeg";
	case SNIFF_PNG:
		return "image/png";
	default:
		return NULL;
	}
}

const char *sniff_extension(enum sniff_type t)
{
	switch (t) {
	case SNIFF_PDF:
		return "pdf";
	case SNIFF_JPEG:
		return "jpg";
	case SNIFF_PNG:
		return "png";
	default:
		return NULL;
	}
}

enum sniff_type sniff_claimed_by_name(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot)
		return SNIFF_UNKNOWN;
	dot++;
	if (strcasecmp(dot, "pdf") == 0)
		return SNIFF_PDF;
	if (strcasecmp(dot, "jpg") == 0 || strcasecmp(dot, "jpeg") == 0 || strcasecmp(dot, "jpe") == 0)
		return SNIFF_JPEG;
	if (strcasecmp(dot, "png") == 0)
		return SNIFF_PNG;
	return SNIFF_UNKNOWN;
}

enum sniff_type sniff_claimed_by_type(const char *ct)
{
	static const struct { const char *type; enum sniff_type t; } types[] = {
		{ "application/pdf", SNIFF_PDF },
		{ "image/jpeg", SNIFF_JPEG },
		{ "image/jpg", SNIFF_JPEG },
		{ "image/pjpeg", SNIFF_JPEG },
		{ "image/png", SNIFF_PNG },
	};
	if (!ct)
		return SNIFF_UNKNOWN;
	while (*ct == ' ')
		ct++;
	size_t n = strcspn(ct, "; ");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].type) == n && strncasecmp(ct, types[i].type, n) == 0)
			return types[i].t;
	return SNIFF_UNKNOWN;
}
