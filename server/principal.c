/*
 * motcua — principal: role names.
 */
#include "principal.h"

#include <string.h>

static const char *const role_names[ROLE__MAX] = {
	"admin", "clerk", "officer", "manager", "auditor"
};

const char *role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "?";
}

int role_parse(const char *s, enum role *r)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*r = (enum role)i;
			return 0;
		}
	return -1;
}
