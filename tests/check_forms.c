/*
 * motcua tests — forms: the printable forms written from plain structs.
 *
 * A two-agency land dossier (the chain of procedure 1.013831: Sở NN&MT →
 * Thuế → Sở NN&MT) is built by hand with its history, and each form's
 * page is checked against it: the code, the applicant, the times as the
 * templates word them, the documents, the supplement items and reason,
 * the refusal, the apology's old and new appointments, one control-sheet
 * line per handover with each step's result, and the register's lines.
 * The QR code is decoded back from the SVG path and compared, module by
 * module, with libqrencode's encoding of the lookup address. Hostile
 * names must come out escaped in every form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "buf.h"
#include "date.h"
#include "forms.h"
#include "tests.h"
#include "util.h"
#include "workflow.h"

#define OFF (7 * 3600)

/* Instant of a wall time in Vietnam. */
static int64_t vn(int y, int mo, int d, int h, int mi)
{
	return date_at(date_from_civil(y, mo, d), h * 60 + mi) - OFF;
}

struct fixture {
	struct dossier_row d;
	struct dossier_step steps[3];
	struct document_out docs[2];
	struct event_row ev[16];
	int n_ev;
	struct forms_dossier x;
	struct forms_person people[6];
	struct forms_context c;
	struct buf out;
};

static void add_event(struct fixture *f, const char *action, int64_t at, const char *actor,
		      const char *agency, int from, int to, int step, const char *clock, int64_t due,
		      const char *data)
{
	struct event_row *e = &f->ev[f->n_ev++];
	memset(e, 0, sizeof(*e));
	e->seq = f->n_ev;
	e->at = at;
	e->dossier_id = f->d.id;
	e->dossier_ref = xstrdup(f->d.code);
	e->actor = xstrdup(actor);
	e->actor_role = xstrdup("");
	e->actor_agency = xstrdup(agency);
	e->action = xstrdup(action);
	e->from_state = from;
	e->to_state = to;
	e->step = step;
	e->clock = xstrdup(clock);
	e->due_at = due;
	e->note = xstrdup("");
	e->data = xstrdup(data);
}

static void step(struct dossier_step *s, int seq, const char *code, const char *name, int64_t start,
		 int64_t due, int64_t done, int cls)
{
	memset(s, 0, sizeof(*s));
	s->seq = seq;
	s->agency_id = 100 + seq;
	strlcpy_(s->agency_code, code, sizeof(s->agency_code));
	strlcpy_(s->agency_name, name, sizeof(s->agency_name));
	s->started_at = start;
	s->due_at = due;
	s->finished_at = done;
	s->result_class = cls;
}

#define NNMT "000.00.21.H56"
#define THUE "000.00.41.H56"
#define HCC "000.01.01.H56"

/* The dossier of the "done when": received, transferred, sent
 * back for a supplement, supplemented (restart), passed to Thuế and back,
 * extended with an apology, resolved late, returned. */
