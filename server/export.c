/*
 * motcua — export: register, report and history formats.
 *
 * Speed matters here (a million rows should take seconds): cells are
 * appended with memcpy and hand-written digit loops, never printf, and a
 * text cell only goes through csv_put (the one place that knows RFC 4180
 * quoting and formula neutralisation) when it holds a byte that needs it.
 */
#include "export.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "date.h"
#include "report.h"
#include "tz.h"
#include "workflow.h"

/* ---- names ------------------------------------------------------------- */

static const char *const kind_names[EXPORT_KIND__MAX] = { "dossiers", "events", "report" };
static const char *const format_names[EXPORT_FORMAT__MAX] = { "csv", "xlsx", "jsonl" };

int export_kind_parse(const char *s, enum export_kind *k)
{
	for (int i = 0; i < EXPORT_KIND__MAX; i++)
		if (s && strcmp(s, kind_names[i]) == 0) {
			*k = (enum export_kind)i;
			return 0;
		}
	return -1;
}

int export_format_parse(const char *s, enum export_format *f)
{
	for (int i = 0; i < EXPORT_FORMAT__MAX; i++)
		if (s && strcmp(s, format_names[i]) == 0) {
			*f = (enum export_format)i;
			return 0;
		}
	return -1;
}

const char *export_kind_name(enum export_kind k)
{
	return k < EXPORT_KIND__MAX ? kind_names[k] : "?";
}

const char *export_format_name(enum export_format f)
{
	return f < EXPORT_FORMAT__MAX ? format_names[f] : "?";
}

const char *export_content_type(enum export_format f)
{
	switch (f) {
	case EXPORT_CSV:
		return "text/csv; charset=utf-8";
	case EXPORT_XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	default:
		return "application/x-ndjson; charset=utf-8";
	}
}

int export_parse_bound(const char *s, int is_to, int64_t *instant)
{
	int32_t day;
	if (!s || !*s) {
		*instant = is_to ? EXPORT_TO_ANY : EXPORT_FROM_ANY;
		return 0;
	}
	if (date_parse_day(s, &day) == 0) {
		*instant = tz_utc(date_at(is_to ? day + 1 : day, 0));
		return 0;
	}
	/* A time without an offset is office time: parsed as UTC it gives
	 * local seconds (a second parse with another default tells whether
	 * the text carried its own offset). */
	int64_t as_utc, shifted;
	if (date_parse_iso(s, 0, &as_utc) != 0 || date_parse_iso(s, 3600, &shifted) != 0)
		return -1;
	*instant = as_utc == shifted ? as_utc : tz_utc(as_utc);
	return 0;
}

/* ---- the register's columns ---------------------------------------------- */

/* key:    JSON Lines key (stable, English)
 * label:  CSV / XLSX header: Form 06 wording first, then the other fields
 * type:   how the value is shown (masking, names, times)
 * width:  XLSX column width
 * The order is the SELECT order of db_export.c (after STT). */
