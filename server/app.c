/*
 * motcua — app: the shared instance context.
 */
#include "app.h"

#include "util.h"

int64_t app_now(const struct app *app)
{
	return app->clock_fixed ? app->clock_fixed : util_now() + app->clock_offset;
}
