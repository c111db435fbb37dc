/*
 * motcua — api_report: statistics endpoints (handlers for route.c) and the
 * shared step that turns a request's ?from=&to=&agency=&procedure= into a
 * report within the caller's scope (also used by the exports).
 *
 * Ownership: the report filled by api_report_build belongs to the caller
 * (report_free).
 */
#ifndef MOTCUA_API_REPORT_H
#define MOTCUA_API_REPORT_H

#include <stdint.h>

#include "report.h"

struct request;
struct db;

/* Which agencies a request reports on. */
struct report_scope {
	int64_t agency_id;	/* 0 = all agencies */
	int subtree;		/* include the agencies below it */
	char agency_code[32];
};

/* Check scope and period, run the report. 0 ok; -1 when the request was
 * answered with an error. */
int api_report_build(struct request *r, struct db *db, enum report_group group,
		     struct report *rep, struct report_scope *scope);

void api_report_summary(struct request *r);
void api_report_trend(struct request *r);
void api_report_indicators(struct request *r);
void api_report_procedures(struct request *r);
void api_report_overdue(struct request *r);
void api_report_overdue_summary(struct request *r);

#endif
