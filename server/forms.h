/*
 * motcua — forms: the printable forms of Circular 01/2018/TT-VPCP as HTML
 * pages (pure).
 *
 * Forms 01–05 are drawn from one dossier: its row, its chain steps, its
 * documents and its history; Form 06 (the register) from register rows.
 * Everything a form shows comes in through plain structs, so the same
 * input always gives the same page and the tests can check a form's text
 * against its dossier without a database. Every piece of data goes
 * through buf_add_html. Times are shown in the office's zone, given as an
 * offset in seconds east of UTC.
 *
 * The pages carry no inline script or style: they link /css/forms.css
 * (paper size and the legal-document look, A5 for 01–05, A4 landscape for
 * the register) and /js/forms.js (the print button), so the strict
 * Content-Security-Policy holds. Form 01's QR code is an inline SVG.
 *
 * Ownership: inputs are borrowed for the call; output is appended to the
 * caller's buffer.
 */
#ifndef MOTCUA_FORMS_H
#define MOTCUA_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db_dossier.h"
#include "db_event.h"
#include "db_forms.h"

enum form_kind {
	FORM_NONE,
	FORM_RECEIPT,		/* 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả */
	FORM_SUPPLEMENT,	/* 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ */
	FORM_REFUSAL,		/* 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ */
	FORM_APOLOGY,		/* 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả */
	FORM_CONTROL,		/* 05 Phiếu kiểm soát quá trình giải quyết hồ sơ */
	FORM_REGISTER,		/* 06 Sổ theo dõi hồ sơ */
	FORM__MAX
};

/* "01" … "06" → the kind; FORM_NONE for anything else. */
enum form_kind forms_parse(const char *code);
/* "01" … "06". */
const char *forms_code(enum form_kind f);
/* The official title, in sentence case ("Giấy tiếp nhận hồ sơ và hẹn trả
 * kết quả"); the page sets it in capitals. */
const char *forms_title(enum form_kind f);
/* The number's suffix ("TNHS" in "Số: 07/TNHS"). */
const char *forms_symbol(enum form_kind f);

/* A dossier as a form sees it. */
struct forms_dossier {
	const struct dossier_row *d;
	const struct dossier_step *steps;
	int n_steps;
	const struct document_out *docs;
	int n_docs;
	const struct event_row *events;	/* its whole history, in order */
	int n_events;
};

/* Whether form f can be issued for the dossier: 0 yes, with *source the
 * index of the history row it is drawn from (the supplement request, the
 * refusal, the extension, the receipt; -1 when none), or -1 no, with a
 * sentence for the error envelope in why. */
int forms_check(enum form_kind f, const struct forms_dossier *x, int *source,
		char *why, size_t why_len);
/* The agency code that issues form f (whose numbering series it takes):
 * the receiving one-stop for 01, 02 and 05; the agency whose officer
 * refused (03) or whose head extended (04), taken from the source row. */
const char *forms_issuer_code(enum form_kind f, const struct forms_dossier *x, int source);

/* A staff member's name for the signature blocks. */
struct forms_person {
	const char *username;
	const char *full_name;
};

/* What the page needs besides the dossier. */
struct forms_context {
	enum form_kind form;
	int number;			/* the form's number in its year */
	int64_t issued_at;		/* first issue: the date printed on the form */
	int tz_offset;			/* seconds east of UTC */
	const char *issuer_name;	/* agency issuing the form */
	const char *issuer_parent;	/* its superior ("" if none) */
	const char *lead_name;		/* cơ quan chủ trì ("" unknown) */
	const char *lookup_url;		/* 01: public lookup address for the QR code */
	const char *rating_url;		/* 01: one-time rating link, NULL for none */
	int64_t register_no;		/* 01: number in the year's register (0 unknown) */
	int receipt_number;		/* 05: Form 01's number (0 not issued yet) */
	int supplement_restart;		/* 02: 1 the limit restarts, 0 the wait is not counted */
	const struct forms_person *people;	/* full names of the actors */
	int n_people;
};

/* Append the whole page of form 01–05; source as given by forms_check. */
void forms_render(struct buf *b, const struct forms_context *c, const struct forms_dossier *x,
		  int source);

/* The QR code of text as an inline <svg> (one path of dark modules, four
 * modules of quiet zone, error correction M). 0 ok, -1 if text cannot be
 * encoded (nothing is appended). */
int forms_qr_svg(struct buf *b, const char *text);

/* ---- Form 06: the register ---------------------------------------------- */

struct forms_register {
	const char *agency_name;	/* the book's agency; NULL = every agency */
	const char *agency_parent;	/* its superior ("" if none) */
	int32_t from_day, to_day;	/* local day numbers, both included */
	int64_t now;			/* instant, for "overdue" notes */
	int tz_offset;
	int64_t first_stt;		/* STT of the first row (for the page note) */
	const char *next_url;		/* next page of a long register, NULL if last */
};

/* The page head and the table header. */
void forms_register_begin(struct buf *b, const struct forms_register *h);
/* Consolidated view: a heading line before each agency's entries. */
void forms_register_group(struct buf *b, const char *name);
/* One entry; row->stt is its number in the year's book. */
void forms_register_row(struct buf *b, const struct forms_register *h, const struct register_row *row);
/* Close the table; rows is how many entries were written. */
void forms_register_end(struct buf *b, const struct forms_register *h, int rows);

#endif