static struct fixture *fixture_new(const char *applicant)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	struct dossier_row *d = &f->d;
	int64_t due1 = vn(2026, 3, 25, 8, 0), due2 = vn(2026, 3, 31, 9, 0);
	d->id = 42;
	strlcpy_(d->code, HCC "-260302-0001", sizeof(d->code));
	strlcpy_(d->ref, "R-42", sizeof(d->ref));
	strlcpy_(d->procedure_code, "1.013831", sizeof(d->procedure_code));
	strlcpy_(d->procedure_name, "Đăng ký biến động quyền sử dụng đất", sizeof(d->procedure_name));
	strlcpy_(d->receiving_agency_code, HCC, sizeof(d->receiving_agency_code));
	strlcpy_(d->receiving_agency_name, "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
		 sizeof(d->receiving_agency_name));
	strlcpy_(d->channel, "direct", sizeof(d->channel));
	d->state = WF_RETURNED;
	strlcpy_(d->applicant_name, applicant, sizeof(d->applicant_name));
	strlcpy_(d->applicant_id_number, "038090001234", sizeof(d->applicant_id_number));
	strlcpy_(d->applicant_phone, "0912345678", sizeof(d->applicant_phone));
	strlcpy_(d->applicant_address, "Phường Hạc Thành, Thanh Hóa", sizeof(d->applicant_address));
	strlcpy_(d->applicant_email, "an@example.vn", sizeof(d->applicant_email));
	d->limit_value = 18;
	strlcpy_(d->limit_unit, "working_days", sizeof(d->limit_unit));
	d->received_at = vn(2026, 3, 2, 8, 0);
	d->first_due_at = due1;
	d->due_at = due2;
	d->appointment_at = vn(2026, 4, 15, 16, 0);
	d->extended_at = vn(2026, 3, 27, 10, 0);
	d->resolved_at = vn(2026, 4, 6, 10, 0);
	d->returned_at = vn(2026, 4, 7, 9, 30);
	d->result_class = WF_LATE;
	d->supplement_count = 1;
	d->extension_count = 1;
	d->fee_vnd = 50000;
	strlcpy_(d->return_method, "counter", sizeof(d->return_method));
	d->receiving_agency_id = 7;
	d->lead_agency_id = 101;

	step(&f->steps[0], 1, NNMT, "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa", vn(2026, 3, 5, 9, 0),
	     vn(2026, 3, 11, 11, 0), vn(2026, 3, 10, 14, 0), WF_EARLY);
	step(&f->steps[1], 2, THUE, "Thuế tỉnh Thanh Hóa", vn(2026, 3, 10, 14, 0), vn(2026, 3, 13, 14, 0),
	     vn(2026, 3, 16, 9, 0), WF_LATE);
	step(&f->steps[2], 3, NNMT, "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa", vn(2026, 3, 16, 9, 0),
	     vn(2026, 3, 19, 9, 0), vn(2026, 4, 6, 10, 0), WF_LATE);

	f->docs[0].seq = 1;
	strlcpy_(f->docs[0].name, "Đơn đăng ký biến động", sizeof(f->docs[0].name));
	strlcpy_(f->docs[0].kind, "original", sizeof(f->docs[0].kind));
	f->docs[0].count = 1;
	f->docs[1].seq = 2;
	strlcpy_(f->docs[1].name, "Giấy chứng nhận quyền sử dụng đất", sizeof(f->docs[1].name));
	strlcpy_(f->docs[1].kind, "certified_copy", sizeof(f->docs[1].kind));
	f->docs[1].count = 2;

	add_event(f, "receive", d->received_at, "clerk", HCC, 0, 2, 0, "start", due1, "{}");
	add_event(f, "form_issued", d->received_at + 60, "clerk", HCC, 0, 0, -1, "", 0,
		  "{\"form\":\"01\",\"number\":7,\"year\":2026}");
	add_event(f, "transfer", vn(2026, 3, 2, 9, 0), "clerk", HCC, 2, 4, 1, "", due1,
		  "{\"to_agency\":\"" NNMT "\"}");
	add_event(f, "request_supplement", vn(2026, 3, 3, 9, 0), "officer", NNMT, 4, 5, 1, "pause", due1,
		  "{\"items\":[{\"name\":\"Sổ hộ khẩu\",\"kind\":\"certified_copy\"},"
		  "{\"name\":\"Trích đo <thửa> đất\",\"kind\":\"original\"}],"
		  "\"reason\":\"Thiếu giấy tờ về nhân thân & thửa đất\"}");
	add_event(f, "supplement_received", vn(2026, 3, 5, 9, 0), "clerk", HCC, 5, 4, 1, "restart", due2, "");
	add_event(f, "transfer", vn(2026, 3, 5, 10, 0), "manager.nnmt", NNMT, 4, 4, 1, "", due2,
		  "{\"to_agency\":\"" NNMT "\",\"assignee\":\"officer\"}");
	add_event(f, "transfer", vn(2026, 3, 10, 14, 0), "officer", NNMT, 4, 4, 2, "", due2,
		  "{\"to_agency\":\"" THUE "\",\"step_done\":{\"seq\":1,\"result\":\"early\"}}");
	add_event(f, "transfer", vn(2026, 3, 16, 9, 0), "officer.thue", THUE, 4, 4, 3, "", due2,
		  "{\"to_agency\":\"" NNMT "\",\"step_done\":{\"seq\":2,\"result\":\"late\"}}");
	add_event(f, "extend", d->extended_at, "manager.nnmt", NNMT, 4, 4, 3, "extend", due2,
		  "{\"new_appointment\":\"2026-04-15T16:00:00+07:00\",\"before_due\":true,"
		  "\"reason\":\"Chờ kết quả đo đạc lại thửa đất\"}");
	add_event(f, "resolve", d->resolved_at, "officer", NNMT, 4, 9, 3, "stop", due2,
		  "{\"result\":\"late\",\"summary\":\"Cấp Giấy chứng nhận\",\"work_seconds\":1,"
		  "\"step_done\":{\"seq\":3,\"result\":\"late\"}}");
	add_event(f, "return", d->returned_at, "clerk", HCC, 9, 10, 3, "", due2, "{\"method\":\"counter\"}");

	f->x.d = d;
	f->x.steps = f->steps;
	f->x.n_steps = 3;
	f->x.docs = f->docs;
	f->x.n_docs = 2;
	f->x.events = f->ev;
	f->x.n_events = f->n_ev;

	static const char *const names[][2] = {
		{ "clerk", "Nguyễn Thị Lan" }, { "officer", "Lê Minh Tuấn" },
		{ "officer.thue", "Vũ Quang Huy" }, { "manager.nnmt", "Trịnh Xuân Sơn" },
	};
	for (int i = 0; i < 4; i++) {
		f->people[i].username = names[i][0];
		f->people[i].full_name = names[i][1];
	}
	f->c.people = f->people;
	f->c.n_people = 4;
	f->c.number = 7;
	f->c.issued_at = d->received_at + 60;
	f->c.tz_offset = OFF;
	f->c.issuer_name = d->receiving_agency_name;
	f->c.issuer_parent = "Văn phòng Ủy ban nhân dân tỉnh Thanh Hóa";
	f->c.lead_name = "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa";
	f->c.lookup_url = "https://dichvucong.thanhhoa.example/lookup?code=" HCC "-260302-0001";
	f->c.register_no = 12;
	f->c.receipt_number = 7;
	f->c.supplement_restart = 1;
	return f;
}

