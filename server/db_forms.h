/*
 * motcua — db_forms: the numbering of printed forms (form_issue) and the
 * rows of the register (Form 06, Sổ theo dõi hồ sơ).
 *
 * A form of a dossier gets its number once, the first time it is printed:
 * the next number of (form, year, issuing agency), allocated inside the
 * caller's write transaction, so numbers are never reused and a reprint
 * finds the row again. The register is a read-only view over dossiers;
 * each entry's number (STT) is its rank among the dossiers the agency
 * received in that year, so the book is numbered continuously from 1 each
 * year whatever period is printed (Circular 01/2018 Art 10(2)).
 *
 * Ownership: row structs are plain values (fixed-size text); lists call
 * back once per row with a row owned by the list call.
 */
#ifndef MOTCUA_DB_FORMS_H
#define MOTCUA_DB_FORMS_H

#include <stdint.h>

#include "error.h"

struct db;
struct txn;

struct form_issue_row {
	int64_t id;
	char form[4];		/* "01" … "05" */
	int year;		/* local year of the first issue */
	int64_t agency_id;	/* issuing agency: the numbering series */
	int number;		/* 1, 2, … within (form, year, agency) */
	int64_t dossier_id;
	int64_t issued_at;	/* instant of the first issue */
	char issued_by[64];	/* username */
};

/* The number a dossier's form already has. 1 found, 0 not, -1 error. */
int db_forms_issue_get(struct db *db, int64_t dossier_id, const char *form,
		       struct form_issue_row *out);
/* Give the form the next number of its (form, year, agency) series and
 * record it; row->id and row->number are set. 0 ok, -1 with err (409
 * "conflict" if the dossier's form was numbered meanwhile). */
int db_forms_issue_insert(struct txn *t, struct form_issue_row *row, struct api_error *err);

/* One line of the register. */
struct register_row {
	int64_t id;
	char code[32];
	int64_t receiving_agency_id;
	char receiving_agency_name[256];
	char procedure_name[1024];
	char applicant_name[256];
	char applicant_address[512];
	char applicant_phone[32];
	char lead_agency_name[256];	/* cơ quan chủ trì giải quyết */
	int state;
	int64_t received_at, appointment_at, due_at, paused_at;
	int64_t transferred_at;		/* first handover to a processing agency, 0 none */
	int64_t resolved_at, returned_at, closed_at, extended_at;
	int result_class;
	char return_method[8];		/* counter, postal, online, "" */
	int64_t stt;			/* filled by the caller: rank in the year's book */
};

struct register_query {
	int64_t agency_id;		/* receiving agency; 0 = every agency */
	int64_t from, to;		/* received in [from, to) (instants) */
	/* keyset cursor: rows strictly after (agency, received_at, id);
	 * all 0 = from the start */
	int64_t after_agency, after_at, after_id;
	int limit;
};

/* Rows in book order (agency, received_at, id); calls fn per row, at most
 * q->limit rows. *more = 1 if another row follows. 0 ok, -1 error. */
int db_forms_register(struct db *db, const struct register_query *q,
		      void (*fn)(const struct register_row *row, void *ctx), void *ctx, int *more);
/* How many dossiers the agency received from year_start up to and
 * including (received_at, id): the dossier's number in that year's book.
 * -1 on error. */
int64_t db_forms_register_rank(struct db *db, int64_t agency_id, int64_t year_start,
			       int64_t received_at, int64_t id);

#endif
