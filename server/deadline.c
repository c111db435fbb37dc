/*
 * motcua — deadline: working time over an office calendar (weekday pattern,
 * dated exceptions, up to two sessions a day) and the due-date rules built
 * on it. Pure: local seconds in, local seconds out; no clock, no zone, no
 * allocation. Converting to and from UTC is tz.c's job.
 *
 * Cost: nothing here walks minute by minute, or even day by day over long
 * spans. Between two exceptions the calendar repeats every week, so whole
 * weeks are counted by multiplication, and only the exceptions inside a
 * span are visited (found by binary search). A calendar with no working
 * day at all therefore cannot make any function loop: the search simply
 * finds nothing and the caller's instant comes back unchanged.
 */
#include "deadline.h"

#include <string.h>

#include "date.h"

#define DAY ((int64_t)DATE_DAY_SECONDS)

/* Instants are clamped to ±2^61 s (±73 billion years) so that adding a
 * day, or a span of days times a day length, can never overflow int64. */
#define INSTANT_LIMIT ((int64_t)1 << 61)

/* At most 2^40 working days (~3 billion years) are ever added: far beyond
 * any real limit, small enough that the resulting day number times DAY
 * stays inside INSTANT_LIMIT's headroom. */
#define MAX_WORK_DAYS ((int64_t)1 << 40)

/* A calendar's sessions in seconds of the day: non-empty, sorted and
 * disjoint, whatever order or overlap the configuration used. */
struct sessions {
	int n;
	int64_t start[2];
	int64_t end[2];
	int64_t total;		/* working seconds in one working day */
};

/* ---- days ------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t clamp_instant(int64_t t)
{
	if (t < -INSTANT_LIMIT)
		return -INSTANT_LIMIT;
	if (t > INSTANT_LIMIT)
		return INSTANT_LIMIT;
	return t;
}

static int64_t day_of(int64_t t)
{
	return floor_div(t, DAY);
}

static int64_t second_of(int64_t t)
{
	return t - day_of(t) * DAY;
}

/* 0 = Monday … 6 = Sunday; day 0 (1970-01-01) was a Thursday. Day numbers
 * here are int64 because far-future sums may leave int32's range. */