/* Forget the history after its first n rows. */
static void truncate_events(struct fixture *f, int n)
{
	while (f->n_ev > n)
		db_event_row_release(&f->ev[--f->n_ev]);
	f->x.n_events = f->n_ev;
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < f->n_ev; i++)
		db_event_row_release(&f->ev[i]);
	buf_release(&f->out);
	free(f);
}

/* Render form k and return the page. */
static const char *render(struct fixture *f, enum form_kind k)
{
	char why[200];
	int source;
	buf_reset(&f->out);
	f->c.form = k;
	ck_assert_msg(forms_check(k, &f->x, &source, why, sizeof(why)) == 0, "form %s: %s", forms_code(k), why);
	forms_render(&f->out, &f->c, &f->x, source);
	return buf_cstr(&f->out);
}

#define HAS(page, text) ck_assert_msg(strstr((page), (text)) != NULL, "missing: %s", (text))
#define LACKS(page, text) ck_assert_msg(strstr((page), (text)) == NULL, "unexpected: %s", (text))

static int count(const char *page, const char *text)
{
	int n = 0;
	for (const char *p = page; (p = strstr(p, text)); p += strlen(text))
		n++;
	return n;
}

/* The text between the first `from` and the next `to` (static, for
 * checks on one part of a page). */
static const char *between(const char *page, const char *from, const char *to)
{
	static char part[8192];
	const char *a = strstr(page, from), *b;
	ck_assert_msg(a != NULL, "missing: %s", from);
	b = strstr(a + strlen(from), to);
	ck_assert_msg(b != NULL, "missing: %s", to);
	snprintf(part, sizeof(part), "%.*s", (int)(b - a), a);
	return part;
}

/* ---- names and applicability ------------------------------------------- */

START_TEST(test_forms_codes_and_titles)
{
	ck_assert_int_eq(forms_parse("01"), FORM_RECEIPT);
	ck_assert_int_eq(forms_parse("05"), FORM_CONTROL);
	ck_assert_int_eq(forms_parse("06"), FORM_REGISTER);
	ck_assert_int_eq(forms_parse("07"), FORM_NONE);
	ck_assert_int_eq(forms_parse("1"), FORM_NONE);
	ck_assert_int_eq(forms_parse(""), FORM_NONE);
	ck_assert_int_eq(forms_parse(NULL), FORM_NONE);
	ck_assert_str_eq(forms_title(FORM_RECEIPT), "Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
	ck_assert_str_eq(forms_title(FORM_SUPPLEMENT), "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ");
	ck_assert_str_eq(forms_title(FORM_REFUSAL), "Phiếu từ chối tiếp nhận giải quyết hồ sơ");
	ck_assert_str_eq(forms_title(FORM_APOLOGY), "Phiếu xin lỗi và hẹn lại ngày trả kết quả");
	ck_assert_str_eq(forms_title(FORM_CONTROL), "Phiếu kiểm soát quá trình giải quyết hồ sơ");
	ck_assert_str_eq(forms_title(FORM_REGISTER), "Sổ theo dõi hồ sơ");
	ck_assert_str_eq(forms_symbol(FORM_SUPPLEMENT), "HDHS");
	ck_assert_str_eq(forms_symbol(FORM_APOLOGY), "PXL");
}
END_TEST

START_TEST(test_forms_check_which_apply)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	char why[200];
	int source;
	/* The full history: 01, 02, 04, 05 apply; 03 does not (never refused). */
	ck_assert_int_eq(forms_check(FORM_RECEIPT, &f->x, &source, why, sizeof(why)), 0);
	ck_assert_str_eq(f->ev[source].action, "receive");
	ck_assert_int_eq(forms_check(FORM_SUPPLEMENT, &f->x, &source, why, sizeof(why)), 0);
	ck_assert_str_eq(f->ev[source].action, "request_supplement");
	ck_assert_int_eq(forms_check(FORM_APOLOGY, &f->x, &source, why, sizeof(why)), 0);
	ck_assert_str_eq(f->ev[source].action, "extend");
	ck_assert_str_eq(forms_issuer_code(FORM_APOLOGY, &f->x, source), NNMT);
	ck_assert_int_eq(forms_check(FORM_CONTROL, &f->x, &source, why, sizeof(why)), 0);
	ck_assert_str_eq(forms_issuer_code(FORM_CONTROL, &f->x, source), HCC);
	ck_assert_int_eq(forms_check(FORM_REFUSAL, &f->x, &source, why, sizeof(why)), -1);
	ck_assert_int_eq(source, -1);
	ck_assert_ptr_nonnull(strstr(why, "not refused"));
	ck_assert_int_eq(forms_check(FORM_REGISTER, &f->x, &source, why, sizeof(why)), -1);

	/* Only the receipt: no supplement, no apology. */
	f->x.n_events = 2;
	ck_assert_int_eq(forms_check(FORM_SUPPLEMENT, &f->x, &source, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "supplement"));
	ck_assert_int_eq(forms_check(FORM_APOLOGY, &f->x, &source, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "extended"));

	/* Refused after appraisal: 03 applies, issued by the refusing agency. */
	truncate_events(f, 3);
	add_event(f, "refuse", vn(2026, 3, 3, 9, 0), "officer", NNMT, 4, 8, 1, "stop", 0,
		  "{\"reason\":\"Đất đang có tranh chấp\"}");
	f->x.n_events = f->n_ev;
	f->d.state = WF_STOPPED;
	ck_assert_int_eq(forms_check(FORM_REFUSAL, &f->x, &source, why, sizeof(why)), 0);
	ck_assert_str_eq(f->ev[source].action, "refuse");
	ck_assert_str_eq(forms_issuer_code(FORM_REFUSAL, &f->x, source), NNMT);

	/* Never received (an online submission not accepted): no code, so no
	 * receipt and no control sheet. */
	f->d.code[0] = '\0';
	f->d.received_at = 0;
	f->d.state = WF_NOT_ACCEPTED;
	ck_assert_int_eq(forms_check(FORM_RECEIPT, &f->x, &source, why, sizeof(why)), -1);
	ck_assert_int_eq(forms_check(FORM_CONTROL, &f->x, &source, why, sizeof(why)), -1);
	ck_assert_int_eq(forms_check(FORM_REFUSAL, &f->x, &source, why, sizeof(why)), 0);
	fixture_free(f);
}
END_TEST

