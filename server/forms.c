/*
 * motcua — forms: Forms 01–06 as printable HTML pages.
 *
 * The texts follow the templates of Circular 01/2018/TT-VPCP (Appendix)
 * as listed in domain-rules.md §6; the field order is the template's.
 * Pages are self-contained apart from /css/forms.css and /js/forms.js:
 * no inline style or script, because the CSP forbids both.
 */
#include "forms.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <qrencode.h>

#include "date.h"
#include "util.h"
#include "workflow.h"

static const struct {
	const char *code;
	const char *title;
	const char *symbol;
} kinds[FORM__MAX] = {
	[FORM_NONE] = { "", "", "" },
	[FORM_RECEIPT] = { "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "TNHS" },
	[FORM_SUPPLEMENT] = { "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "HDHS" },
	[FORM_REFUSAL] = { "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "TCHS" },
	[FORM_APOLOGY] = { "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "PXL" },
	[FORM_CONTROL] = { "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "KSGQ" },
	[FORM_REGISTER] = { "06", "Sổ theo dõi hồ sơ", "" },
};

enum form_kind forms_parse(const char *code)
{
	for (int f = FORM_RECEIPT; code && f < FORM__MAX; f++)
		if (strcmp(code, kinds[f].code) == 0)
			return (enum form_kind)f;
	return FORM_NONE;
}

const char *forms_code(enum form_kind f)
{
	return f < FORM__MAX ? kinds[f].code : "";
}

const char *forms_title(enum form_kind f)
{
	return f < FORM__MAX ? kinds[f].title : "";
}

const char *forms_symbol(enum form_kind f)
{
	return f < FORM__MAX ? kinds[f].symbol : "";
}

/* ---- labels -------------------------------------------------------------- */

static const char *class_label(int cls)
{
	switch (cls) {
	case WF_EARLY: return "Trước hạn";
	case WF_ON_TIME: return "Đúng hạn";
	case WF_LATE: return "Quá hạn";
	default: return "";
	}
}

/* The history stores classes by name ("early"…). */
static const char *class_label_named(const char *name)
{
	if (!name)
		return "";
	if (strcmp(name, "early") == 0)
		return class_label(WF_EARLY);
	if (strcmp(name, "on_time") == 0)
		return class_label(WF_ON_TIME);
	if (strcmp(name, "late") == 0)
		return class_label(WF_LATE);
	return "";
}

/* State labels of the national portal's list (domain-rules.md §3.2). */
static const char *state_label(int state)
{
	static const char *const labels[WF_STATE_MAX + 1] = {
		"", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
		"Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính",
		"Công dân yêu cầu rút hồ sơ", "Dừng xử lý", "Đã giải quyết", "Đã trả kết quả",
	};
	return state >= WF_STATE_MIN && state <= WF_STATE_MAX ? labels[state] : "";
}

static const char *kind_label(const char *kind)
{
	if (kind && strcmp(kind, "original") == 0)
		return "Bản chính";
	if (kind && strcmp(kind, "certified_copy") == 0)
		return "Bản sao có chứng thực";
	return "Bản sao";
}

static const char *method_label(const char *method)
{
	if (!method)
		return "";
	if (strcmp(method, "counter") == 0)
		return "Trực tiếp tại Bộ phận Một cửa";
	if (strcmp(method, "postal") == 0)
		return "Qua dịch vụ bưu chính công ích";
	if (strcmp(method, "online") == 0)
		return "Trực tuyến";
	return "";
}

/* The same, for the register's narrow column. */
static const char *method_short(const char *method)
{
	if (strcmp(method, "counter") == 0)
		return "Trực tiếp";
	if (strcmp(method, "postal") == 0)
		return "Bưu chính";
	if (strcmp(method, "online") == 0)
		return "Trực tuyến";
	return "";
}

/* ---- times (instants shown in the office zone) -------------------------- */

struct civil {
	int y, mo, d, h, mi;
};

static struct civil civil_of(int64_t t, int off)
{
	struct civil c;
	int64_t local = t + off;
	int sec = date_second_of_day(local);
	date_to_civil(date_day_of(local), &c.y, &c.mo, &c.d);
	c.h = sec / 3600;
	c.mi = sec / 60 % 60;
	return c;
}

/* "16:00, ngày 18/03/2026" (the templates' "… giờ … phút, ngày …", in
 * the figures staff type and read everywhere else), in a <time> element
 * that also carries the instant. */
static void put_when(struct buf *b, int64_t t, int off)
{
	char iso[26];
	if (!t) {
		buf_adds(b, "……");
		return;
	}
	struct civil c = civil_of(t, off);
	date_format_iso(t, off, iso);
	buf_printf(b, "<time datetime=\"%s\">%02d:%02d, ngày %02d/%02d/%04d</time>", iso, c.h, c.mi,
		   c.d, c.mo, c.y);
}

/* "18/03/2026 16:00" for tables; nothing for 0. */
static void put_short(struct buf *b, int64_t t, int off)
{
	char text[17];
	if (!t)
		return;
	date_format_vn(t + off, text);
	buf_adds(b, text);
}

/* "18/03/2026<br>16:00" for the register's narrow columns. */
static void put_cell(struct buf *b, int64_t t, int off)
{
	char text[17];
	if (!t)
		return;
	date_format_vn(t + off, text);
	text[10] = '\0';
	buf_printf(b, "%s<br>%s", text, text + 11);
}

/* "18/03/2026". */
static void put_day(struct buf *b, int64_t t, int off)
{
	if (!t) {
		buf_adds(b, "……");
		return;
	}
	struct civil c = civil_of(t, off);
	buf_printf(b, "%02d/%02d/%04d", c.d, c.mo, c.y);
}

/* "ngày 13 tháng 02 năm 2026", the date line of a document. */
static void put_long_day(struct buf *b, int64_t t, int off)
{
	struct civil c = civil_of(t, off);
	buf_printf(b, "ngày %02d tháng %02d năm %04d", c.d, c.mo, c.y);
}

/* ---- lookups ------------------------------------------------------------- */

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *person(const struct forms_context *c, const char *username)
{
	for (int i = 0; username && i < c->n_people; i++)
		if (strcmp(c->people[i].username, username) == 0 && c->people[i].full_name[0])
			return c->people[i].full_name;
	return str_or_empty(username);
}

/* The name of an agency the dossier has met, by code; the code itself if
 * none of the dossier's agencies has it. */
static const char *agency_name(const struct forms_dossier *x, const char *code)
{
	if (!code || !*code)
		return "";
	if (strcmp(code, x->d->receiving_agency_code) == 0)
		return x->d->receiving_agency_name;
	for (int i = 0; i < x->n_steps; i++)
		if (strcmp(code, x->steps[i].agency_code) == 0)
			return x->steps[i].agency_name;
	return code;
}

static int last_event(const struct forms_dossier *x, const char *a1, const char *a2)
{
	for (int i = x->n_events - 1; i >= 0; i--)
		if (strcmp(x->events[i].action, a1) == 0 || (a2 && strcmp(x->events[i].action, a2) == 0))
			return i;
	return -1;
}

/* ---- which forms apply --------------------------------------------------- */

int forms_check(enum form_kind f, const struct forms_dossier *x, int *source,
		char *why, size_t why_len)
{
	const struct dossier_row *d = x->d;
	*source = -1;
	switch (f) {
	case FORM_RECEIPT:
	case FORM_CONTROL:
		if (!d->code[0] || !d->received_at) {
			snprintf(why, why_len, "Form %s needs a received dossier; this one was never received and has no code.",
				 forms_code(f));
			return -1;
		}
		*source = last_event(x, "receive", "accept");
		return 0;
	case FORM_SUPPLEMENT:
		*source = last_event(x, "request_supplement", NULL);
		if (*source < 0) {
			snprintf(why, why_len, "Form 02 is for a dossier sent back for a supplement; this one never was.");
			return -1;
		}
		return 0;
	case FORM_REFUSAL:
		*source = last_event(x, "refuse", NULL);
		if (*source < 0 || (d->state != WF_NOT_ACCEPTED && d->state != WF_STOPPED)) {
			*source = -1;
			snprintf(why, why_len, "Form 03 is for a refused dossier; this one is %s, not refused.",
				 wf_state_name(d->state));
			return -1;
		}
		return 0;
	case FORM_APOLOGY:
		*source = last_event(x, "extend", NULL);
		if (*source < 0) {
			snprintf(why, why_len, "Form 04 is for a dossier whose appointment was extended with an apology; this one was not.");
			return -1;
		}
		return 0;
	default:
		snprintf(why, why_len, "There is no such form for a dossier.");
		return -1;
	}
}

const char *forms_issuer_code(enum form_kind f, const struct forms_dossier *x, int source)
{
	if ((f == FORM_REFUSAL || f == FORM_APOLOGY) && source >= 0 && source < x->n_events
	    && x->events[source].actor_agency[0])
		return x->events[source].actor_agency;
	return x->d->receiving_agency_code;
}

/* ---- QR code --------------------------------------------------------------- */

int forms_qr_svg(struct buf *b, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1;
	int w = q->width, quiet = 4, size = w + 2 * quiet;
	buf_printf(b, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		   " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"", size, size);
	buf_add_html(b, text);
	buf_printf(b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size);
	/* One path of horizontal runs: a few hundred bytes instead of one
	 * element per module. Bit 0 of each byte is the module's colour. */
	for (int y = 0; y < w; y++) {
		int x = 0;
		while (x < w) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_printf(b, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
			x += run;
		}
	}
	buf_adds(b, "\"/></svg>");
	QRcode_free(q);
	return 0;
}

/* ---- page parts ------------------------------------------------------------ */

static void page_begin(struct buf *b, enum form_kind f, const char *ident, const char *paper)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	buf_add_html(b, forms_title(f));
	if (ident && *ident) {
		buf_adds(b, " – ");
		buf_add_html(b, ident);
	}
	buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"/css/forms.css\">\n"
		    "<link rel=\"icon\" href=\"data:,\">\n<script type=\"module\" src=\"/js/forms.js\"></script>\n</head>\n");
	buf_printf(b, "<body class=\"forms\" data-form=\"%s\">\n", forms_code(f));
	buf_adds(b, "<nav class=\"toolbar\" aria-label=\"In\">"
		    "<button type=\"button\" class=\"print\" data-action=\"print\" disabled>In / Print</button>"
		    "<span class=\"hint\">");
	buf_adds(b, strcmp(paper, "a4") == 0 ? "Khổ A4 ngang" : "Khổ A5");
	buf_adds(b, "</span></nav>\n");
	buf_printf(b, "<main class=\"paper %s\">\n", paper);
}

static void page_end(struct buf *b)
{
	buf_adds(b, "</main>\n</body>\n</html>\n");
}

/* The national heading: issuer on the left, the State's name and motto on
 * the right; the number and the date line below them. */
static void doc_head(struct buf *b, const char *parent, const char *issuer, enum form_kind f,
		     int number, int64_t date, int off)
{
	buf_adds(b, "<header class=\"doc-head\">\n<div class=\"issuer\">");
	if (parent && *parent) {
		buf_adds(b, "<p class=\"parent\">");
		buf_add_html(b, parent);
		buf_adds(b, "</p>");
	}
	buf_adds(b, "<p class=\"agency\">");
	buf_add_html(b, str_or_empty(issuer));
	buf_adds(b, "</p></div>\n<div class=\"nation\"><p class=\"republic\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"
		    "<p class=\"motto\">Độc lập - Tự do - Hạnh phúc</p></div>\n");
	if (number > 0)
		buf_printf(b, "<p class=\"number\">Số: <span class=\"form-number\">%02d</span>/%s</p>\n", number,
			   forms_symbol(f));
	else
		buf_adds(b, "<p class=\"number\"></p>\n");
	buf_adds(b, "<p class=\"date\">");
	if (date)
		put_long_day(b, date, off);
	buf_adds(b, "</p>\n</header>\n");
	buf_adds(b, "<h1 class=\"title\">");
	buf_add_html(b, forms_title(f));
	buf_adds(b, "</h1>\n");
}

/* <p>Label: value</p>, the value escaped; empty values print a blank line
 * to fill by hand, as on the paper template. */
static void line(struct buf *b, const char *label, const char *value)
{
	buf_adds(b, "<p>");
	buf_adds(b, label);
	buf_adds(b, ": ");
	if (value && *value) {
		buf_adds(b, "<span class=\"v\">");
		buf_add_html(b, value);
		buf_adds(b, "</span>");
	} else {
		buf_adds(b, "<span class=\"blank\">……………</span>");
	}
	buf_adds(b, "</p>\n");
}

/* The applicant: "[intro] Ông/Bà: NAME[; ID]", the address, phone and
 * e-mail. intro (a whole sentence start, escaped here) may be NULL. */
static void applicant_lines(struct buf *b, const struct dossier_row *d, int with_id,
			    const char *agency, const char *verb)
{
	buf_adds(b, "<p>");
	if (agency) {
		buf_adds(b, "<span class=\"v\">");
		buf_add_html(b, agency);
		buf_adds(b, "</span> ");
		buf_adds(b, verb);
		buf_adds(b, " hồ sơ của ");
	}
	buf_adds(b, agency ? "ông/bà: " : "Ông/Bà: ");
	buf_adds(b, "<strong class=\"applicant\">");
	buf_add_html(b, d->applicant_name);
	buf_adds(b, "</strong>");
	if (with_id) {
		buf_adds(b, "; số CCCD/CMND/mã số thuế: <span class=\"v\">");
		buf_add_html(b, d->applicant_id_number);
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</p>\n");
	line(b, "Địa chỉ", d->applicant_address);
	buf_adds(b, "<p>Số điện thoại: ");
	if (d->applicant_phone[0])
		buf_add_html(b, d->applicant_phone);
	else
		buf_adds(b, "<span class=\"blank\">……………</span>");
	buf_adds(b, "; Email: ");
	if (d->applicant_email[0])
		buf_add_html(b, d->applicant_email);
	else
		buf_adds(b, "<span class=\"blank\">……………</span>");
	buf_adds(b, "</p>\n");
}

static void procedure_line(struct buf *b, const struct dossier_row *d)
{
	/* Some official names run to several hundred characters: set those
	 * smaller so an A5 slip still holds on one sheet. */
	buf_adds(b, strlen(d->procedure_name) > 240
		    ? "<p>Nội dung yêu cầu giải quyết: <span class=\"procedure long\">"
		    : "<p>Nội dung yêu cầu giải quyết: <span class=\"procedure\">");
	buf_add_html(b, d->procedure_name);
	buf_adds(b, "</span> (mã thủ tục ");
	buf_add_html(b, d->procedure_code);
	buf_adds(b, ")</p>\n");
}

static void code_line(struct buf *b, const struct dossier_row *d)
{
	if (d->code[0]) {
		buf_adds(b, "<p class=\"code-line\">Mã hồ sơ: <strong class=\"dossier-code\">");
		buf_add_html(b, d->code);
	} else {
		buf_adds(b, "<p class=\"code-line\">Số tham chiếu: <strong class=\"dossier-code\">");
		buf_add_html(b, d->ref);
	}
	buf_adds(b, "</strong></p>\n");
}

/* A signature block: role in capitals, the hint, room to sign, the name. */
static void sign(struct buf *b, const char *role, const char *hint, const char *name)
{
	buf_adds(b, "<div class=\"sign\"><p class=\"role\">");
	buf_adds(b, role);
	buf_adds(b, "</p><p class=\"hint\">");
	buf_adds(b, hint);
	buf_adds(b, "</p><p class=\"name\">");
	buf_add_html(b, str_or_empty(name));
	buf_adds(b, "</p></div>\n");
}

static void limit_text(struct buf *b, const struct dossier_row *d)
{
	const char *u = d->limit_unit;
	if (strcmp(u, "working_days") == 0)
		buf_printf(b, "%d ngày làm việc", d->limit_value);
	else if (strcmp(u, "working_hours") == 0)
		buf_printf(b, "%d giờ làm việc", d->limit_value);
	else if (strcmp(u, "calendar_days") == 0)
		buf_printf(b, "%d ngày", d->limit_value);
	else if (strcmp(u, "immediate") == 0)
		buf_adds(b, "giải quyết ngay trong ngày");
	else
		buf_adds(b, "không quy định");
}

/* "50.000 đồng". */
static void money(struct buf *b, int64_t vnd)
{
	char digits[24], out[40];
	int n = snprintf(digits, sizeof(digits), "%lld", (long long)vnd), k = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = '.';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	buf_printf(b, "%s đồng", out);
}

/* ---- Form 01 ---------------------------------------------------------------- */

static void docs_table(struct buf *b, const struct forms_dossier *x)
{
	if (x->n_docs == 0) {
		buf_adds(b, "<p class=\"indent\">(Không có giấy tờ kèm theo)</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"grid docs\">\n<thead><tr><th class=\"n\" rowspan=\"2\">TT</th>"
		    "<th rowspan=\"2\">Tên giấy tờ</th><th colspan=\"3\">Số lượng</th></tr>"
		    "<tr><th class=\"k\">Bản chính</th><th class=\"k\">Bản sao chứng thực</th>"
		    "<th class=\"k\">Bản sao</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < x->n_docs; i++) {
		const struct document_out *doc = &x->docs[i];
		int col = strcmp(doc->kind, "original") == 0 ? 0
			  : strcmp(doc->kind, "certified_copy") == 0 ? 1 : 2;
		buf_printf(b, "<tr><td class=\"n\">%d</td><td>", i + 1);
		buf_add_html(b, doc->name);
		buf_adds(b, "</td>");
		for (int k = 0; k < 3; k++) {
			if (k == col)
				buf_printf(b, "<td class=\"k\">%d</td>", doc->count);
			else
				buf_adds(b, "<td class=\"k\"></td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

static void collect_at(struct buf *b, const struct dossier_row *d)
{
	if (d->return_method[0] && strcmp(d->return_method, "counter") != 0)
		buf_adds(b, method_label(d->return_method));
	else if (!d->return_method[0] && strcmp(d->channel, "online") == 0)
		buf_adds(b, "Trực tuyến (qua Cổng Dịch vụ công)");
	else if (!d->return_method[0] && strcmp(d->channel, "postal") == 0)
		buf_adds(b, "Qua dịch vụ bưu chính công ích");
	else
		buf_add_html(b, d->receiving_agency_name);
}

static void form_receipt(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
			 int source)
{
	const struct dossier_row *d = x->d;
	const char *receiver = source >= 0 ? x->events[source].actor : NULL;
	int off = c->tz_offset;
	struct civil rc = civil_of(d->received_at, off);

	/* The QR code floats at the right of the first lines. */
	buf_adds(b, "<figure class=\"qr-box\">");
	if (!c->lookup_url || forms_qr_svg(b, c->lookup_url) != 0)
		buf_adds(b, "<span class=\"blank\">(không tạo được mã QR)</span>");
	buf_adds(b, "</figure>\n");
	code_line(b, d);
	buf_adds(b, "<p class=\"qr-hint\">Quét mã QR để tra cứu tình hình giải quyết hồ sơ.</p>\n");

	buf_adds(b, "<section class=\"body\">\n");
	applicant_lines(b, d, 1, d->receiving_agency_name, "tiếp nhận");
	procedure_line(b, d);
	buf_adds(b, "<p>1. Thành phần hồ sơ nộp gồm:</p>\n");
	docs_table(b, x);
	buf_adds(b, "<p>2. Số lượng hồ sơ: <span class=\"blank\">………</span> (bộ)</p>\n");
	buf_adds(b, "<p>3. Thời gian giải quyết hồ sơ theo quy định: <span class=\"v\">");
	limit_text(b, d);
	buf_adds(b, "</span></p>\n<p>4. Thời gian nhận hồ sơ: <span class=\"received\">");
	put_when(b, d->received_at, off);
	buf_adds(b, "</span></p>\n<p>5. Thời gian trả kết quả giải quyết hồ sơ: <strong class=\"appointment\">");
	put_when(b, d->appointment_at, off);
	buf_adds(b, "</strong>");
	if (d->extended_at) {
		buf_adds(b, " (đã hẹn lại theo Phiếu xin lỗi và hẹn lại ngày trả kết quả ngày ");
		put_day(b, d->extended_at, off);
		buf_adds(b, ")");
	}
	buf_adds(b, "</p>\n<p>6. Đăng ký nhận kết quả tại: <span class=\"v\">");
	collect_at(b, d);
	buf_adds(b, "</span></p>\n");
	if (d->fee_vnd > 0) {
		buf_adds(b, "<p>Phí, lệ phí: <span class=\"v\">");
		money(b, d->fee_vnd);
		buf_adds(b, "</span></p>\n");
	}
	buf_printf(b, "<p>Vào Sổ theo dõi hồ sơ, Quyển số: <span class=\"v\">01/%04d</span>, Số thứ tự: ", rc.y);
	if (c->register_no > 0)
		buf_printf(b, "<span class=\"v register-no\">%lld</span>", (long long)c->register_no);
	else
		buf_adds(b, "<span class=\"blank\">………</span>");
	buf_adds(b, "</p>\n<p class=\"small\">Khi nhận kết quả, mang theo Giấy này (hoặc giấy ủy quyền nếu nhận"
		    " thay).</p>\n");
	if (c->rating_url) {
		buf_adds(b, "<p class=\"small rating\">Sau khi nhận kết quả, mời Ông/Bà đánh giá mức độ hài lòng"
			    " (một lần) tại: <span class=\"rating-url\">");
		buf_add_html(b, c->rating_url);
		buf_adds(b, "</span></p>\n");
	}
	buf_adds(b, "</section>\n");
	buf_adds(b, "<div class=\"signs two\">\n");
	sign(b, "NGƯỜI NỘP HỒ SƠ", "(Ký và ghi rõ họ tên)", d->applicant_name);
	sign(b, "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", person(c, receiver));
	buf_adds(b, "</div>\n");
}

/* ---- Form 02 ---------------------------------------------------------------- */

static void form_supplement(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
			    int source)
{
	const struct dossier_row *d = x->d;
	const struct event_row *e = &x->events[source];
	cJSON *data = e->data[0] ? cJSON_Parse(e->data) : NULL;
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(data, "items"), *it;
	const char *reason = json_str(data, "reason");
	int i = 0;

	buf_adds(b, "<section class=\"body\">\n");
	code_line(b, d);
	buf_adds(b, "<p>Hồ sơ của: <strong class=\"applicant\">");
	buf_add_html(b, d->applicant_name);
	buf_adds(b, "</strong></p>\n");
	procedure_line(b, d);
	line(b, "Địa chỉ", d->applicant_address);
	buf_adds(b, "<p>Số điện thoại: ");
	buf_add_html(b, d->applicant_phone);
	buf_adds(b, "; Email: ");
	buf_add_html(b, d->applicant_email);
	buf_adds(b, "</p>\n<p>Ngày nhận hồ sơ: ");
	put_day(b, d->received_at, c->tz_offset);
	buf_adds(b, "; ngày yêu cầu bổ sung: ");
	put_day(b, e->at, c->tz_offset);
	buf_adds(b, "</p>\n<p>Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:</p>\n");
	buf_adds(b, "<table class=\"grid items\">\n<thead><tr><th class=\"n\">TT</th><th>Giấy tờ cần bổ sung,"
		    " hoàn thiện</th><th class=\"kind\">Hình thức</th></tr></thead>\n<tbody>\n");
	cJSON_ArrayForEach(it, items) {
		buf_printf(b, "<tr><td class=\"n\">%d</td><td class=\"item\">", ++i);
		buf_add_html(b, str_or_empty(json_str(it, "name")));
		buf_adds(b, "</td><td class=\"kind\">");
		buf_adds(b, kind_label(json_str(it, "kind")));
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n<p>Lý do: <span class=\"reason\">");
	buf_add_html(b, str_or_empty(reason));
	buf_adds(b, "</span></p>\n<p>");
	buf_adds(b, c->supplement_restart
		    ? "Thời hạn giải quyết được tính lại từ đầu kể từ ngày nhận đủ hồ sơ bổ sung"
		      " (khoản 4 Điều 19 Nghị định 61/2018/NĐ-CP)."
		    : "Thời gian chờ bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết.");
	buf_adds(b, "</p>\n<p>Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với <span class=\"v\">");
	buf_add_html(b, person(c, e->actor));
	buf_adds(b, "</span>, <span class=\"v\">");
	buf_add_html(b, d->receiving_agency_name);
	buf_adds(b, "</span> để được hướng dẫn.</p>\n</section>\n<div class=\"signs one\">\n");
	sign(b, "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)", person(c, e->actor));
	buf_adds(b, "</div>\n");
	cJSON_Delete(data);
}

/* ---- Form 03 ---------------------------------------------------------------- */

static void form_refusal(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
			 int source)
{
	const struct dossier_row *d = x->d;
	const struct event_row *e = &x->events[source];
	cJSON *data = e->data[0] ? cJSON_Parse(e->data) : NULL;
	/* Refused at the counter (an online submission not accepted), or
	 * after appraisal by the processing agency. */
	int at_intake = e->from_state == WF_SUBMITTED_ONLINE || d->state == WF_NOT_ACCEPTED;

	buf_adds(b, "<section class=\"body\">\n");
	code_line(b, d);
	applicant_lines(b, d, 0, at_intake ? d->receiving_agency_name : str_or_empty(c->issuer_name),
			at_intake ? "tiếp nhận" : "đã xem xét");
	procedure_line(b, d);
	buf_adds(b, "<p>Qua xem xét, <span class=\"v\">");
	buf_add_html(b, str_or_empty(c->issuer_name));
	buf_adds(b, "</span> thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:</p>\n"
		    "<p class=\"reason-block\"><span class=\"reason\">");
	buf_add_html(b, str_or_empty(json_str(data, "reason")));
	buf_adds(b, "</span></p>\n<p>Ngày từ chối: ");
	put_day(b, e->at, c->tz_offset);
	buf_adds(b, "</p>\n<p>Xin thông báo cho Ông/Bà được biết và thực hiện./.</p>\n</section>\n"
		    "<div class=\"signs one\">\n");
	sign(b, at_intake ? "NGƯỜI TIẾP NHẬN HỒ SƠ" : "NGƯỜI XỬ LÝ HỒ SƠ", "(Ký và ghi rõ họ tên)",
	     person(c, e->actor));
	buf_adds(b, "</div>\n");
	cJSON_Delete(data);
}

/* ---- Form 04 ---------------------------------------------------------------- */

static void form_apology(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
			 int source)
{
	const struct dossier_row *d = x->d;
	const struct event_row *e = &x->events[source];
	cJSON *data = e->data[0] ? cJSON_Parse(e->data) : NULL;
	const char *when = json_str(data, "new_appointment");
	int64_t new_at = d->appointment_at;
	/* Until the extension the appointment follows the due time (receipt,
	 * restart and resume move both alike), and an extension leaves the
	 * due time alone: the due time the extension recorded is the
	 * appointment it replaced. */
	int64_t old_at = e->due_at ? e->due_at : d->first_due_at;
	int off = c->tz_offset;
	const char *issuer = str_or_empty(c->issuer_name);

	if (when)
		date_parse_iso(when, off, &new_at);
	buf_adds(b, "<section class=\"body\">\n<p>Kính gửi: Ông/Bà <strong class=\"applicant\">");
	buf_add_html(b, d->applicant_name);
	buf_adds(b, "</strong></p>\n");
	line(b, "Địa chỉ", d->applicant_address);
	buf_adds(b, "<p>Số điện thoại: ");
	buf_add_html(b, d->applicant_phone);
	buf_adds(b, "; Email: ");
	buf_add_html(b, d->applicant_email);
	buf_adds(b, "</p>\n<p>Ngày ");
	put_day(b, d->received_at, off);
	buf_adds(b, ", <span class=\"v\">");
	buf_add_html(b, d->receiving_agency_name);
	buf_adds(b, "</span> tiếp nhận giải quyết hồ sơ của Ông/Bà.</p>\n");
	code_line(b, d);
	procedure_line(b, d);
	buf_adds(b, "<p>Thời hạn trả kết quả giải quyết hồ sơ: <span class=\"old-appointment\">");
	put_when(b, old_at, off);
	buf_adds(b, "</span></p>\n<p>Tuy nhiên đến nay, <span class=\"v\">");
	buf_add_html(b, issuer);
	buf_adds(b, "</span> chưa trả kết quả giải quyết hồ sơ của Ông/Bà. Lý do: <span class=\"reason\">");
	buf_add_html(b, str_or_empty(json_str(data, "reason")));
	buf_adds(b, "</span></p>\n<p>Sự chậm trễ này đã gây phiền hà cho Ông/Bà. <span class=\"v\">");
	buf_add_html(b, issuer);
	buf_adds(b, "</span> xin lỗi Ông/Bà và hẹn trả kết quả giải quyết hồ sơ vào <strong class=\"new-appointment\">");
	put_when(b, new_at, off);
	buf_adds(b, "</strong>.</p>\n<p>Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.</p>\n</section>\n"
		    "<div class=\"signs one\">\n");
	sign(b, "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên và đóng dấu)", person(c, e->actor));
	buf_adds(b, "</div>\n");
	cJSON_Delete(data);
}

/* ---- Form 05 ---------------------------------------------------------------- */

/* One line of the control sheet. from/to are the giving and receiving
 * sides (agency names or the applicant); giver/receiver the staff who
 * signed (the actor of the history row is one of them). to == NULL marks
 * a line that records an event without a handover. */
struct hop {
	const char *from, *to;
	int64_t at;
	const char *giver, *receiver;
	const char *result;
};

static void hop_row(struct buf *b, const struct forms_context *c, const struct hop *h,
		    struct buf *note)
{
	buf_adds(b, "<tr><td class=\"who\">");
	if (h->to) {
		buf_adds(b, "<span class=\"k\">Giao:</span> ");
		buf_add_html(b, h->from);
		buf_adds(b, "<br><span class=\"k\">Nhận:</span> ");
		buf_add_html(b, h->to);
	} else {
		buf_add_html(b, h->from);
	}
	buf_adds(b, "</td><td class=\"when\">");
	put_short(b, h->at, c->tz_offset);
	buf_adds(b, "<div class=\"signers\"><span>Người giao: ");
	buf_add_html(b, h->giver ? person(c, h->giver) : "");
	buf_adds(b, "</span><span>Người nhận: ");
	buf_add_html(b, h->receiver ? person(c, h->receiver) : "");
	buf_adds(b, "</span></div></td><td class=\"result\">");
	buf_adds(b, str_or_empty(h->result));
	buf_adds(b, "</td><td class=\"note\">");
	buf_add_html(b, buf_cstr(note));
	buf_adds(b, "</td></tr>\n");
}

static const char *step_result(const cJSON *data)
{
	const cJSON *done = cJSON_GetObjectItemCaseSensitive(data, "step_done");
	const char *r = class_label_named(json_str(done, "result"));
	return *r ? r : NULL;
}

/* Replay the history: who held the dossier, who handed it to whom. */
static void control_rows(struct buf *b, const struct forms_context *c, const struct forms_dossier *x)
{
	const struct dossier_row *d = x->d;
	const char *onestop = d->receiving_agency_code;
	const char *applicant = d->applicant_name;
	char holder[32];	/* agency code of who holds the dossier */
	int step = 0;		/* the chain step before the row's action */
	struct buf note = BUF_INIT;

	strlcpy_(holder, onestop, sizeof(holder));
	for (int i = 0; i < x->n_events; i++) {
		const struct event_row *e = &x->events[i];
		cJSON *data = e->data[0] ? cJSON_Parse(e->data) : NULL;
		const char *a = e->action, *reason = json_str(data, "reason");
		char from[32];	/* the holder before this row (holder moves on) */
		strlcpy_(from, holder, sizeof(from));
		struct hop h = { agency_name(x, from), NULL, e->at, e->actor, NULL, NULL };
		int show = 1;
		buf_reset(&note);
		if (strcmp(a, "receive") == 0 || strcmp(a, "accept") == 0) {
			h.from = applicant;
			h.to = agency_name(x, onestop);
			h.giver = NULL;
			h.receiver = e->actor;
			buf_adds(&note, "Tiếp nhận hồ sơ");
			strlcpy_(holder, onestop, sizeof(holder));
		} else if (strcmp(a, "transfer") == 0) {
			const char *to = json_str(data, "to_agency");
			const char *assignee = json_str(data, "assignee");
			h.result = step_result(data);
			if (e->step == step) {
				/* An officer named within the same step. */
				buf_adds(&note, "Phân công xử lý: ");
				buf_adds(&note, person(c, assignee));
			} else {
				h.to = agency_name(x, to);
				if (assignee) {
					buf_adds(&note, "Chuyên viên xử lý: ");
					buf_adds(&note, person(c, assignee));
				}
				if (to)
					strlcpy_(holder, to, sizeof(holder));
			}
		} else if (strcmp(a, "request_supplement") == 0) {
			h.to = strcmp(holder, onestop) == 0 ? applicant : agency_name(x, onestop);
			buf_adds(&note, "Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)");
			if (reason) {
				buf_adds(&note, ": ");
				buf_adds(&note, reason);
			}
			strlcpy_(holder, onestop, sizeof(holder));
		} else if (strcmp(a, "supplement_received") == 0) {
			const char *back = e->step > 0 && e->step <= x->n_steps
					   ? x->steps[e->step - 1].agency_code : onestop;
			if (strcmp(back, onestop) == 0) {
				h.from = applicant;
				h.giver = NULL;
				h.receiver = e->actor;
			}
			h.to = agency_name(x, back);
			buf_adds(&note, strcmp(e->clock, "restart") == 0
				 ? "Nhận đủ hồ sơ bổ sung; thời hạn giải quyết tính lại từ đầu"
				 : "Nhận đủ hồ sơ bổ sung; thời gian chờ không tính vào thời hạn");
			strlcpy_(holder, back, sizeof(holder));
		} else if (strcmp(a, "resolve") == 0) {
			const char *summary = json_str(data, "summary");
			h.to = agency_name(x, onestop);
			h.result = step_result(data);
			buf_adds(&note, "Có kết quả giải quyết");
			if (summary) {
				buf_adds(&note, ": ");
				buf_adds(&note, summary);
			}
			strlcpy_(holder, onestop, sizeof(holder));
		} else if (strcmp(a, "return") == 0) {
			h.to = applicant;
			buf_adds(&note, "Trả kết quả: ");
			buf_adds(&note, method_label(json_str(data, "method")));
		} else if (strcmp(a, "extend") == 0) {
			int64_t at = 0;
			const char *when = json_str(data, "new_appointment");
			char text[17] = "";
			if (when && date_parse_iso(when, c->tz_offset, &at) == 0)
				date_format_vn(at + c->tz_offset, text);
			h.from = agency_name(x, e->actor_agency);
			buf_adds(&note, "Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): ");
			buf_adds(&note, text);
			if (reason) {
				buf_adds(&note, ". Lý do: ");
				buf_adds(&note, reason);
			}
		} else if (strcmp(a, "refuse") == 0) {
			h.to = applicant;
			buf_adds(&note, "Từ chối giải quyết (Mẫu 03)");
			if (reason) {
				buf_adds(&note, ": ");
				buf_adds(&note, reason);
			}
		} else if (strcmp(a, "request_payment") == 0) {
			buf_adds(&note, "Yêu cầu thực hiện nghĩa vụ tài chính");
		} else if (strcmp(a, "payment_received") == 0) {
			buf_adds(&note, "Đã thực hiện nghĩa vụ tài chính");
		} else if (strcmp(a, "withdraw_request") == 0) {
			buf_adds(&note, "Tổ chức, cá nhân đề nghị rút hồ sơ");
			if (reason) {
				buf_adds(&note, ": ");
				buf_adds(&note, reason);
			}
			strlcpy_(holder, onestop, sizeof(holder));
		} else if (strcmp(a, "withdraw_confirm") == 0) {
			buf_adds(&note, "Dừng xử lý theo đề nghị rút hồ sơ");
		} else {
			show = 0;	/* form_issued and other bookkeeping */
		}
		if (show)
			hop_row(b, c, &h, &note);
		if (e->step >= 0)
			step = e->step;
		cJSON_Delete(data);
	}
	buf_release(&note);
}

static void form_control(struct buf *b, const struct forms_context *c, const struct forms_dossier *x)
{
	const struct dossier_row *d = x->d;
	int off = c->tz_offset, first = 1;

	buf_adds(b, "<section class=\"body\">\n");
	code_line(b, d);
	buf_adds(b, "<p>(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: ");
	if (c->receipt_number > 0)
		buf_printf(b, "<span class=\"v\">%02d/%s</span>", c->receipt_number, forms_symbol(FORM_RECEIPT));
	else
		buf_adds(b, "<span class=\"blank\">………</span>");
	buf_adds(b, ")</p>\n<p>Người nộp hồ sơ: <strong class=\"applicant\">");
	buf_add_html(b, d->applicant_name);
	buf_adds(b, "</strong>; số điện thoại: ");
	buf_add_html(b, d->applicant_phone);
	buf_adds(b, "</p>\n");
	procedure_line(b, d);
	buf_adds(b, "<p>Nhận hồ sơ: ");
	put_short(b, d->received_at, off);
	buf_adds(b, "; hẹn trả kết quả: <span class=\"appointment\">");
	put_short(b, d->appointment_at, off);
	buf_adds(b, "</span></p>\n");
	line(b, "Cơ quan chủ trì giải quyết", c->lead_name);
	buf_adds(b, "<p>Cơ quan phối hợp giải quyết: ");
	for (int i = 0; i < x->n_steps; i++) {
		const char *name = x->steps[i].agency_name;
		int seen = c->lead_name && strcmp(name, c->lead_name) == 0;
		for (int k = 0; k < i && !seen; k++)
			seen = strcmp(x->steps[k].agency_name, name) == 0;
		if (seen)
			continue;
		if (!first)
			buf_adds(b, "; ");
		buf_add_html(b, name);
		first = 0;
	}
	if (first)
		buf_adds(b, "không");
	buf_adds(b, "</p>\n<table class=\"grid control\">\n<thead><tr><th class=\"who\">Tên cơ quan</th>"
		    "<th class=\"when\">Thời gian giao, nhận hồ sơ</th>"
		    "<th class=\"result\">Kết quả giải quyết hồ sơ<br><span class=\"sub\">(trước hạn, đúng hạn,"
		    " quá hạn)</span></th>"
		    "<th class=\"note\">Ghi chú</th></tr></thead>\n<tbody>\n");
	control_rows(b, c, x);
	buf_adds(b, "</tbody></table>\n<p class=\"summary\">");
	if (d->result_class) {
		buf_adds(b, "Kết quả giải quyết hồ sơ: <strong class=\"class\">");
		buf_adds(b, class_label(d->result_class));
		buf_adds(b, "</strong> (giải quyết lúc ");
		put_short(b, d->resolved_at, off);
		buf_adds(b, ", hạn giải quyết ");
		put_short(b, d->due_at, off);
		buf_adds(b, ")");
	} else {
		buf_adds(b, "Tình trạng: <strong class=\"class\">");
		buf_adds(b, state_label(d->state));
		buf_adds(b, "</strong>");
		if (d->due_at) {
			buf_adds(b, "; hạn giải quyết ");
			put_short(b, d->due_at, off);
		}
	}
	buf_adds(b, "</p>\n</section>\n");
}

void forms_render(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
		  int source)
{
	const struct dossier_row *d = x->d;
	int needs_source = c->form == FORM_SUPPLEMENT || c->form == FORM_REFUSAL || c->form == FORM_APOLOGY;
	if (needs_source && (source < 0 || source >= x->n_events))
		return;
	page_begin(b, c->form, d->code[0] ? d->code : d->ref, "a5");
	doc_head(b, c->issuer_parent, c->issuer_name, c->form, c->number, c->issued_at, c->tz_offset);
	switch (c->form) {
	case FORM_RECEIPT:
		form_receipt(b, c, x, source);
		break;
	case FORM_SUPPLEMENT:
		form_supplement(b, c, x, source);
		break;
	case FORM_REFUSAL:
		form_refusal(b, c, x, source);
		break;
	case FORM_APOLOGY:
		form_apology(b, c, x, source);
		break;
	case FORM_CONTROL:
		form_control(b, c, x);
		break;
	default:
		break;
	}
	page_end(b);
}

/* ---- Form 06 ---------------------------------------------------------------- */

void forms_register_begin(struct buf *b, const struct forms_register *h)
{
	char from[11], to[11];
	int fy, fm, fd, ty, tm, td;
	date_to_civil(h->from_day, &fy, &fm, &fd);
	date_to_civil(h->to_day, &ty, &tm, &td);
	snprintf(from, sizeof(from), "%02d/%02d/%04d", fd, fm, fy);
	snprintf(to, sizeof(to), "%02d/%02d/%04d", td, tm, ty);
	page_begin(b, FORM_REGISTER, from, "a4");
	doc_head(b, h->agency_name ? h->agency_parent : "",
		 h->agency_name ? h->agency_name : "Các cơ quan tiếp nhận hồ sơ", FORM_REGISTER, 0,
		 h->now, h->tz_offset);
	buf_printf(b, "<p class=\"period\">Từ ngày <span class=\"from\">%s</span> đến ngày <span class=\"to\">%s</span>",
		   from, to);
	if (fy == ty)
		buf_printf(b, " — Quyển số 01/%04d", fy);
	buf_adds(b, "</p>\n");
	if (!h->agency_name)
		buf_adds(b, "<p class=\"period small\">Bản tổng hợp: sổ của từng cơ quan tiếp nhận, nối tiếp nhau;"
			    " số thứ tự là số trong sổ năm của cơ quan đó.</p>\n");
	/* Column widths live on <col>: a fixed-layout table takes them from
	 * there, whatever the two header rows span. */
	buf_adds(b, "<table class=\"grid register\">\n<colgroup><col class=\"c-n\"><col class=\"c-code\">"
		    "<col class=\"c-proc\"><col class=\"c-name\"><col class=\"c-addr\"><col class=\"c-lead\">"
		    "<col class=\"c-t\"><col class=\"c-t\"><col class=\"c-t\"><col class=\"c-t\">"
		    "<col class=\"c-method\"><col class=\"c-sign\"><col class=\"c-note\"></colgroup>\n<thead>\n<tr>"
		    "<th rowspan=\"2\" class=\"n\">STT</th><th rowspan=\"2\" class=\"code\">Mã hồ sơ</th>"
		    "<th rowspan=\"2\" class=\"proc\">Tên TTHC</th><th rowspan=\"2\" class=\"name\">Tên cá nhân, tổ chức</th>"
		    "<th rowspan=\"2\" class=\"addr\">Địa chỉ, số điện thoại</th>"
		    "<th rowspan=\"2\" class=\"lead\">Cơ quan chủ trì giải quyết</th>"
		    "<th colspan=\"4\">Ngày, tháng, năm</th>"
		    "<th rowspan=\"2\" class=\"method\">Phương thức nhận kết quả</th>"
		    "<th rowspan=\"2\" class=\"signbox\">Ký nhận</th><th rowspan=\"2\" class=\"note\">Ghi chú</th></tr>\n<tr><th class=\"t\">Nhận hồ sơ</th>"
		    "<th class=\"t\">Hẹn trả kết quả</th><th class=\"t\">Chuyển hồ sơ / Nhận kết quả</th>"
		    "<th class=\"t\">Trả kết quả</th></tr>\n</thead>\n<tbody>\n");
}

void forms_register_group(struct buf *b, const char *name)
{
	buf_adds(b, "<tr class=\"group\"><th colspan=\"13\">");
	buf_add_html(b, name);
	buf_adds(b, "</th></tr>\n");
}

static void register_note(struct buf *b, const struct forms_register *h, const struct register_row *x)
{
	int running = wf_clock_running(x->state) && !x->paused_at;
	if (x->result_class)
		buf_adds(b, class_label(x->result_class));
	else if (running && x->due_at && h->now > x->due_at)
		buf_adds(b, "Quá hạn (đang giải quyết)");
	else
		buf_adds(b, state_label(x->state));
	if (x->extended_at) {
		buf_adds(b, "; hẹn lại ");
		put_short(b, x->appointment_at, h->tz_offset);
	}
}

void forms_register_row(struct buf *b, const struct forms_register *h, const struct register_row *x)
{
	int off = h->tz_offset;
	buf_printf(b, "<tr><td class=\"n\">%lld</td><td class=\"code\">", (long long)x->stt);
	buf_add_html(b, x->code);
	buf_adds(b, "</td><td class=\"proc\">");
	buf_add_html(b, x->procedure_name);
	buf_adds(b, "</td><td>");
	buf_add_html(b, x->applicant_name);
	buf_adds(b, "</td><td>");
	buf_add_html(b, x->applicant_address);
	if (x->applicant_phone[0]) {
		buf_adds(b, "<br>");
		buf_add_html(b, x->applicant_phone);
	}
	buf_adds(b, "</td><td>");
	buf_add_html(b, x->lead_agency_name);
	buf_adds(b, "</td><td class=\"t\">");
	put_cell(b, x->received_at, off);
	buf_adds(b, "</td><td class=\"t\">");
	/* The appointment the citizen was given at receipt is the due time
	 * until an extension moves the appointment on. */
	put_cell(b, x->extended_at ? x->due_at : x->appointment_at, off);
	buf_adds(b, "</td><td class=\"t\">");
	if (x->transferred_at) {
		buf_adds(b, "Chuyển:<br>");
		put_cell(b, x->transferred_at, off);
	}
	if (x->resolved_at) {
		buf_adds(b, x->transferred_at ? "<br>" : "");
		buf_adds(b, "Nhận KQ:<br>");
		put_cell(b, x->resolved_at, off);
	}
	buf_adds(b, "</td><td class=\"t\">");
	put_cell(b, x->returned_at, off);
	buf_adds(b, "</td><td>");
	buf_adds(b, method_short(x->return_method));
	buf_adds(b, "</td><td class=\"signbox\"></td><td class=\"note\">");
	register_note(b, h, x);
	buf_adds(b, "</td></tr>\n");
}

void forms_register_end(struct buf *b, const struct forms_register *h, int rows)
{
	if (rows == 0)
		buf_adds(b, "<tr><td colspan=\"13\" class=\"empty\">Không có hồ sơ nào được tiếp nhận trong khoảng"
			    " thời gian này.</td></tr>\n");
	buf_adds(b, "</tbody></table>\n");
	if (h->next_url) {
		buf_printf(b, "<p class=\"continued\">Trang này gồm %d hồ sơ (số thứ tự từ %lld); sổ còn tiếp ở trang"
			   " sau. <a class=\"next\" href=\"", rows, (long long)h->first_stt);
		buf_add_html(b, h->next_url);
		buf_adds(b, "\">Trang sau</a></p>\n");
	}
	page_end(b);
}
