/*
 * motcua — app: the shared instance context.
 */
#include "app.h"

#include "util.h"

int64_t app_now(const struct app *app)
{
	return util_now() + app->clock_offset;
}