/* ---- Form 01 ------------------------------------------------------------ */

START_TEST(test_forms_receipt_content)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	f->d.extended_at = 0;
	f->d.appointment_at = f->d.due_at;
	const char *p = render(f, FORM_RECEIPT);
	HAS(p, "<!DOCTYPE html>");
	HAS(p, "<link rel=\"stylesheet\" href=\"/css/forms.css\">");
	HAS(p, "<script type=\"module\" src=\"/js/forms.js\"></script>");
	HAS(p, "data-action=\"print\"");
	LACKS(p, "style=");			/* the CSP allows no inline style */
	LACKS(p, "<script>");
	HAS(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	HAS(p, "Độc lập - Tự do - Hạnh phúc");
	HAS(p, "<p class=\"parent\">Văn phòng Ủy ban nhân dân tỉnh Thanh Hóa</p>");
	HAS(p, "<p class=\"agency\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</p>");
	HAS(p, "Số: <span class=\"form-number\">07</span>/TNHS");
	HAS(p, "ngày 02 tháng 03 năm 2026");
	HAS(p, "<h1 class=\"title\">Giấy tiếp nhận hồ sơ và hẹn trả kết quả</h1>");
	HAS(p, "Mã hồ sơ: <strong class=\"dossier-code\">000.01.01.H56-260302-0001</strong>");
	HAS(p, "<strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(p, "038090001234");
	HAS(p, "Phường Hạc Thành, Thanh Hóa");
	HAS(p, "0912345678");
	HAS(p, "an@example.vn");
	HAS(p, "Đăng ký biến động quyền sử dụng đất</span> (mã thủ tục 1.013831)");
	/* Documents: the count sits under its kind. */
	HAS(p, "<td>Đơn đăng ký biến động</td><td class=\"k\">1</td><td class=\"k\"></td><td class=\"k\"></td>");
	HAS(p, "<td>Giấy chứng nhận quyền sử dụng đất</td><td class=\"k\"></td><td class=\"k\">2</td>"
	       "<td class=\"k\"></td>");
	HAS(p, "18 ngày làm việc");
	HAS(p, "<time datetime=\"2026-03-02T08:00:00+07:00\">08:00, ngày 02/03/2026</time>");
	HAS(p, "<strong class=\"appointment\"><time datetime=\"2026-03-31T09:00:00+07:00\">"
	       "09:00, ngày 31/03/2026</time></strong>");
	LACKS(p, "đã hẹn lại");
	HAS(p, "Đăng ký nhận kết quả tại: <span class=\"v\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa");
	HAS(p, "50.000 đồng");
	HAS(p, "Quyển số: <span class=\"v\">01/2026</span>, Số thứ tự: <span class=\"v register-no\">12</span>");
	HAS(p, "NGƯỜI NỘP HỒ SƠ");
	HAS(p, "NGƯỜI TIẾP NHẬN HỒ SƠ</p><p class=\"hint\">(Ký và ghi rõ họ tên)</p>"
	       "<p class=\"name\">Nguyễn Thị Lan</p>");
	ck_assert_int_eq(count(p, "<svg class=\"qr\""), 1);
	ck_assert_int_eq(count(p, "<tr><td class=\"n\">"), 2);

	/* After an apology the slip shows the new appointment and says why. */
	f->d.extended_at = vn(2026, 3, 27, 10, 0);
	f->d.appointment_at = vn(2026, 4, 15, 16, 0);
	p = render(f, FORM_RECEIPT);
	HAS(p, "16:00, ngày 15/04/2026");
	HAS(p, "đã hẹn lại theo Phiếu xin lỗi và hẹn lại ngày trả kết quả ngày 27/03/2026");
	fixture_free(f);
}
END_TEST

START_TEST(test_forms_receipt_times_in_the_office_zone)
{
	struct fixture *f = fixture_new("Lê Thị Hoa");
	/* 23:30 UTC on 31 Dec is 06:30 on 1 Jan in Vietnam. */
	f->d.received_at = date_at(date_from_civil(2026, 12, 31), 23 * 60 + 30);
	f->d.appointment_at = date_at(date_from_civil(2027, 1, 5), 9 * 60);	/* 16:00 local */
	f->d.extended_at = 0;
	f->c.issued_at = f->d.received_at;
	const char *p = render(f, FORM_RECEIPT);
	HAS(p, "06:30, ngày 01/01/2027");
	HAS(p, "16:00, ngày 05/01/2027");
	HAS(p, "ngày 01 tháng 01 năm 2027");
	HAS(p, "Quyển số: <span class=\"v\">01/2027</span>");
	fixture_free(f);
}
END_TEST

/* Read the dark modules back from the SVG path ("M{x} {y}h{n}v1h-{n}z"
 * runs) and compare them with libqrencode's own encoding of the text. */
static void check_qr(const char *page, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(q);
	int w = q->width, size = w + 8;
	char view[64];
	snprintf(view, sizeof(view), "viewBox=\"0 0 %d %d\"", size, size);
	HAS(page, view);
	const char *d = strstr(page, "<path fill=\"#000\" d=\"");
	ck_assert_ptr_nonnull(d);
	d += strlen("<path fill=\"#000\" d=\"");
	unsigned char *seen = xcalloc((size_t)w * (size_t)w, 1);
	int x, y, n, m, used;
	while (*d == 'M') {
		ck_assert_int_eq(sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used), 4);
		ck_assert_int_eq(n, m);
		x -= 4;
		y -= 4;
		ck_assert(x >= 0 && y >= 0 && y < w && x + n <= w && n > 0);
		for (int i = 0; i < n; i++)
			seen[y * w + x + i] = 1;
		d += used;
	}
	ck_assert_int_eq(*d, '"');
	for (int i = 0; i < w * w; i++)
		ck_assert_msg(seen[i] == (q->data[i] & 1), "module %d,%d differs", i % w, i / w);
	free(seen);
	QRcode_free(q);
}

