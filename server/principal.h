/*
 * motcua — principal: who is acting (roles and the logged-in staff member).
 *
 * Plain types shared by the HTTP layer, the database layer and the
 * domain modules. Citizens have no account; their actions are recorded
 * with the actor "citizen".
 *
 * Ownership: plain values, no allocation.
 */
#ifndef MOTCUA_PRINCIPAL_H
#define MOTCUA_PRINCIPAL_H

#include <stdint.h>

enum role {
	ROLE_ADMIN,
	ROLE_CLERK,
	ROLE_OFFICER,
	ROLE_MANAGER,
	ROLE_AUDITOR,
	ROLE__MAX
};
#define ROLE_BIT(r) (1u << (r))
#define ROLES_STAFF 0x1fu

const char *role_name(enum role r);
/* 0 ok, -1 unknown. */
int role_parse(const char *s, enum role *r);

struct principal {
	int64_t account_id;
	char username[64];
	char full_name[128];
	enum role role;
	int64_t agency_id;
	char agency_code[32];
	char agency_name[160];
	int pii_access;		/* may see unmasked personal data in exports */
	int via_token;		/* 1: bearer token, 0: session cookie */
	unsigned char session[32];	/* SHA-256 of the session token */
	int64_t session_seen;	/* last recorded activity of the session */
};

#endif
