/*
 * motcua — db_dossier: dossier rows, their documents, code sequences and
 * the filtered lists.
 *
 * Ownership: struct dossier_row is a plain value (fixed-size text); it is
 * large (~5 KiB), so keep it on the heap in long-lived code. Lists call
 * back once per row with a row owned by the list call.
 */
#ifndef MOTCUA_DB_DOSSIER_H
#define MOTCUA_DB_DOSSIER_H

#include <stdint.h>

#include "error.h"

struct db;
struct txn;

struct dossier_row {
	int64_t id;
	char code[32];			/* "" until accepted */
	char ref[40];
	int64_t procedure_id;
	char procedure_code[32];
	char procedure_name[1024];
	int64_t receiving_agency_id;
	char receiving_agency_code[32];
	char receiving_agency_name[256];
	int64_t current_agency_id;	/* 0 once closed */
	char current_agency_code[32];
	char current_agency_name[256];
	int current_step;
	int64_t assignee_id;
	char assignee[64];
	char channel[8];
	int state;
	char applicant_name[256];
	char applicant_id_number[32];
	char applicant_phone[32];
	char applicant_address[512];
	char applicant_email[256];
	char note[2048];
	int limit_value;
	char limit_unit[16];
	int64_t submitted_at, received_at, clock_start_at, due_at, appointment_at;
	int64_t paused_at, resolved_at, returned_at, closed_at;
	int result_class;		/* 0 none, 1 early, 2 on time, 3 late */
	int supplement_count;
	int extension_count;
	int64_t created_at, updated_at;
	/* clock bookkeeping (schema 0002) */
	int64_t supplement_requested_at, supplement_returned_at;
	int64_t waited_seconds;		/* working seconds paused */
	int64_t first_due_at;
	int64_t extended_at;
	char return_method[8];
	int paid_online;
	int64_t fee_vnd;		/* -1 = not recorded */
	int64_t work_seconds;		/* once resolved: working time, waits excluded */
	int attachments;		/* digitised files */
	int64_t lead_agency_id;		/* whose statistics it counts in */
	char close_reason[16];		/* refused, withdrawn, not_accepted, "" */
	int32_t ovd_from;		/* day number the current overdue
					 * interval started; 0 = none */
};

/* One step of a dossier's chain. */
struct dossier_step {
	int seq;
	int64_t agency_id;
	char agency_code[32];
	char agency_name[256];
	char task[256];
	int work_hours;
	int64_t assignee_id;
	char assignee[64];
	int64_t started_at, due_at, finished_at;
	int result_class;
};

/* The longest inter-agency chain a procedure may have. Real chains have
 * two to five agencies; the limit keeps a dossier's state small, and it is
 * copied on every action. */
#define DOSSIER_MAX_STEPS 8

struct document_in {
	const char *name;
	const char *kind;
	int count;
};

/* The next code sequence number of an agency's local day ("2026-11-22"):
 * allocated in the caller's transaction, never reused. */
int db_dossier_next_seq(struct txn *t, int64_t agency_id, const char *day, int *seq,
			struct api_error *err);
/* The highest dossier id (0 when there is none); -1 on error. */
int64_t db_dossier_max_id(struct db *db);
/* Raise an (agency, day)'s last number to at least last (the bulk seeder
 * stores the numbers it counted in memory). */
int db_dossier_seq_raise(struct txn *t, int64_t agency_id, const char *day, int last,
			 struct api_error *err);
/* Insert the row (id is set on success: d->id 0 takes the next free id);
 * name_key is the folded name. */
int db_dossier_insert(struct txn *t, struct dossier_row *d, const char *name_key,
		      struct api_error *err);
int db_dossier_add_document(struct txn *t, int64_t dossier_id, int seq,
			    const struct document_in *doc, struct api_error *err);
/* Write back the mutable lifecycle columns of d (not its code, receipt
 * time or lead agency: see db_dossier_set_code). */
int db_dossier_update(struct txn *t, const struct dossier_row *d, struct api_error *err);
/* Write d's code, receipt time and lead agency (an online dossier's
 * acceptance). */
int db_dossier_set_code(struct txn *t, const struct dossier_row *d, struct api_error *err);

/* Record a closed overdue interval [from_day, to_day). */
int db_dossier_ovd_insert(struct txn *t, int64_t dossier_id, int32_t from_day, int32_t to_day,
			  struct api_error *err);

/* Chain steps. */
int db_dossier_step_insert(struct txn *t, int64_t dossier_id, const struct dossier_step *s,
			   struct api_error *err);
int db_dossier_step_update(struct txn *t, int64_t dossier_id, const struct dossier_step *s,
			   struct api_error *err);
