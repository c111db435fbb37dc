/*
 * motcua — lookup: check digits and state labels.
 */
#include "lookup.h"

#include <string.h>

int lookup_check_valid(const char *s)
{
	if (!s || strlen(s) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The last four digits of s into out; a value with fewer gets 0xFF bytes,
 * which no check (digits only) can equal. The loop always reads the whole
 * string: its length is not secret, its content is. */
static void last4(const char *s, unsigned char out[4])
{
	unsigned char ring[4] = { 0xFF, 0xFF, 0xFF, 0xFF };
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		unsigned digit = (unsigned)(c >= '0' && c <= '9');
		/* Shift the digit in without branching on the value. */
		unsigned char m = (unsigned char)(0u - digit);
		unsigned char keep = (unsigned char)~m;
		unsigned char r0 = ring[0], r1 = ring[1], r2 = ring[2], r3 = ring[3];
		ring[0] = (unsigned char)((r0 & keep) | (r1 & m));
		ring[1] = (unsigned char)((r1 & keep) | (r2 & m));
		ring[2] = (unsigned char)((r2 & keep) | (r3 & m));
		ring[3] = (unsigned char)((r3 & keep) | (c & m));
	}
	memcpy(out, ring, 4);
}

static unsigned diff4(const unsigned char a[4], const unsigned char b[4])
{
	volatile unsigned d = 0;
	for (int i = 0; i < 4; i++)
		d |= (unsigned)(a[i] ^ b[i]);
	return d;
}

int lookup_check_matches(const char *check, const char *phone, const char *id_number)
{
	unsigned char want[4], p[4], id[4];
	unsigned valid = (unsigned)lookup_check_valid(check);
	memcpy(want, valid ? check : "\xFE\xFE\xFE\xFE", 4);
	last4(phone, p);
	last4(id_number, id);
	unsigned dp = diff4(want, p), di = diff4(want, id);
	/* Both comparisons always run; combine without short-circuit. */
	return (int)(valid & ((dp == 0) | (di == 0)));
}

static const char *const labels[2][11] = {
	{ "?", "Đã nộp trực tuyến, chờ tiếp nhận", "Đã tiếp nhận", "Không được tiếp nhận",
	  "Đang xử lý", "Chờ bổ sung giấy tờ", "Chờ thực hiện nghĩa vụ tài chính",
	  "Đang chờ rút hồ sơ", "Đã dừng xử lý", "Đã có kết quả, chờ trả", "Đã trả kết quả" },
	{ "?", "Submitted online, waiting to be accepted", "Received", "Not accepted",
	  "Being processed", "Waiting for additional documents", "Waiting for fee payment",
	  "Withdrawal requested", "Processing stopped", "Result ready to collect", "Result returned" },
};

const char *lookup_state_label(int state, int english)
{
	if (state < 1 || state > 10)
		return "?";
	return labels[english ? 1 : 0][state];
}
