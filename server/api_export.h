/*
 * motcua — api_export: the auditor exports and the audit-chain head.
 *
 * GET /api/v1/exports/dossiers.{csv,xlsx,jsonl}, report.{csv,xlsx},
 * events.jsonl stream an export (exporter.h) of a period and scope;
 * GET /api/v1/exports/count says how many rows one would have (and
 * whether the caller may ask for personal data); GET /api/v1/audit/head
 * gives the head of the hash chain for an auditor to note down.
 *
 * Query: from, to (YYYY-MM-DD local days, both included, or ISO 8601
 * instants, to excluded), agency (code; it and the agencies below it),
 * pii (true: personal data unmasked), from_seq/to_seq (history), group_by
 * (report: agency, level, field, procedure, channel, none), kind (count).
 *
 * Who: admins and auditors, every agency; managers, their agency and
 * those below it (another agency: 403 agency_out_of_scope); the history
 * and its head: admins and auditors only (route table). pii=true needs the
 * account's pii_access (else 403 pii_not_allowed).
 *
 * Every export is recorded in the history (action "export": who, kind,
 * format, period, agency, pii, rows) by a writer job that commits before
 * the first byte is sent, so a download cut short is still on record. The
 * answer carries X-Total-Rows (for progress bars) and X-Export-Event (the
 * seq of that record).
 *
 * Ownership: handlers own nothing beyond the request (http.h).
 */
#ifndef MOTCUA_API_EXPORT_H
#define MOTCUA_API_EXPORT_H

struct request;

void api_export_dossiers_csv(struct request *r);
void api_export_dossiers_xlsx(struct request *r);
void api_export_dossiers_jsonl(struct request *r);
void api_export_report_csv(struct request *r);
void api_export_report_xlsx(struct request *r);
void api_export_events_jsonl(struct request *r);
void api_export_count(struct request *r);
void api_audit_head(struct request *r);

#endif