const struct export_col export_dossier_cols[EXPORT_DOSSIER_COLS] = {
	{ "stt", "STT", EXT_SEQNO, 8 },
	{ "code", "Mã hồ sơ", EXT_TEXT, 26 },
	{ "ref", "Mã tham chiếu", EXT_TEXT, 14 },
	{ "procedure_code", "Mã thủ tục", EXT_TEXT, 12 },
	{ "procedure_name", "Tên thủ tục hành chính", EXT_TEXT, 48 },
	{ "applicant_name", "Tên cá nhân, tổ chức", EXT_TEXT, 26 },
	{ "applicant_address", "Địa chỉ", EXT_PII_ADDRESS, 32 },
	{ "applicant_phone", "Số điện thoại", EXT_PII_KEEP4, 14 },
	{ "applicant_id_number", "Số giấy tờ tùy thân", EXT_PII_KEEP4, 16 },
	{ "applicant_email", "Thư điện tử", EXT_PII_EMAIL, 24 },
	{ "lead_agency_code", "Mã cơ quan chủ trì giải quyết", EXT_TEXT, 16 },
	{ "lead_agency_name", "Cơ quan chủ trì giải quyết", EXT_TEXT, 36 },
	{ "received_at", "Ngày nhận hồ sơ", EXT_TIME, 17 },
	{ "appointment_at", "Ngày hẹn trả kết quả", EXT_TIME, 17 },
	{ "resolved_at", "Ngày có kết quả", EXT_TIME, 17 },
	{ "returned_at", "Ngày trả kết quả", EXT_TIME, 17 },
	{ "return_method", "Phương thức nhận kết quả", EXT_TEXT, 12 },
	{ "note", "Ghi chú", EXT_TEXT, 30 },
	{ "receiving_agency_code", "Mã cơ quan tiếp nhận", EXT_TEXT, 16 },
	{ "receiving_agency_name", "Cơ quan tiếp nhận", EXT_TEXT, 36 },
	{ "channel", "Hình thức nộp", EXT_TEXT, 10 },
	{ "state_code", "Mã trạng thái", EXT_INT, 8 },
	{ "state", "Trạng thái", EXT_STATE, 20 },
	{ "current_agency_code", "Cơ quan đang xử lý", EXT_TEXT, 16 },
	{ "current_step", "Bước đang xử lý", EXT_INT, 8 },
	{ "assignee", "Người xử lý", EXT_TEXT, 16 },
	{ "limit_value", "Thời hạn giải quyết", EXT_INT, 8 },
	{ "limit_unit", "Đơn vị thời hạn", EXT_TEXT, 14 },
	{ "submitted_at", "Ngày nộp trực tuyến", EXT_TIME, 17 },
	{ "clock_start_at", "Bắt đầu tính hạn", EXT_TIME, 17 },
	{ "first_due_at", "Hạn giải quyết ban đầu", EXT_TIME, 17 },
	{ "due_at", "Hạn giải quyết", EXT_TIME, 17 },
	{ "paused_at", "Tạm dừng từ", EXT_TIME, 17 },
	{ "supplement_requested_at", "Yêu cầu bổ sung lúc", EXT_TIME, 17 },
	{ "supplement_returned_at", "Nhận bổ sung lúc", EXT_TIME, 17 },
	{ "supplement_count", "Số lần bổ sung", EXT_INT, 8 },
	{ "extended_at", "Xin lỗi, hẹn lại lúc", EXT_TIME, 17 },
	{ "extension_count", "Số lần hẹn lại", EXT_INT, 8 },
	{ "closed_at", "Ngày dừng xử lý", EXT_TIME, 17 },
	{ "result", "Kết quả (trước, đúng, quá hạn)", EXT_RESULT, 10 },
	{ "work_seconds", "Thời gian xử lý (giây làm việc)", EXT_INT, 12 },
	{ "waited_seconds", "Thời gian chờ bổ sung (giây làm việc)", EXT_INT, 12 },
	{ "fee_vnd", "Phí, lệ phí (đồng)", EXT_INT, 12 },
	{ "paid_online", "Thanh toán trực tuyến", EXT_BOOL, 8 },
	{ "attachments", "Số tệp số hóa", EXT_INT, 8 },
	{ "created_at", "Tạo lúc", EXT_TIME, 17 },
	{ "updated_at", "Cập nhật lúc", EXT_TIME, 17 },
};

/* ---- small writers ------------------------------------------------------ */

/* Room for n more bytes and the NUL; the write position. */
static inline char *room(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	return b->data + b->len;
}

