/*
 * motcua — db_catalog: agencies, fields, procedures with their chain
 * steps and document checklists.
 *
 * Ownership: row structs hold copies (fixed-size text); nothing to free.
 */
#ifndef MOTCUA_DB_CATALOG_H
#define MOTCUA_DB_CATALOG_H

#include <stdint.h>

#include "error.h"

struct db;
struct txn;

struct agency_row {
	int64_t id;
	char code[32];
	char name[256];
	char level[16];		/* province, department, district, commune */
	int64_t parent_id;	/* 0 = none */
	char parent_code[32];
	char valid_from[11];	/* "" = always */
	char valid_to[11];	/* "" = still exists */
	char code_status[32];
	char note[512];
};

struct procedure_row {
	int64_t id;
	char code[32];
	char name[1024];
	char field[256];
	char level[16];			/* province, commune */
	int64_t agency_id;		/* 0 = the receiving agency */
	char agency_code[32];
	char agency_name[256];
	int limit_value;
	char limit_unit[16];
	int online_limit_value;		/* -1 = no override */
	char online_limit_unit[16];
	int64_t fee_vnd;		/* -1 = not published */
	char online_level[16];
	char legal_basis[512];
	char note[1024];
	int active;
	int steps;			/* number of chain steps */
};

struct step_row {
	int seq;
	int64_t agency_id;		/* 0 = the receiving agency */
	char agency_code[32];
	char agency_name[256];
	char task[256];
	int work_hours;
};

struct document_row {
	int seq;
	char name[512];
	char kind[16];
	int count;
	int required;
};

/* ---- agencies ---- */
int db_agency_upsert(struct txn *t, const struct agency_row *a, struct api_error *err);
/* 1 found, 0 not, -1 error. */
int db_agency_by_code(struct db *db, const char *code, struct agency_row *out);
int db_agency_by_id(struct db *db, int64_t id, struct agency_row *out);
int db_agency_each(struct db *db, void (*fn)(const struct agency_row *a, void *ctx), void *ctx);
/* 1 if `agency` is `root` or below it in the hierarchy. */
int db_agency_within(struct db *db, int64_t agency, int64_t root);

/* ---- fields ---- */
/* The id of the field called name, created if new. */
int db_field_ensure(struct txn *t, const char *name, int64_t *id, struct api_error *err);

/* ---- procedures ---- */
int db_procedure_upsert(struct txn *t, const struct procedure_row *p, int64_t field_id,
			int64_t *id, struct api_error *err);
int db_procedure_by_code(struct db *db, const char *code, struct procedure_row *out);
int db_procedure_by_id(struct db *db, int64_t id, struct procedure_row *out);
/* Search by code prefix or folded name words; level "" = any; calls fn
 * for at most limit rows, ordered by code. */
int db_procedure_search(struct db *db, const char *q, const char *level, int limit,
			void (*fn)(const struct procedure_row *p, void *ctx), void *ctx);
int db_procedure_set_limits(struct txn *t, const struct procedure_row *p, struct api_error *err);
/* Set the lead agency (0 = the receiving agency). */
int db_procedure_set_agency(struct txn *t, int64_t id, int64_t agency_id, struct api_error *err);
/* Every procedure (active or not) in code order. */
int db_procedure_each(struct db *db, void (*fn)(const struct procedure_row *p, void *ctx), void *ctx);

/* ---- chain steps and checklists ---- */
int db_step_replace(struct txn *t, int64_t procedure_id, const struct step_row *steps,
		    int n, struct api_error *err);
/* Up to max steps in order into out; returns the count or -1. */
int db_step_list(struct db *db, int64_t procedure_id, struct step_row *out, int max);
int db_document_replace(struct txn *t, int64_t procedure_id, const struct document_row *docs,
			int n, struct api_error *err);
int db_document_list(struct db *db, int64_t procedure_id, struct document_row *out, int max);

#endif
