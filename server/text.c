/*
 * motcua — text: diacritic folding for search keys.
 */
#include "text.h"

#include <stdint.h>

/* Base letters of U+00C0–U+00FF; 0 = keep the character. */
static const char latin1[64] = {
	'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 0,
	'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 'y',
};

/* The Vietnamese block U+1EA0–U+1EF9 in runs of one base letter. */
static char vietnamese(uint32_t c)
{
	if (c <= 0x1EB7)
		return 'a';
	if (c <= 0x1EC7)
		return 'e';
	if (c <= 0x1ECB)
		return 'i';
	if (c <= 0x1EE3)
		return 'o';
	if (c <= 0x1EF1)
		return 'u';
	return 'y';
}

static char fold_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
	if (c >= 0xC0 && c <= 0xFF)
		return latin1[c - 0xC0];
	switch (c) {
	case 0x102: case 0x103: return 'a';	/* Ă ă */
	case 0x110: case 0x111: return 'd';	/* Đ đ */
	case 0x128: case 0x129: return 'i';	/* Ĩ ĩ */
	case 0x168: case 0x169: return 'u';	/* Ũ ũ */
	case 0x1A0: case 0x1A1: return 'o';	/* Ơ ơ */
	case 0x1AF: case 0x1B0: return 'u';	/* Ư ư */
	}
	if (c >= 0x1EA0 && c <= 0x1EF9)
		return vietnamese(c);
	return 0;
}

/* Decode one UTF-8 sequence at s; *len gets its length (1 for a bad byte,
 * which is then kept as it is). */
static uint32_t decode(const unsigned char *s, int *len)
{
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80
	    && (s[3] & 0xC0) == 0x80) {
		*len = 4;
		return 0x10000;	/* outside every folded block */
	}
	*len = 1;
	return 0xFFFD;
}

void text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	int pending_space = 0, any = 0;
	while (p && *p) {
		int len;
		uint32_t c = decode(p, &len);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			pending_space = any;
		} else if (!(c >= 0x300 && c <= 0x36F)) {
			char f = fold_char(c);
			if (pending_space)
				buf_addc(out, ' ');
			pending_space = 0;
			if (f)
				buf_addc(out, f);
			else
				buf_add(out, p, (size_t)len);
			any = 1;
		}
		p += len;
	}
	if (!out->data)
		buf_adds(out, "");
}