START_TEST(test_forms_receipt_qr_encodes_the_lookup_address)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	const char *p = render(f, FORM_RECEIPT);
	check_qr(p, f->c.lookup_url);
	HAS(p, "aria-label=\"https://dichvucong.thanhhoa.example/lookup?code=000.01.01.H56-260302-0001\"");
	/* A different address is a different picture. */
	struct buf other = BUF_INIT;
	ck_assert_int_eq(forms_qr_svg(&other, "https://dichvucong.thanhhoa.example/lookup?code=X"), 0);
	ck_assert_ptr_null(strstr(p, strstr(buf_cstr(&other), " d=\"")));
	buf_release(&other);
	fixture_free(f);
}
END_TEST

/* ---- Forms 02–04 --------------------------------------------------------- */

START_TEST(test_forms_supplement_content)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	f->c.number = 3;
	const char *p = render(f, FORM_SUPPLEMENT);
	HAS(p, "<h1 class=\"title\">Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ</h1>");
	HAS(p, "Số: <span class=\"form-number\">03</span>/HDHS");
	HAS(p, "000.01.01.H56-260302-0001");
	HAS(p, "Hồ sơ của: <strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(p, "<tr><td class=\"n\">1</td><td class=\"item\">Sổ hộ khẩu</td><td class=\"kind\">Bản sao có chứng thực</td></tr>");
	HAS(p, "<tr><td class=\"n\">2</td><td class=\"item\">Trích đo &lt;thửa&gt; đất</td><td class=\"kind\">Bản chính</td></tr>");
	HAS(p, "Lý do: <span class=\"reason\">Thiếu giấy tờ về nhân thân &amp; thửa đất</span>");
	HAS(p, "ngày yêu cầu bổ sung: 03/03/2026");
	HAS(p, "tính lại từ đầu");
	HAS(p, "NGƯỜI HƯỚNG DẪN");
	HAS(p, "<p class=\"name\">Lê Minh Tuấn</p>");
	f->c.supplement_restart = 0;
	p = render(f, FORM_SUPPLEMENT);
	LACKS(p, "tính lại từ đầu");
	HAS(p, "không tính vào thời hạn giải quyết");
	fixture_free(f);
}
END_TEST

