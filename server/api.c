/*
 * motcua — api: shared handler helpers.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "date.h"
#include "db.h"
#include "db_catalog.h"
#include "tz.h"

void api_add_time(cJSON *obj, const char *key, int64_t t)
{
	char iso[26];
	if (!t) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	date_format_iso(t, tz_offset(t), iso);
	cJSON_AddStringToObject(obj, key, iso);
}

void api_add_date(cJSON *obj, const char *key, int64_t t)
{
	char day[11];
	if (!t) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	date_format_day(date_day_of(tz_local(t)), day);
	cJSON_AddStringToObject(obj, key, day);
}

struct db *api_reader(struct request *r)
{
	struct db *db = db_reader();
	if (!db)
		http_fail(r, 503, "database_unavailable", NULL, "The database cannot be opened.");
	return db;
}

cJSON *api_body(struct request *r)
{
	struct api_error e;
	cJSON *root = NULL;
	if (http_body_json(r, &root, &e) != 0) {
		http_error(r, &e);
		return NULL;
	}
	return root;
}

void api_scope(struct request *r, struct dossier_filter *f)
{
	f->agency_id = r->user.agency_id;
	switch (r->user.role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		f->scope = SCOPE_ALL;
		break;
	case ROLE_MANAGER:
		f->scope = SCOPE_SUBTREE;
		break;
	default:
		f->scope = SCOPE_AGENCY;
	}
}

int api_can_see(struct request *r, struct db *db, const struct dossier_row *d)
{
	const struct principal *p = &r->user;
	switch (p->role) {
	case ROLE_ADMIN:
	case ROLE_AUDITOR:
		return 1;
	case ROLE_MANAGER:
		return db_agency_within(db, d->receiving_agency_id, p->agency_id)
		       || (d->lead_agency_id && db_agency_within(db, d->lead_agency_id, p->agency_id))
		       || (d->current_agency_id && db_agency_within(db, d->current_agency_id, p->agency_id));
	default:
		return d->receiving_agency_id == p->agency_id || d->current_agency_id == p->agency_id
		       || db_dossier_in_chain(db, d->id, p->agency_id);
	}
}

int api_limit(struct request *r, int def, int max)
{
	const char *s = http_query(r, "limit");
	if (!s)
		return def;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > max)
		return -1;
	return (int)v;
}