/* Decimal digits of v at p (at most 20 bytes); the end. */
static char *put_int(char *p, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*p++ = '-';
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static void put_i64(struct buf *b, int64_t v)
{
	char *p = put_int(room(b, 24), v);
	b->len = (size_t)(p - b->data);
	b->data[b->len] = '\0';
}

static inline char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Instants formatted by the fast path (1970-01-02 … 2223): everything a
 * register holds; others go through date_format_iso's clamping. */
#define ISO_FAST_MIN 86400
#define ISO_FAST_MAX 8000000000LL

/* t as "YYYY-MM-DDTHH:MM:SS+07:00" at p (25 bytes, no NUL); the end. */
static char *put_iso(struct export_fmt *f, char *p, int64_t t)
{
	int off = export_offset(f, t);
	if (t < ISO_FAST_MIN || t > ISO_FAST_MAX || off < -86399 || off > 86399) {
		date_format_iso(t, off, p);
		return p + strlen(p);
	}
	int64_t local = t + off, day = local / DATE_DAY_SECONDS;
	int sod = (int)(local - day * DATE_DAY_SECONDS), a = off < 0 ? -off : off;
	size_t slot = (size_t)day & (EXPORT_DAY_SLOTS - 1);
	if (f->day_key[slot] != day) {
		date_format_day((int32_t)day, f->day_txt[slot]);
		f->day_key[slot] = day;
	}
	memcpy(p, f->day_txt[slot], 10);
	p[10] = 'T';
	p = put2(p + 11, sod / 3600);
	*p++ = ':';
	p = put2(p, sod / 60 % 60);
	*p++ = ':';
	p = put2(p, sod % 60);
	*p++ = off < 0 ? '-' : '+';
	if (a > 23 * 3600 + 59 * 60)
		a = 23 * 3600 + 59 * 60;
	p = put2(p, a / 3600);
	*p++ = ':';
	return put2(p, a / 60 % 60);
}

/* Bytes that make a JSON string need an escape, and a CSV cell quotes. */
static inline int json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

static inline int csv_special(unsigned char c)
{
	return c <= ',' && (c == ',' || c == '"' || c == '\r' || c == '\n');
}

void export_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	buf_addc(b, '"');
	for (;; p++) {
		if (!*p || json_special(*p)) {
			if (p > run)
				buf_add(b, run, (size_t)(p - run));
			if (!*p)
				break;
			char esc[6] = { '\\', 0, 0, 0, 0, 0 };
			size_t n = 2;
			switch (*p) {
			case '"': esc[1] = '"'; break;
			case '\\': esc[1] = '\\'; break;
			case '\b': esc[1] = 'b'; break;
			case '\f': esc[1] = 'f'; break;
			case '\n': esc[1] = 'n'; break;
			case '\r': esc[1] = 'r'; break;
			case '\t': esc[1] = 't'; break;
			default:
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 15];
				n = 6;
			}
			buf_add(b, esc, n);
			run = p + 1;
		}
	}
	buf_addc(b, '"');
}

/* A CSV text cell: plain cells are copied, the rest go through csv_put. */
static void csv_text(struct buf *b, const char *s, size_t len, int first)
{
	const unsigned char *p = (const unsigned char *)s;
	int plain = !(len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'
			      || s[0] == '\t' || s[0] == '\r'));
	for (size_t i = 0; plain && i < len; i++)
		if (csv_special(p[i]))
			plain = 0;
	if (!plain) {
		csv_put(b, s, first);
		return;
	}
	char *out = room(b, len + 1);
	if (!first)
		*out++ = ',';
	memcpy(out, s, len);
	b->len = (size_t)(out + len - b->data);
	b->data[b->len] = '\0';
}

/* ---- masking ------------------------------------------------------------ */