/* Up to DOSSIER_MAX_STEPS steps in order; the count or -1. */
int db_dossier_steps(struct db *db, int64_t dossier_id, struct dossier_step *out);

/* 1 if the agency holds (or held) a step of the dossier's chain. */
int db_dossier_in_chain(struct db *db, int64_t dossier_id, int64_t agency_id);

/* 1 found, 0 not, -1 error. */
int db_dossier_by_code(struct db *db, const char *code, struct dossier_row *out);
int db_dossier_by_ref(struct db *db, const char *ref, struct dossier_row *out);
int db_dossier_by_id(struct db *db, int64_t id, struct dossier_row *out);

struct document_out {
	int seq;
	char name[512];
	char kind[16];
	int count;
};
/* Up to max documents into out; the count or -1. */
int db_dossier_documents(struct db *db, int64_t dossier_id, struct document_out *out, int max);
/* fn for each document in order, its strings valid during the call
 * only; fn returns nonzero to stop early. 0, or -1 on a database error. */
typedef int db_document_fn(void *ctx, int seq, const char *name, const char *kind, int count);
int db_dossier_each_document(struct db *db, int64_t dossier_id, db_document_fn *fn, void *ctx);

/* Whose dossiers a list may show. */
enum scope_kind {
	SCOPE_ALL,	/* admins, auditors, the province's managers */
	SCOPE_AGENCY,	/* clerks and officers: their agency */
	SCOPE_SUBTREE,	/* managers: their agency and the ones below it */
};

enum list_sort {
	SORT_RECEIVED_DESC,	/* newest first (default) */
	SORT_DUE_ASC,		/* most urgent first */
};

struct dossier_filter {
	enum scope_kind scope;
	int64_t agency_id;		/* for SCOPE_AGENCY / SCOPE_SUBTREE */
	int queue;			/* 1: only dossiers whose current queue is
					 * in scope (a worklist) */
	int64_t assignee_id;		/* 0 = any */
	int state;			/* 0 = any */
	int open_only;			/* not closed, returned */
	int64_t procedure_id;		/* 0 = any */
	const char *channel;		/* NULL = any */
	int64_t received_from;		/* 0 = no bound (instants) */
	int64_t received_to;		/* exclusive */
	int overdue;			/* 1: open, running, due_at < now */
	int64_t now;
	const char *q;			/* code, ID number or name prefix */
	/* drill-down from a report (0 / NULL = no condition) */
	int64_t lead_agency_id;		/* the agency whose figures it counts in */
	int lead_subtree;		/* … or any agency below it */
	const char *level;		/* lead agency's level */
	const char *field;		/* procedure's field */
	int offline;			/* channel direct or postal */
	int64_t resolved_from, resolved_to;	/* instants, to exclusive */
	int result;			/* 1 early, 2 on time, 3 late */
	int64_t closed_from, closed_to;
	const char *close_reason;	/* refused, withdrawn */
	int64_t open_at;		/* received before and not finished at */
	int64_t active_from;		/* not finished before this instant */
	int64_t extended_from, extended_to;	/* apology (Form 04) issued in */
	int32_t overdue_at;		/* overdue at the end of this local day */
	int32_t within_at;		/* open at its end and not overdue */
	int64_t within_instant;		/* end of within_at (for "open") */
	enum list_sort sort;
	int64_t after_key;		/* cursor: sort key of the last row seen */
	int64_t after_id;		/* cursor: its id */
	int limit;
};

/* Open dossiers whose clock runs, held by one agency (0 = any; subtree 1:
 * or an agency below it), due in
 * [due_from, due_to) (instants), most urgent first, after the cursor
 * (after_due, after_id; 0 = from the start). Reads the partial index
 * dossier_running, so a page costs the same at any database size. */
int db_dossier_running(struct db *db, int64_t agency_id, int subtree, int64_t due_from, int64_t due_to,
		       int64_t after_due, int64_t after_id, int limit,
		       void (*fn)(const struct dossier_row *d, void *ctx), void *ctx, int *more);

struct running_count {
	int64_t agency_id;
	int64_t overdue;		/* due before now */
	int64_t apology_missing;	/* of those, no extension (Form 04) */
	int64_t due_soon;		/* due between now and soon */
};
/* Per holding agency: overdue, overdue without apology, due soon. */
int db_dossier_running_counts(struct db *db, int64_t now, int64_t soon,
			      void (*fn)(const struct running_count *c, void *ctx), void *ctx);

/* Rows matching f in order; calls fn per row. *more = 1 if another page
 * exists. 0 ok, -1 error. */
int db_dossier_list(struct db *db, const struct dossier_filter *f,
		    void (*fn)(const struct dossier_row *d, void *ctx), void *ctx, int *more);

#endif