static int weekday_of(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* The weekday rule alone, ignoring exceptions. */
static int pattern_working(const struct deadline_calendar *cal, int64_t day)
{
	return cal->weekday_working[weekday_of(day)] != 0;
}

/* Working weekdays per week under the weekday rule. */
static int64_t pattern_per_week(const struct deadline_calendar *cal)
{
	int64_t n = 0;
	for (int i = 0; i < 7; i++)
		n += cal->weekday_working[i] != 0;
	return n;
}

/* Index of the first exception dated on or after day (n_ex if none). */
static size_t ex_lower_bound(const struct deadline_calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->n_ex;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->ex[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Exceptions win over the weekday rule. */
static int day_working(const struct deadline_calendar *cal, int64_t day)
{
	size_t i = ex_lower_bound(cal, day);
	if (i < cal->n_ex && cal->ex[i].day == day)
		return cal->ex[i].working != 0;
	return pattern_working(cal, day);
}

/* Weekday-rule working days in [from, to), to >= from: whole weeks hold
 * every weekday once; only the remainder (< 7 days) is looked at. */
static int64_t pattern_count(const struct deadline_calendar *cal,
			     int64_t from, int64_t to)
{
	int64_t len = to - from;
	int64_t n = len / 7 * pattern_per_week(cal);
	for (int64_t d = from; d < from + len % 7; d++)
		n += pattern_working(cal, d);
	return n;
}

/* Working days in [from, to): the weekday rule, corrected by each
 * exception in the range that disagrees with it. */
static int64_t working_days_in(const struct deadline_calendar *cal,
			       int64_t from, int64_t to)
{
	int64_t n = pattern_count(cal, from, to);
	for (size_t i = ex_lower_bound(cal, from);
	     i < cal->n_ex && cal->ex[i].day < to; i++)
		n += (cal->ex[i].working != 0) -
		     pattern_working(cal, cal->ex[i].day);
	return n;
}

/* The k-th (k >= 1) weekday-rule working day from `from` on, when the
 * rule has per_week >= 1 days a week and no exception is in the way. */
static int64_t pattern_nth(const struct deadline_calendar *cal, int64_t from,
			   int64_t k, int64_t per_week)
{
	int64_t weeks = (k - 1) / per_week;
	int64_t d = from + weeks * 7;
	k -= weeks * per_week;	/* now 1 … per_week: found within 7 days */
	for (;; d++)
		if (pattern_working(cal, d) && --k == 0)
			return d;
}

/*
 * The k-th (k >= 1) working day on or after `from`, in *out. Walks the
 * exceptions from `from` on: between two of them the weekday rule holds,
 * so each stretch is counted in O(1). 0 found; -1 if the calendar runs out
 * of working days (no working weekday and no working exception left).
 */
static int nth_working_day(const struct deadline_calendar *cal, int64_t from,
			   int64_t k, int64_t *out)
{
	int64_t per_week = pattern_per_week(cal);
	int64_t d = from;

	for (size_t i = ex_lower_bound(cal, from); i < cal->n_ex; i++) {
		int64_t ex_day = cal->ex[i].day;
		int64_t n = pattern_count(cal, d, ex_day);
		if (n >= k) {
			*out = pattern_nth(cal, d, k, per_week);
			return 0;
		}
		k -= n;
		if (cal->ex[i].working && --k == 0) {
			*out = ex_day;
			return 0;
		}
		d = ex_day + 1;
	}
	if (per_week == 0)
		return -1;
	*out = pattern_nth(cal, d, k, per_week);
	return 0;
}

/* ---- sessions -------------------------------------------------------------- */

/* Normalise the configured sessions: clamp to the day, drop empty ones,
 * order them and merge overlaps, so the rest can assume a clean list. */
static void sessions_of(const struct deadline_calendar *cal,
			struct sessions *ss)
{
	ss->n = 0;
	ss->total = 0;
	for (int i = 0; i < 2; i++) {
		int64_t a = cal->session[i][0], b = cal->session[i][1];
		a = a < 0 ? 0 : a > 1440 ? 1440 : a;
		b = b < 0 ? 0 : b > 1440 ? 1440 : b;
		if (a >= b)
			continue;
		ss->start[ss->n] = a * 60;
		ss->end[ss->n] = b * 60;
		ss->n++;
	}
	if (ss->n == 2 && ss->start[1] < ss->start[0]) {
		int64_t a = ss->start[0], b = ss->end[0];
		ss->start[0] = ss->start[1];
		ss->end[0] = ss->end[1];
		ss->start[1] = a;
		ss->end[1] = b;
	}
	if (ss->n == 2 && ss->start[1] <= ss->end[0]) {
		if (ss->end[1] > ss->end[0])
			ss->end[0] = ss->end[1];
		ss->n = 1;
	}
	for (int i = 0; i < ss->n; i++)
		ss->total += ss->end[i] - ss->start[i];
}

/* Working seconds of a working day that lie before second `sec`. */
static int64_t work_before(const struct sessions *ss, int64_t sec)
{
	int64_t w = 0;
	for (int i = 0; i < ss->n; i++)
		if (sec > ss->start[i])
			w += (sec < ss->end[i] ? sec : ss->end[i]) - ss->start[i];
	return w;
}

/* The earliest instant of working day `day` at which `x` working seconds
 * of it (0 < x <= total) have elapsed. `<=` is deliberate: work that fills
 * a session exactly ends at the session's end (17:00), not at the start
 * of the next one. */
static int64_t instant_in_day(const struct sessions *ss, int64_t day,
			      int64_t x)
{
	for (int i = 0; i < ss->n; i++) {
		int64_t len = ss->end[i] - ss->start[i];
		if (x <= len)
			return day * DAY + ss->start[i] + x;
		x -= len;
	}
	return day * DAY + ss->end[ss->n - 1];
}

/* End of the last session of `day`: where day-based limits fall due. */
static int64_t day_close(const struct sessions *ss, int64_t day)
{
	return day * DAY + ss->end[ss->n - 1];
}

/* The first working instant >= t in *out. 0 ok, -1 when the calendar has
 * no working time from t on. */
static int first_working(const struct deadline_calendar *cal,
			 const struct sessions *ss, int64_t t, int64_t *out)
{
	int64_t d = day_of(t), sec = second_of(t), next;

	if (ss->n == 0)
		return -1;
	if (day_working(cal, d)) {
		for (int i = 0; i < ss->n; i++) {
			if (sec < ss->end[i]) {
				*out = d * DAY + (sec > ss->start[i] ? sec :
						  ss->start[i]);
				return 0;
			}
		}
	}
	if (nth_working_day(cal, d + 1, 1, &next))
		return -1;
	*out = next * DAY + ss->start[0];
	return 0;
}

/* ---- public ---------------------------------------------------------------- */

void deadline_calendar_default(struct deadline_calendar *cal)
{
	memset(cal, 0, sizeof(*cal));
	for (int i = 0; i < 5; i++)
		cal->weekday_working[i] = 1;
	cal->session[0][0] = 7 * 60 + 30;
	cal->session[0][1] = 11 * 60 + 30;
	cal->session[1][0] = 13 * 60;
	cal->session[1][1] = 17 * 60;
	cal->cutoff_minute = 15 * 60;
	cal->ex = NULL;
	cal->covered_years = NULL;
}

int deadline_is_working_day(const struct deadline_calendar *cal, int32_t day)
{
	return day_working(cal, day);
}

int64_t deadline_day_seconds(const struct deadline_calendar *cal)
{
	struct sessions ss;
	sessions_of(cal, &ss);
	return ss.total;
}

/* Without any working time ahead, t itself comes back (documented in the
 * file comment: never loop, never invent a time). */
int64_t deadline_next_working(const struct deadline_calendar *cal, int64_t t)
{
	struct sessions ss;
	int64_t out;

	t = clamp_instant(t);
	sessions_of(cal, &ss);
	return first_working(cal, &ss, t, &out) ? t : out;
}

/* Finish the first (partial) working day, then jump straight to the day
 * holding the last second of work: k = ceil(rest / day) working days on,
 * with rest - (k - 1) * day seconds of it to go. */
int64_t deadline_add(const struct deadline_calendar *cal, int64_t start,
		     int64_t work)
{
	struct sessions ss;
	int64_t t, day, done, left_today, k, last_day;

	start = clamp_instant(start);
	sessions_of(cal, &ss);
	if (first_working(cal, &ss, start, &t))
		return start;
	if (work <= 0)
		return t;
	if (work / ss.total > MAX_WORK_DAYS)
		work = MAX_WORK_DAYS * ss.total;

	day = day_of(t);
	done = work_before(&ss, second_of(t));
	left_today = ss.total - done;
	if (work <= left_today)
		return instant_in_day(&ss, day, done + work);
	work -= left_today;
	k = (work + ss.total - 1) / ss.total;
	if (nth_working_day(cal, day + 1, k, &last_day))
		return start;	/* not enough working days, ever */
	return instant_in_day(&ss, last_day, work - (k - 1) * ss.total);
}

/* The partial first day, whole days in between, the partial last day. */
int64_t deadline_between(const struct deadline_calendar *cal, int64_t a,
			 int64_t b)
{
	struct sessions ss;
	int64_t da, db, sa, sb, w;

	a = clamp_instant(a);
	b = clamp_instant(b);
	if (b <= a)
		return 0;
	sessions_of(cal, &ss);
	if (ss.n == 0)
		return 0;
	da = day_of(a);
	db = day_of(b);
	sa = second_of(a);
	sb = second_of(b);
	if (da == db)
		return day_working(cal, da) ?
		       work_before(&ss, sb) - work_before(&ss, sa) : 0;
	w = day_working(cal, da) ? ss.total - work_before(&ss, sa) : 0;
	w += working_days_in(cal, da + 1, db) * ss.total;
	if (day_working(cal, db))
		w += work_before(&ss, sb);
	return w;
}

/* Calendar days: the receipt date + n, rolled forward to a working day,
 * due at its close. Falls back to `received` without working days. */
static int64_t calendar_days_due(const struct deadline_calendar *cal,
				 const struct sessions *ss, int64_t received,
				 int64_t n)
{
	int64_t day;
	if (ss->n == 0 || nth_working_day(cal, day_of(received) + n, 1, &day))
		return received;
	return day_close(ss, day);
}

/* Immediate: the close of the day the clock starts, except that a receipt
 * on a working day at or after the cut-off moves to the next working day
 * (Decree 61 Art 18's 15:00 rule, applied to same-day results). */
static int64_t immediate_due(const struct deadline_calendar *cal,
			     const struct sessions *ss, int64_t received)
{
	int64_t rd = day_of(received), day, t;

	if (day_working(cal, rd) &&
	    second_of(received) >= (int64_t)cal->cutoff_minute * 60) {
		if (ss->n == 0 || nth_working_day(cal, rd + 1, 1, &day))
			return received;
		return day_close(ss, day);
	}
	if (first_working(cal, ss, received, &t))
		return received;
	return day_close(ss, day_of(t));
}

/* 1 if year is in the sorted covered_years list. */
static int year_covered(const struct deadline_calendar *cal, int year)
{
	size_t lo = 0, hi = cal->n_covered;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->covered_years[mid] == year)
			return 1;
		if (cal->covered_years[mid] < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int year_of(int64_t t)
{
	int64_t d = day_of(t);
	int y, m, md;
	if (d < INT32_MIN)
		d = INT32_MIN;
	if (d > INT32_MAX)
		d = INT32_MAX;
	date_to_civil((int32_t)d, &y, &m, &md);
	return y;
}

/* The first year of [from, to]'s local dates missing from covered_years,
 * else 0. At most n_covered + 1 years are tried: each year passed over is
 * a distinct entry of the list. */
static int first_uncovered(const struct deadline_calendar *cal, int64_t from,
			   int64_t to)
{
	int last = year_of(to);
	for (int y = year_of(from);; y++) {
		if (!year_covered(cal, y))
			return y;
		if (y >= last)
			return 0;
	}
}

int deadline_compute(const struct deadline_calendar *cal, int64_t received,
		     int value, enum deadline_unit unit,
		     struct deadline_result *out)
{
	struct deadline_result r = { 0, 0, 0 };
	struct sessions ss;

	if (value < 0)
		return -1;
	received = clamp_instant(received);
	sessions_of(cal, &ss);
	r.start = deadline_next_working(cal, received);
	switch (unit) {
	case DEADLINE_NONE:
		*out = r;
		return 0;
	case DEADLINE_WORK_HOURS:
		r.due = deadline_add(cal, received, (int64_t)value * 3600);
		break;
	case DEADLINE_WORK_DAYS:
		r.due = deadline_add(cal, received, (int64_t)value * ss.total);
		break;
	case DEADLINE_CAL_DAYS:
		r.due = calendar_days_due(cal, &ss, received, value);
		break;
	case DEADLINE_IMMEDIATE:
		r.due = immediate_due(cal, &ss, received);
		break;
	default:
		return -1;
	}
	r.uncovered_year = first_uncovered(cal, received, r.due);
	*out = r;
	return 0;
}

/* Indexed by enum deadline_unit; the strings are stored in the database,
 * so they never change. */
static const char *const unit_names[] = {
	[DEADLINE_NONE] = "none",
	[DEADLINE_WORK_HOURS] = "working_hours",
	[DEADLINE_WORK_DAYS] = "working_days",
	[DEADLINE_CAL_DAYS] = "calendar_days",
	[DEADLINE_IMMEDIATE] = "immediate",
};

/* NULL for a value outside the enum: a programming error the caller
 * should see, rather than a plausible-looking name. */
const char *deadline_unit_name(enum deadline_unit unit)
{
	if ((unsigned)unit >= sizeof(unit_names) / sizeof(unit_names[0]))
		return NULL;
	return unit_names[unit];
}

int deadline_unit_parse(const char *name, enum deadline_unit *unit)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(unit_names) / sizeof(unit_names[0]); i++) {
		if (strcmp(name, unit_names[i]) == 0) {
			*unit = (enum deadline_unit)i;
			return 0;
		}
	}
	return -1;
}