START_TEST(test_forms_refusal_content)
{
	struct fixture *f = fixture_new("Trần Thị Bình");
	truncate_events(f, 3);
	add_event(f, "refuse", vn(2026, 3, 3, 9, 0), "officer", NNMT, 4, 8, 1, "stop", 0,
		  "{\"reason\":\"Thửa đất đang có tranh chấp, chưa đủ điều kiện\"}");
	f->x.n_events = f->n_ev;
	f->d.state = WF_STOPPED;
	f->c.issuer_name = "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa";
	f->c.issuer_parent = "Ủy ban nhân dân tỉnh Thanh Hóa";
	f->c.number = 1;
	const char *p = render(f, FORM_REFUSAL);
	HAS(p, "<h1 class=\"title\">Phiếu từ chối tiếp nhận giải quyết hồ sơ</h1>");
	HAS(p, "Số: <span class=\"form-number\">01</span>/TCHS");
	HAS(p, "<p class=\"agency\">Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</p>");
	HAS(p, "<strong class=\"applicant\">Trần Thị Bình</strong>");
	HAS(p, "Qua xem xét, <span class=\"v\">Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</span>"
	       " thông báo không tiếp nhận, giải quyết hồ sơ này");
	HAS(p, "<span class=\"reason\">Thửa đất đang có tranh chấp, chưa đủ điều kiện</span>");
	HAS(p, "Ngày từ chối: 03/03/2026");
	HAS(p, "NGƯỜI XỬ LÝ HỒ SƠ");
	HAS(p, "<p class=\"name\">Lê Minh Tuấn</p>");

	/* Not accepted at the counter: no code yet, the reference instead,
	 * and the receiving clerk signs. */
	f->d.code[0] = '\0';
	f->d.received_at = 0;
	f->d.state = WF_NOT_ACCEPTED;
	truncate_events(f, 0);
	add_event(f, "refuse", vn(2026, 3, 3, 9, 0), "clerk", HCC, 1, 3, 0, "", 0,
		  "{\"reason\":\"Hồ sơ nộp trực tuyến thiếu tờ khai\"}");
	f->x.n_events = f->n_ev;
	f->c.issuer_name = f->d.receiving_agency_name;
	p = render(f, FORM_REFUSAL);
	HAS(p, "Số tham chiếu: <strong class=\"dossier-code\">R-42</strong>");
	HAS(p, "Hồ sơ nộp trực tuyến thiếu tờ khai");
	HAS(p, "NGƯỜI TIẾP NHẬN HỒ SƠ");
	HAS(p, "<p class=\"name\">Nguyễn Thị Lan</p>");
	fixture_free(f);
}
END_TEST

START_TEST(test_forms_apology_content)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	f->c.issuer_name = "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa";
	f->c.number = 2;
	const char *p = render(f, FORM_APOLOGY);
	HAS(p, "<h1 class=\"title\">Phiếu xin lỗi và hẹn lại ngày trả kết quả</h1>");
	HAS(p, "Số: <span class=\"form-number\">02</span>/PXL");
	HAS(p, "Kính gửi: Ông/Bà <strong class=\"applicant\">Nguyễn Văn An</strong>");
	HAS(p, "Ngày 02/03/2026, <span class=\"v\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</span>"
	       " tiếp nhận giải quyết hồ sơ");
	HAS(p, "000.01.01.H56-260302-0001");
	/* The appointment it replaces is the due time the extension recorded
	 * (after the restart), not the first one. */
	HAS(p, "<span class=\"old-appointment\"><time datetime=\"2026-03-31T09:00:00+07:00\">"
	       "09:00, ngày 31/03/2026</time>");
	LACKS(p, "25/03/2026");
	HAS(p, "Lý do: <span class=\"reason\">Chờ kết quả đo đạc lại thửa đất</span>");
	HAS(p, "xin lỗi Ông/Bà");
	HAS(p, "<strong class=\"new-appointment\"><time datetime=\"2026-04-15T16:00:00+07:00\">"
	       "16:00, ngày 15/04/2026</time>");
	HAS(p, "THỦ TRƯỞNG CƠ QUAN");
	HAS(p, "<p class=\"name\">Trịnh Xuân Sơn</p>");
	fixture_free(f);
}
END_TEST

/* ---- Form 05 -------------------------------------------------------------- */

START_TEST(test_forms_control_sheet_one_line_per_handover)
{
	struct fixture *f = fixture_new("Nguyễn Văn An");
	const char *p = render(f, FORM_CONTROL);
	HAS(p, "<h1 class=\"title\">Phiếu kiểm soát quá trình giải quyết hồ sơ</h1>");
	HAS(p, "Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: <span class=\"v\">07/TNHS</span>");
	HAS(p, "Cơ quan chủ trì giải quyết: <span class=\"v\">Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</span>");
	HAS(p, "Cơ quan phối hợp giải quyết: Thuế tỉnh Thanh Hóa</p>");
	/* Ten history rows, the form_issued one is bookkeeping: nine lines. */
	const char *body = between(p, "<tbody>", "</tbody>");
	ck_assert_int_eq(count(body, "<tr>"), 10);
	ck_assert_int_eq(count(body, "<span class=\"k\">Giao:</span>"), 8);

	/* Each line in order, with the step's result where a step ended. */
	const char *rows[] = {
		"<span class=\"k\">Giao:</span> Nguyễn Văn An<br><span class=\"k\">Nhận:</span> Trung tâm Phục vụ"
		" hành chính công tỉnh Thanh Hóa</td><td class=\"when\">02/03/2026 08:00",
		"<span class=\"k\">Giao:</span> Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa<br>"
		"<span class=\"k\">Nhận:</span> Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</td>"
		"<td class=\"when\">02/03/2026 09:00",
		"<span class=\"k\">Nhận:</span> Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</td>"
		"<td class=\"when\">03/03/2026 09:00",
		"<div class=\"signers\"><span>Người giao: Lê Minh Tuấn</span>",
		"<td class=\"when\">05/03/2026 09:00",
		"Phân công xử lý: Lê Minh Tuấn",
		"<span class=\"k\">Nhận:</span> Thuế tỉnh Thanh Hóa</td><td class=\"when\">10/03/2026 14:00",
		"<td class=\"result\">Trước hạn</td>",
		"<span class=\"k\">Giao:</span> Thuế tỉnh Thanh Hóa<br><span class=\"k\">Nhận:</span> Sở Nông"
		" nghiệp và Môi trường tỉnh Thanh Hóa</td><td class=\"when\">16/03/2026 09:00",
		"<td class=\"result\">Quá hạn</td>",
		"Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04): 15/04/2026 16:00. Lý do: Chờ kết quả đo đạc lại",
		"<td class=\"when\">06/04/2026 10:00",
		"Có kết quả giải quyết: Cấp Giấy chứng nhận",
		"<span class=\"k\">Nhận:</span> Nguyễn Văn An</td><td class=\"when\">07/04/2026 09:30",
		"Trả kết quả: Trực tiếp tại Bộ phận Một cửa",
	};
	const char *at = body;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *hit = strstr(at, rows[i]);
		ck_assert_msg(hit != NULL, "line %zu missing or out of order: %s", i, rows[i]);
		at = hit + strlen(rows[i]);
	}
	HAS(body, "thời hạn giải quyết tính lại từ đầu");
	HAS(body, "Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): Thiếu giấy tờ về nhân thân &amp; thửa đất");
	ck_assert_int_eq(count(body, "<td class=\"result\">Quá hạn</td>"), 2);
	ck_assert_int_eq(count(body, "<td class=\"result\">Trước hạn</td>"), 1);
	HAS(p, "Kết quả giải quyết hồ sơ: <strong class=\"class\">Quá hạn</strong> (giải quyết lúc 06/04/2026 10:00,"
	       " hạn giải quyết 31/03/2026 09:00)");
	fixture_free(f);
}
END_TEST

