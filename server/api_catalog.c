/*
 * motcua — api_catalog: agencies and procedures (read-only here; the admin
 * pages change limits and steps through api_admin).
 */
#include <string.h>

#include "api.h"
#include "db.h"
#include "db_catalog.h"

/* ---- GET /api/v1/agencies --------------------------------------------- */

static cJSON *agency_json(const struct agency_row *a)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", a->code);
	cJSON_AddStringToObject(o, "name", a->name);
	cJSON_AddStringToObject(o, "level", a->level);
	if (a->parent_code[0])
		cJSON_AddStringToObject(o, "parent", a->parent_code);
	else
		cJSON_AddNullToObject(o, "parent");
	if (a->valid_from[0])
		cJSON_AddStringToObject(o, "valid_from", a->valid_from);
	else
		cJSON_AddNullToObject(o, "valid_from");
	if (a->valid_to[0])
		cJSON_AddStringToObject(o, "valid_to", a->valid_to);
	else
		cJSON_AddNullToObject(o, "valid_to");
	cJSON_AddStringToObject(o, "code_status", a->code_status);
	return o;
}

static void add_agency(const struct agency_row *a, void *ctx)
{
	cJSON_AddItemToArray(ctx, agency_json(a));
}

void api_agencies_list(struct request *r)
{
	struct db *db = api_reader(r);
	if (!db)
		return;
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	if (db_agency_each(db, add_agency, items) != 0) {
		cJSON_Delete(root);
		http_fail(r, 500, "database_error", NULL, "Could not read the agencies.");
		return;
	}
	http_json(r, 200, root);
}

/* ---- procedures ------------------------------------------------------- */

static void add_limit(cJSON *o, const char *key, int value, const char *unit)
{
	cJSON *l = cJSON_AddObjectToObject(o, key);
	cJSON_AddNumberToObject(l, "value", value);
	cJSON_AddStringToObject(l, "unit", unit);
}

static cJSON *procedure_json(const struct procedure_row *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", p->code);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "field", p->field);
	cJSON_AddStringToObject(o, "level", p->level);
	if (p->agency_code[0]) {
		cJSON *a = cJSON_AddObjectToObject(o, "agency");
		cJSON_AddStringToObject(a, "code", p->agency_code);
		cJSON_AddStringToObject(a, "name", p->agency_name);
	} else {
		cJSON_AddNullToObject(o, "agency");
	}
	add_limit(o, "limit", p->limit_value, p->limit_unit);
	if (p->online_limit_value >= 0)
		add_limit(o, "online_limit", p->online_limit_value, p->online_limit_unit);
	else
		cJSON_AddNullToObject(o, "online_limit");
	if (p->fee_vnd >= 0)
		cJSON_AddNumberToObject(o, "fee_vnd", (double)p->fee_vnd);
	else
		cJSON_AddNullToObject(o, "fee_vnd");
	cJSON_AddStringToObject(o, "online_level", p->online_level);
	cJSON_AddNumberToObject(o, "steps", p->steps);
	cJSON_AddBoolToObject(o, "active", p->active);
	return o;
}

static void add_procedure(const struct procedure_row *p, void *ctx)
{
	cJSON_AddItemToArray(ctx, procedure_json(p));
}

void api_procedures_list(struct request *r)
{
	struct db *db = api_reader(r);
	const char *q = http_query(r, "q"), *level = http_query(r, "level");
	int limit = api_limit(r, 50, 500);
	if (!db)
		return;
	if (limit < 0) {
		http_fail(r, 400, "invalid_parameter", "limit", "limit must be a number from 1 to 500.");
		return;
	}
	if (level && strcmp(level, "province") && strcmp(level, "commune")) {
		http_fail(r, 400, "invalid_parameter", "level", "level must be province or commune.");
		return;
	}
	if (q && strlen(q) > 200) {
		http_fail(r, 400, "invalid_parameter", "q", "q is longer than 200 characters.");
		return;
	}
	cJSON *root = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(root, "items");
	db_procedure_search(db, q, level, limit, add_procedure, items);
	http_json(r, 200, root);
}

void api_procedure_get(struct request *r)
{
	struct db *db = api_reader(r);
	struct procedure_row p;
	struct step_row steps[16];
	struct document_row docs[40];
	if (!db)
		return;
	if (db_procedure_by_code(db, r->params[0], &p) != 1) {
		http_fail(r, 404, "not_found", NULL, "No procedure has this code.");
		return;
	}
	cJSON *o = procedure_json(&p);
	cJSON_AddStringToObject(o, "legal_basis", p.legal_basis);
	cJSON_AddStringToObject(o, "note", p.note);
	cJSON *sa = cJSON_AddArrayToObject(o, "chain");
	int n = db_step_list(db, p.id, steps, 16);
	for (int i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "seq", steps[i].seq);
		if (steps[i].agency_id) {
			cJSON *a = cJSON_AddObjectToObject(s, "agency");
			cJSON_AddStringToObject(a, "code", steps[i].agency_code);
			cJSON_AddStringToObject(a, "name", steps[i].agency_name);
		} else {
			cJSON_AddNullToObject(s, "agency");
		}
		cJSON_AddStringToObject(s, "task", steps[i].task);
		cJSON_AddNumberToObject(s, "work_hours", steps[i].work_hours);
		cJSON_AddItemToArray(sa, s);
	}
	cJSON *da = cJSON_AddArrayToObject(o, "documents");
	n = db_document_list(db, p.id, docs, 40);
	for (int i = 0; i < n; i++) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", docs[i].name);
		cJSON_AddStringToObject(d, "kind", docs[i].kind);
		cJSON_AddNumberToObject(d, "count", docs[i].count);
		cJSON_AddBoolToObject(d, "required", docs[i].required);
		cJSON_AddItemToArray(da, d);
	}
	http_json(r, 200, o);
}
