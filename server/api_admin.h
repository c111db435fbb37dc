/*
 * motcua — api_admin: the endpoints behind the admin pages (staff
 * accounts, procedure limits and inter-agency chains) and two look-ups the
 * staff pages need (every procedure including inactive ones, for the
 * admin; the officers of an agency, for the transfer form).
 *
 * Each change is one writer job that re-reads the row it changes inside
 * the transaction, writes it and appends a history row, so the audit
 * trail says who changed which account, limit or chain, and when.
 *
 * Ownership: handlers answer the request themselves (http.h); nothing is
 * kept between requests.
 */
#ifndef MOTCUA_API_ADMIN_H
#define MOTCUA_API_ADMIN_H

struct request;

/* GET /api/v1/users (admin): every account. 200. */
void api_users_list(struct request *r);
/* POST /api/v1/users (admin): {username, full_name, role, agency,
 * password, pii_access?}. 201; 409 username_taken; 422 bad input. */
void api_user_create(struct request *r);
/* POST /api/v1/users/{username}/disable and /enable (admin): {note?}.
 * Disabling ends the account's sessions and API tokens at once; enabling
 * also clears a lock after failed logins. 200; 404; 409 for disabling
 * oneself. */
void api_user_disable(struct request *r);
void api_user_enable(struct request *r);
/* POST /api/v1/users/{username}/password: an admin sets anyone's
 * password {password}; any user sets their own {current_password,
 * password}. Other sessions of the account end. 204; 403; 404; 422. */
void api_user_password(struct request *r);

/* GET /api/v1/admin/procedures?q=&active=&limit= (admin): procedures,
 * inactive ones included, by code prefix or name words. 200; 400. */
void api_admin_procedures(struct request *r);
/* PUT /api/v1/procedures/{code} (admin): {limit, online_limit, fee_vnd,
 * online_level, active, agency}; a key left out keeps its value, null
 * clears the online override, the fee or the lead agency. 200; 404;
 * 422. */
void api_procedure_put(struct request *r);
/* PUT /api/v1/procedures/{code}/chain (admin): {steps: [{agency, task,
 * work_hours}]} replaces the chain (1 to 16 steps; agency null = the
 * receiving agency). Dossiers already received keep their own copy of the
 * chain. 200 (with warnings when the steps take longer than the limit);
 * 404; 422. */
void api_procedure_chain_put(struct request *r);

/* GET /api/v1/agencies/{code}/officers (staff): the active officers and
 * managers of an agency, for choosing an assignee. 200; 404. */
void api_agency_officers(struct request *r);

#endif