/* ---- escaping ------------------------------------------------------------- */

START_TEST(test_forms_escape_hostile_data_in_every_form)
{
	const char *evil = "<script>alert(1)</script>\"'&";
	struct fixture *f = fixture_new(evil);
	strlcpy_(f->d.applicant_address, "<img src=x onerror=alert(2)>", sizeof(f->d.applicant_address));
	strlcpy_(f->d.procedure_name, "</title><script>x()</script>", sizeof(f->d.procedure_name));
	strlcpy_(f->docs[0].name, "<b>Tờ khai</b>", sizeof(f->docs[0].name));
	f->c.issuer_name = "<i>Cơ quan</i>";
	f->c.lead_name = "<u>Chủ trì</u>";
	truncate_events(f, 9);	/* up to the extension, then refused */
	add_event(f, "refuse", vn(2026, 4, 1, 9, 0), "<svg onload=x>", NNMT, 4, 8, 3, "stop", 0,
		  "{\"reason\":\"</p><script>y()</script>\"}");
	f->x.n_events = f->n_ev;
	f->d.state = WF_STOPPED;
	enum form_kind all[] = { FORM_RECEIPT, FORM_SUPPLEMENT, FORM_REFUSAL, FORM_APOLOGY, FORM_CONTROL };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *p = render(f, all[i]);
		ck_assert_msg(count(p, "<script") == 1, "form %s: a <script> other than forms.js", forms_code(all[i]));
		LACKS(p, "<img");
		LACKS(p, "<b>Tờ khai");
		LACKS(p, "<i>Cơ quan");
		LACKS(p, "<u>Chủ trì");
		LACKS(p, "<svg onload");
		LACKS(p, "</title><");
		HAS(p, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
	}
	HAS(render(f, FORM_RECEIPT), "&lt;img src=x onerror=alert(2)&gt;");
	HAS(render(f, FORM_REFUSAL), "&lt;/p&gt;&lt;script&gt;y()&lt;/script&gt;");
	HAS(render(f, FORM_CONTROL), "&lt;u&gt;Chủ trì&lt;/u&gt;");
	fixture_free(f);
}
END_TEST

/* ---- Form 06 -------------------------------------------------------------- */

