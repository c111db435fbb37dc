/*
 * motcua — calendar: reference-counted calendar snapshots.
 */
#include "calendar.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"
#include "db.h"
#include "util.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar *current;

static void free_calendar(struct calendar *cal)
{
	free(cal->ex);
	free(cal->years);
	free(cal);
}

struct calendar *calendar_load(struct db *db, const struct config *cfg)
{
	struct calendar *cal = xcalloc(1, sizeof(*cal));
	size_t cap = 64, ycap = 8;
	int rc;
	cal->ex = xmalloc(cap * sizeof(*cal->ex));
	cal->years = xmalloc(ycap * sizeof(*cal->years));
	sqlite3_stmt *st = db_sql(db, "SELECT day, working FROM calendar_day ORDER BY day");
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		int32_t day;
		if (date_parse_day(db_text(st, 0), &day) != 0)
			continue;
		if (cal->n_ex == cap)
			cal->ex = xrealloc(cal->ex, (cap *= 2) * sizeof(*cal->ex));
		cal->ex[cal->n_ex].day = day;
		cal->ex[cal->n_ex].working = (int)db_int(st, 1);
		cal->n_ex++;
		int y, m, d;
		date_to_civil(day, &y, &m, &d);
		if (cal->n_years == 0 || cal->years[cal->n_years - 1] != y) {
			if (cal->n_years == ycap)
				cal->years = xrealloc(cal->years, (ycap *= 2) * sizeof(*cal->years));
			cal->years[cal->n_years++] = y;
		}
	}
	db_reset(st);
	if (rc != SQLITE_DONE) {
		free_calendar(cal);
		return NULL;
	}
	deadline_calendar_default(&cal->dc);
	memcpy(cal->dc.weekday_working, cfg->working_weekdays, 7);
	memcpy(cal->dc.session, cfg->session, sizeof(cal->dc.session));
	cal->dc.cutoff_minute = cfg->cutoff_minute;
	cal->dc.ex = cal->ex;
	cal->dc.n_ex = cal->n_ex;
	cal->dc.covered_years = cal->years;
	cal->dc.n_covered = cal->n_years;
	cal->refs = 1;
	return cal;
}

void calendar_publish(struct calendar *cal)
{
	pthread_mutex_lock(&lock);
	struct calendar *old = current;
	current = cal;
	int last = old && --old->refs == 0;
	pthread_mutex_unlock(&lock);
	if (last)
		free_calendar(old);
}

int calendar_reload(struct db *db, const struct config *cfg)
{
	struct calendar *cal = calendar_load(db, cfg);
	if (!cal)
		return -1;
	calendar_publish(cal);
	return 0;
}

struct calendar *calendar_get(void)
{
	pthread_mutex_lock(&lock);
	struct calendar *cal = current;
	if (cal)
		cal->refs++;
	pthread_mutex_unlock(&lock);
	return cal;
}

void calendar_put(struct calendar *cal)
{
	if (!cal)
		return;
	pthread_mutex_lock(&lock);
	int last = --cal->refs == 0;
	pthread_mutex_unlock(&lock);
	if (last)
		free_calendar(cal);
}

int calendar_covers(const struct calendar *cal, int year)
{
	for (size_t i = 0; i < cal->n_years; i++)
		if (cal->years[i] == year)
			return 1;
	return 0;
}