/* Number of UTF-8 characters (lead bytes) in s[0..n). */
static size_t chars_in(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

void export_mask_keep4(const char *s, char *out, size_t n)
{
	size_t len = strlen(s), total = chars_in(s, len), seen = 0, o = 0;
	for (size_t i = 0; i < len && o + 1 < n; i++) {
		int lead = ((unsigned char)s[i] & 0xC0) != 0x80;
		if (lead)
			seen++;
		if (seen + 4 <= total) {
			if (lead)
				out[o++] = '*';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

void export_mask_email(const char *s, char *out, size_t n)
{
	const char *at = strrchr(s, '@');
	if (!at || at == s) {
		export_mask_keep4(s, out, n);
		return;
	}
	/* The first character (all its bytes), stars, then "@domain". */
	size_t first = 1;
	while (s[first] && ((unsigned char)s[first] & 0xC0) == 0x80)
		first++;
	if (s + first > at)
		first = (size_t)(at - s);
	snprintf(out, n, "%.*s***%s", (int)first, s, at);
}

void export_mask_address(const char *s, char *out, size_t n)
{
	const char *comma = strrchr(s, ',');
	if (!*s) {
		out[0] = '\0';
		return;
	}
	if (!comma) {
		snprintf(out, n, "***");
		return;
	}
	comma++;
	while (*comma == ' ')
		comma++;
	snprintf(out, n, "***, %s", comma);
}

/* ---- formatting --------------------------------------------------------- */

void export_fmt_init(struct export_fmt *f, int pii)
{
	memset(f, 0, sizeof(*f));
	f->pii = pii;
	for (int i = 0; i < EXPORT_TZ_SLOTS; i++)
		f->tz_day[i] = INT64_MIN;
	for (int i = 0; i < EXPORT_DAY_SLOTS; i++)
		f->day_key[i] = INT64_MIN;
}

int export_offset(struct export_fmt *f, int64_t t)
{
	int64_t day = t >= 0 ? t / DATE_DAY_SECONDS : -((-t + DATE_DAY_SECONDS - 1) / DATE_DAY_SECONDS);
	size_t slot = (size_t)((uint64_t)day % EXPORT_TZ_SLOTS);
	if (f->tz_day[slot] == day)
		return f->tz_off[slot];
	int a = tz_offset(day * DATE_DAY_SECONDS), z = tz_offset(day * DATE_DAY_SECONDS + DATE_DAY_SECONDS - 1);
	if (a != z)
		return tz_offset(t);	/* the day of a change: not cached */
	f->tz_day[slot] = day;
	f->tz_off[slot] = a;
	return a;
}

double export_excel_time(struct export_fmt *f, int64_t t)
{
	int64_t local = t + export_offset(f, t);
	/* 1899-12-30 is serial 0; 1970-01-01 is 25569. */
	return (double)local / DATE_DAY_SECONDS + 25569.0;
}

const char *export_text(struct export_fmt *f, int col, const struct export_value *v,
			char *scratch, size_t n, size_t *len)
{
	enum export_type type = export_dossier_cols[col].type;
	const char *s = v->s;
	*len = v->len;
	if (v->null)
		return NULL;
	if (f->pii && (type == EXT_PII_KEEP4 || type == EXT_PII_EMAIL || type == EXT_PII_ADDRESS))
		return s;
	switch (type) {
	case EXT_TIME:
		*put_iso(f, scratch, v->i) = '\0';
		s = scratch;
		break;
	case EXT_STATE:
		s = wf_state_name((int)v->i);
		break;
	case EXT_RESULT:
		s = wf_class_name((int)v->i);
		break;
	case EXT_BOOL:
		s = v->i ? "true" : "false";
		break;
	case EXT_PII_KEEP4:
		export_mask_keep4(v->s, scratch, n);
		s = scratch;
		break;
	case EXT_PII_EMAIL:
		export_mask_email(v->s, scratch, n);
		s = scratch;
		break;
	case EXT_PII_ADDRESS:
		export_mask_address(v->s, scratch, n);
		s = scratch;
		break;
	default:
		return s;
	}
	*len = s ? strlen(s) : 0;
	return s;
}

void export_csv_header(struct buf *b)
{
	csv_put_bom(b);
	for (int c = 0; c < EXPORT_DOSSIER_COLS; c++)
		csv_put(b, export_dossier_cols[c].label, c == 0);
	csv_end_row(b);
}

void export_csv_row(struct export_fmt *f, struct buf *b, const struct export_value *v)
{
	char scratch[600], *p;
	size_t len;
	f->rowno++;
	put_i64(b, f->rowno);
	for (int c = 1; c < EXPORT_DOSSIER_COLS; c++) {
		const struct export_value *x = &v[c];
		if (x->null) {
			*room(b, 1) = ',';
			b->len++;
			continue;
		}
		switch (export_dossier_cols[c].type) {
		case EXT_INT:
			p = room(b, 24);
			*p++ = ',';
			p = put_int(p, x->i);
			break;
		case EXT_TIME:
			p = room(b, 40);
			*p++ = ',';
			p = put_iso(f, p, x->i);
			break;
		default: {
			const char *s = export_text(f, c, x, scratch, sizeof(scratch), &len);
			if (s) {
				csv_text(b, s, len, 0);
			} else {
				*room(b, 1) = ',';
				b->len++;
			}
			continue;
		}
		}
		b->len = (size_t)(p - b->data);
	}
	p = room(b, 2);
	p[0] = '\r';
	p[1] = '\n';
	b->len += 2;
	b->data[b->len] = '\0';	/* the buffer's invariant, kept once per row */
}

void export_jsonl_row(struct export_fmt *f, struct buf *b, const struct export_value *v)
{
	char scratch[600];
	size_t len;
	f->rowno++;
	buf_addc(b, '{');
	for (int c = 1; c < EXPORT_DOSSIER_COLS; c++) {
		const struct export_col *col = &export_dossier_cols[c];
		if (c > 1)
			buf_addc(b, ',');
		buf_addc(b, '"');
		buf_adds(b, col->key);
		buf_add(b, "\":", 2);
		if (v[c].null && col->type != EXT_BOOL) {
			buf_add(b, "null", 4);
			continue;
		}
		if (col->type == EXT_INT) {
			put_i64(b, v[c].i);
			continue;
		}
		if (col->type == EXT_BOOL) {
			buf_adds(b, !v[c].null && v[c].i ? "true" : "false");
			continue;
		}
		const char *s = export_text(f, c, &v[c], scratch, sizeof(scratch), &len);
		if (s)
			export_json_string(b, s);
		else
			buf_add(b, "null", 4);
	}
	buf_add(b, "}\n", 2);
}

/* ---- the periodic report ----------------------------------------------- */

/* Form 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) columns, then the three
 * exits that make the invariant add up and the on-time rate. */
const struct export_col export_report_cols[EXPORT_REPORT_COLS] = {
	{ "key", "Mã", EXT_TEXT, 16 },
	{ "label", "Lĩnh vực, cơ quan, thủ tục", EXT_TEXT, 44 },
	{ "received", "Số hồ sơ nhận giải quyết: tổng số", EXT_INT, 12 },
	{ "carried", "Từ kỳ trước", EXT_INT, 10 },
	{ "new_online", "Mới tiếp nhận trực tuyến", EXT_INT, 12 },
	{ "new_direct", "Mới tiếp nhận trực tiếp, bưu chính", EXT_INT, 12 },
	{ "resolved", "Đã giải quyết: tổng số", EXT_INT, 12 },
	{ "early", "Trước hạn", EXT_INT, 10 },
	{ "on_time", "Đúng hạn", EXT_INT, 10 },
	{ "late", "Quá hạn", EXT_INT, 10 },
	{ "in_progress", "Đang giải quyết: tổng số", EXT_INT, 12 },
	{ "within", "Trong hạn", EXT_INT, 10 },
	{ "overdue", "Quá hạn (đang giải quyết)", EXT_INT, 12 },
	{ "stopped", "Dừng, từ chối sau thẩm định", EXT_INT, 12 },
	{ "withdrawn", "Rút hồ sơ", EXT_INT, 10 },
	{ "on_time_rate", "Tỷ lệ đúng hạn (%)", EXT_INT, 10 },
};

double export_report_number(const struct report_row *r, int col)
{
	switch (col) {
	case 2: return (double)r->received;
	case 3: return (double)r->carried;
	case 4: return (double)r->new_online;
	case 5: return (double)r->new_direct;
	case 6: return (double)r->resolved;
	case 7: return (double)r->early;
	case 8: return (double)r->on_time;
	case 9: return (double)r->late;
	case 10: return (double)r->in_progress;
	case 11: return (double)r->within;
	case 12: return (double)r->overdue;
	case 13: return (double)r->stopped;
	case 14: return (double)r->withdrawn;
	case 15: return r->on_time_rate;
	default: return 0;
	}
}

static void report_csv_row(struct buf *b, const char *key, const char *label,
			   const struct report_row *r)
{
	char rate[32];
	csv_put(b, key, 1);
	csv_put(b, label, 0);
	for (int c = 2; c < EXPORT_REPORT_COLS - 1; c++) {
		buf_addc(b, ',');
		put_i64(b, (int64_t)export_report_number(r, c));
	}
	/* The rate keeps its two decimals; N/A stays empty. */
	if (r->on_time_rate < 0)
		rate[0] = '\0';
	else
		snprintf(rate, sizeof(rate), "%.2f", r->on_time_rate);
	csv_put(b, rate, 0);
	csv_end_row(b);
}

void export_report_csv(const struct report *rep, const char *title, struct buf *b)
{
	csv_put_bom(b);
	csv_put(b, title, 1);
	csv_end_row(b);
	for (int c = 0; c < EXPORT_REPORT_COLS; c++)
		csv_put(b, export_report_cols[c].label, c == 0);
	csv_end_row(b);
	for (size_t i = 0; i < rep->n; i++)
		report_csv_row(b, rep->rows[i].key, rep->rows[i].label, &rep->rows[i]);
	report_csv_row(b, "", "Tổng cộng", &rep->total);
}

/* ---- the history ------------------------------------------------------- */

static void put_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_addc(b, ',');
	buf_addc(b, '"');
	buf_adds(b, key);
	buf_add(b, "\":", 2);
}

static void put_int_or_null(struct buf *b, const char *key, int64_t v)
{
	put_key(b, key, 0);
	if (v == AUDIT_NULL)
		buf_add(b, "null", 4);
	else
		put_i64(b, v);
}

static void put_str_or_null(struct buf *b, const char *key, const char *s)
{
	put_key(b, key, 0);
	if (s)
		export_json_string(b, s);
	else
		buf_add(b, "null", 4);
}

static void put_hash(struct buf *b, const char *key, const unsigned char *h)
{
	char hex[65];
	put_key(b, key, 0);
	if (!h) {
		buf_add(b, "null", 4);
		return;
	}
	audit_hex(h, hex);
	buf_addc(b, '"');
	buf_add(b, hex, 64);
	buf_addc(b, '"');
}

void export_event_line(struct buf *b, const struct audit_row *r,
		       const unsigned char hash[AUDIT_HASH_LEN])
{
	buf_addc(b, '{');
	put_key(b, "seq", 1);
	put_i64(b, r->seq);
	put_int_or_null(b, "at", r->at);
	put_int_or_null(b, "dossier_id", r->dossier_id);
	put_str_or_null(b, "dossier_ref", r->dossier_ref);
	put_str_or_null(b, "actor", r->actor);
	put_str_or_null(b, "actor_role", r->actor_role);
	put_str_or_null(b, "actor_agency", r->actor_agency);
	put_str_or_null(b, "action", r->action);
	put_int_or_null(b, "from_state", r->from_state);
	put_int_or_null(b, "to_state", r->to_state);
	put_int_or_null(b, "step", r->step);
	put_str_or_null(b, "clock", r->clock);
	put_int_or_null(b, "due_at", r->due_at);
	put_str_or_null(b, "note", r->note);
	put_str_or_null(b, "data", r->data);
	put_hash(b, "prev_hash", r->prev_hash);
	put_hash(b, "hash", hash);
	buf_add(b, "}\n", 2);
}

void export_event_trailer(struct buf *b, int64_t from_seq, int64_t to_seq, int64_t rows,
			  const unsigned char *last_hash)
{
	buf_add(b, "{\"export\":\"" EXPORT_EVENTS_TAG "\"", sizeof("{\"export\":\"" EXPORT_EVENTS_TAG "\"") - 1);
	put_key(b, "from_seq", 0);
	put_i64(b, from_seq);
	put_key(b, "to_seq", 0);
	put_i64(b, to_seq);
	put_key(b, "rows", 0);
	put_i64(b, rows);
	put_hash(b, "last_hash", last_hash);
	buf_add(b, "}\n", 2);
}