START_TEST(test_forms_register_lines)
{
	struct buf b = BUF_INIT;
	struct forms_register h;
	struct register_row *r = xcalloc(1, sizeof(*r));
	memset(&h, 0, sizeof(h));
	h.agency_name = "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa";
	h.agency_parent = "Văn phòng Ủy ban nhân dân tỉnh Thanh Hóa";
	h.from_day = date_from_civil(2026, 3, 1);
	h.to_day = date_from_civil(2026, 3, 31);
	h.now = vn(2026, 4, 20, 9, 0);
	h.tz_offset = OFF;
	h.first_stt = 41;
	forms_register_begin(&b, &h);

	r->stt = 41;
	strlcpy_(r->code, HCC "-260302-0001", sizeof(r->code));
	strlcpy_(r->procedure_name, "Đăng ký biến động", sizeof(r->procedure_name));
	strlcpy_(r->applicant_name, "<b>An</b>", sizeof(r->applicant_name));
	strlcpy_(r->applicant_address, "Thanh Hóa", sizeof(r->applicant_address));
	strlcpy_(r->applicant_phone, "0912345678", sizeof(r->applicant_phone));
	strlcpy_(r->lead_agency_name, "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa", sizeof(r->lead_agency_name));
	r->state = WF_RETURNED;
	r->received_at = vn(2026, 3, 2, 8, 0);
	r->due_at = vn(2026, 3, 31, 9, 0);
	r->appointment_at = vn(2026, 4, 15, 16, 0);
	r->extended_at = vn(2026, 3, 27, 10, 0);
	r->transferred_at = vn(2026, 3, 2, 9, 0);
	r->resolved_at = vn(2026, 4, 6, 10, 0);
	r->returned_at = vn(2026, 4, 7, 9, 30);
	r->result_class = WF_LATE;
	strlcpy_(r->return_method, "postal", sizeof(r->return_method));
	forms_register_row(&b, &h, r);

	/* Open, running and past due: overdue. */
	memset(r, 0, sizeof(*r));
	r->stt = 42;
	strlcpy_(r->code, HCC "-260303-0001", sizeof(r->code));
	r->state = WF_IN_PROCESS;
	r->received_at = vn(2026, 3, 3, 10, 0);
	r->due_at = r->appointment_at = vn(2026, 3, 27, 10, 0);
	forms_register_row(&b, &h, r);

	/* Waiting for a supplement: paused, not overdue. */
	r->stt = 43;
	strlcpy_(r->code, HCC "-260304-0001", sizeof(r->code));
	r->state = WF_AWAIT_SUPPLEMENT;
	r->paused_at = vn(2026, 3, 5, 10, 0);
	forms_register_row(&b, &h, r);
	h.next_url = "/forms/register?from=2026-03-01&to=2026-03-31&after=7.1.2";
	forms_register_end(&b, &h, 3);

	const char *p = buf_cstr(&b);
	HAS(p, "<h1 class=\"title\">Sổ theo dõi hồ sơ</h1>");
	HAS(p, "Từ ngày <span class=\"from\">01/03/2026</span> đến ngày <span class=\"to\">31/03/2026</span>"
	       " — Quyển số 01/2026");
	HAS(p, "<p class=\"agency\">Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa</p>");
	ck_assert_int_eq(count(p, "<th "), 14);
	HAS(p, "Nhận hồ sơ</th><th class=\"t\">Hẹn trả kết quả</th>");
	HAS(p, "<tr><td class=\"n\">41</td><td class=\"code\">000.01.01.H56-260302-0001</td>"
	       "<td class=\"proc\">Đăng ký biến động</td><td>&lt;b&gt;An&lt;/b&gt;</td>"
	       "<td>Thanh Hóa<br>0912345678</td><td>Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa</td>"
	       "<td class=\"t\">02/03/2026<br>08:00</td><td class=\"t\">31/03/2026<br>09:00</td>"
	       "<td class=\"t\">Chuyển:<br>02/03/2026<br>09:00<br>Nhận KQ:<br>06/04/2026<br>10:00</td>"
	       "<td class=\"t\">07/04/2026<br>09:30</td><td>Bưu chính</td><td class=\"signbox\"></td>"
	       "<td class=\"note\">Quá hạn; hẹn lại 15/04/2026 16:00</td></tr>");
	HAS(p, "<td class=\"n\">42</td>");
	HAS(p, "<td class=\"note\">Quá hạn (đang giải quyết)</td>");
	HAS(p, "<td class=\"note\">Yêu cầu bổ sung giấy tờ</td>");
	HAS(p, "Trang này gồm 3 hồ sơ (số thứ tự từ 41)");
	HAS(p, "href=\"/forms/register?from=2026-03-01&amp;to=2026-03-31&amp;after=7.1.2\"");
	buf_reset(&b);

	/* Consolidated and empty. */
	h.agency_name = NULL;
	h.next_url = NULL;
	forms_register_begin(&b, &h);
	forms_register_group(&b, "<Trung tâm>");
	forms_register_end(&b, &h, 0);
	p = buf_cstr(&b);
	HAS(p, "Các cơ quan tiếp nhận hồ sơ");
	HAS(p, "Bản tổng hợp");
	HAS(p, "<tr class=\"group\"><th colspan=\"13\">&lt;Trung tâm&gt;</th></tr>");
	HAS(p, "Không có hồ sơ nào được tiếp nhận");
	LACKS(p, "Trang sau");
	buf_release(&b);
	free(r);
}
END_TEST

Suite *forms_suite(void)
{
	Suite *s = suite_create("forms");
	TCase *tc = tcase_create("content");
	tcase_add_test(tc, test_forms_codes_and_titles);
	tcase_add_test(tc, test_forms_check_which_apply);
	tcase_add_test(tc, test_forms_receipt_content);
	tcase_add_test(tc, test_forms_receipt_times_in_the_office_zone);
	tcase_add_test(tc, test_forms_receipt_qr_encodes_the_lookup_address);
	tcase_add_test(tc, test_forms_supplement_content);
	tcase_add_test(tc, test_forms_refusal_content);
	tcase_add_test(tc, test_forms_apology_content);
	tcase_add_test(tc, test_forms_control_sheet_one_line_per_handover);
	tcase_add_test(tc, test_forms_register_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("escaping");
	tcase_add_test(tc, test_forms_escape_hostile_data_in_every_form);
	suite_add_tcase(s, tc);
	return s;
}
