/*
 * motcua — seed: the demo province from the embedded reference data.
 */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "calendar.h"
#include "date.h"
#include "db_account.h"
#include "db_catalog.h"
#include "deadline.h"
#include "dossier.h"
#include "lifecycle.h"
#include "principal.h"
#include "tz.h"
#include "config.h"
#include "db.h"
#include "embed.h"
#include "feedback.h"
#include "rating.h"
#include "submission.h"
#include "upload.h"
#include "import.h"
#include "log.h"
#include "util.h"
#include "writer.h"

struct demo {
	const struct config *cfg;
	int64_t now;
	char password_hash[AUTH_HASH_MAX];
	struct import_count counts[8];
};

typedef int (*import_fn)(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
			 struct api_error *err);

static int do_agencies(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
		       struct api_error *err)
{
	(void)d;
	return import_agencies(t, f, c, err);
}

static int do_procedures(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
			 struct api_error *err)
{
	(void)d;
	return import_procedures(t, f, c, err);
}

static int do_chains(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
		     struct api_error *err)
{
	const int (*s)[2] = d->cfg->session;
	int day_minutes = (s[0][1] - s[0][0]) + (s[1][1] - s[1][0]);
	return import_chains(t, f, day_minutes / 60 > 0 ? day_minutes / 60 : 8, c, err);
}

static int do_documents(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
			struct api_error *err)
{
	(void)d;
	return import_documents(t, f, c, err);
}

static int do_calendar(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
		       struct api_error *err)
{
	return import_calendar(t, f, d->cfg->working_weekdays, d->now, NULL, c, err);
}

static int do_users(struct txn *t, FILE *f, struct demo *d, struct import_count *c,
		    struct api_error *err)
{
	return import_users(t, f, d->password_hash, d->now, c, err);
}

/* In order: parents before what refers to them. */
static const struct {
	const char *file;
	import_fn fn;
} steps[] = {
	{ "agencies-demo.csv", do_agencies },
	{ "agencies-local.csv", do_agencies },
	{ "procedures.csv", do_procedures },
	{ "chains.csv", do_chains },
	{ "documents.csv", do_documents },
	{ "calendar-vn.csv", do_calendar },
	{ "users.csv", do_users },
};

static int demo_run(struct txn *t, void *arg, struct api_error *err)
{
	struct demo *d = arg;
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		const struct embed_file *ef = embed_find(embed_demo, steps[i].file);
		if (!ef)
			return api_error_set(err, 500, "missing_data", NULL, "%s is not built in", steps[i].file);
		FILE *f = fmemopen(unconst(ef->data), ef->len, "r");
		if (!f)
			return api_error_set(err, 500, "io_error", NULL, "cannot read %s", steps[i].file);
		int rc = steps[i].fn(t, f, d, &d->counts[i], err);
		fclose(f);
		if (rc != 0) {
			char msg[sizeof(err->message) + 64];
			snprintf(msg, sizeof(msg), "schema/demo/%s: %s", steps[i].file, err->message);
			strlcpy_(err->message, msg, sizeof(err->message));
			return -1;
		}
	}
	return 0;
}

int seed_demo(struct writer *w, const struct config *cfg, int64_t now, char *err, size_t n)
{
	struct api_error e;
	struct demo *d = xcalloc(1, sizeof(*d));
	int rc = -1;
	d->cfg = cfg;
	d->now = now;
	if (auth_hash_password(SEED_DEMO_PASSWORD, cfg->pwhash_ops, cfg->pwhash_mem_kib,
			       d->password_hash) != 0) {
		snprintf(err, n, "cannot hash the demo password (out of memory?)");
		goto out;
	}
	if (writer_call(w, demo_run, d, &e) != 0) {
		snprintf(err, n, "%s", e.message);
		goto out;
	}
	log_msg(LOG_INFO, "demo province loaded: %d agencies, %d procedures, %d calendar days, %d accounts",
		d->counts[0].rows + d->counts[1].rows, d->counts[2].rows, d->counts[5].rows,
		d->counts[6].rows);
	rc = 0;
out:
	free(d);
	return rc;
}

/* ---- synthetic dossiers ------------------------------------------------ */

/* A small deterministic generator (splitmix64): the same seed gives the
 * same demo. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unit(struct rng *r)
{
	return (double)(rnd(r) >> 11) / 9007199254740992.0;
}

static long between_l(struct rng *r, long lo, long hi)
{
	return lo + (long)(unit(r) * (double)(hi - lo + 1));
}

struct seed_agency {
	int64_t id;
	char code[32];
	char level[16];
	int32_t from, to;	/* valid days, inclusive */
	double quality;		/* share of dossiers it resolves in time */
	struct principal clerk, officer, manager;
};

struct seed_proc {
	char code[32];
	char level[16];
	int weight;		/* how common */
	int64_t fee;
	int online;		/* offered online (online_level not "none") */
};

struct seeder {
	const struct config *cfg;
	struct rng rng;
	struct seed_agency *ag;
	size_t n_ag;
	struct seed_proc *pr;
	size_t n_pr;
	int total_weight;
	int64_t now;
	int32_t first_day;
	long wanted, done;
	struct lifecycle_rules rules;
	struct dossier_state *st;
	long stats[8];
	int64_t *times;		/* receipt instants, in time order */
	int64_t returned;	/* the current dossier's return, 0 if none */
};

static void synth_principal(struct principal *p, const struct seed_agency *a, enum role role)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->username, sizeof(p->username), "%s@%s", role_name(role), a->code);
	p->role = role;
	p->agency_id = a->id;
	strlcpy_(p->agency_code, a->code, sizeof(p->agency_code));
}

static void add_agency(const struct agency_row *a, void *ctx)
{
	struct seeder *s = ctx;
	int32_t from = INT32_MIN, to = INT32_MAX;
	if (a->valid_from[0])
		date_parse_day(a->valid_from, &from);
	if (a->valid_to[0])
		date_parse_day(a->valid_to, &to);
	s->ag = xrealloc(s->ag, (s->n_ag + 1) * sizeof(*s->ag));
	struct seed_agency *x = &s->ag[s->n_ag++];
	memset(x, 0, sizeof(*x));
	x->id = a->id;
	strlcpy_(x->code, a->code, sizeof(x->code));
	strlcpy_(x->level, a->level, sizeof(x->level));
	x->from = from;
	x->to = to;
	/* Most agencies resolve 98–99.9 % in time; a few struggle. */
	x->quality = 0.98 + 0.019 * unit(&s->rng);
	if (unit(&s->rng) < 0.15)
		x->quality = 0.93 + 0.04 * unit(&s->rng);
	synth_principal(&x->clerk, x, ROLE_CLERK);
	synth_principal(&x->officer, x, ROLE_OFFICER);
	synth_principal(&x->manager, x, ROLE_MANAGER);
}

/* Real demo accounts act for their agencies, so their names appear in
 * the history the demo users see. */
static void use_account(const struct account_row *a, void *ctx)
{
	struct seeder *s = ctx;
	for (size_t i = 0; i < s->n_ag; i++) {
		struct principal *p = NULL;
		if (s->ag[i].id != a->agency_id)
			continue;
		if (a->role == ROLE_CLERK)
			p = &s->ag[i].clerk;
		else if (a->role == ROLE_OFFICER)
			p = &s->ag[i].officer;
		else if (a->role == ROLE_MANAGER)
			p = &s->ag[i].manager;
		if (!p || p->account_id)
			continue;
		p->account_id = a->id;
		strlcpy_(p->username, a->username, sizeof(p->username));
		strlcpy_(p->full_name, a->full_name, sizeof(p->full_name));
	}
}

static void add_proc(const struct procedure_row *p, void *ctx)
{
	struct seeder *s = ctx;
	if (!p->active || !strcmp(p->limit_unit, "none"))
		return;
	s->pr = xrealloc(s->pr, (s->n_pr + 1) * sizeof(*s->pr));
	struct seed_proc *x = &s->pr[s->n_pr++];
	strlcpy_(x->code, p->code, sizeof(x->code));
	strlcpy_(x->level, p->level, sizeof(x->level));
	x->fee = p->fee_vnd;
	x->online = strcmp(p->online_level, "none") != 0;
	/* Civil status and certification are the bulk of a one-stop's day. */
	x->weight = !strcmp(p->field, "Hộ tịch") || !strcmp(p->field, "Chứng thực") ? 6
		    : !strcmp(p->level, "commune") ? 3 : 2;
	s->total_weight += x->weight;
}

static const struct seed_proc *pick_proc(struct seeder *s)
{
	long w = between_l(&s->rng, 0, s->total_weight - 1);
	for (size_t i = 0; i < s->n_pr; i++) {
		w -= s->pr[i].weight;
		if (w < 0)
			return &s->pr[i];
	}
	return &s->pr[s->n_pr - 1];
}

/* A receiving agency for the procedure's level, existing on that day. */
static struct seed_agency *pick_receiver(struct seeder *s, const struct seed_proc *p, int32_t day)
{
	if (strcmp(p->level, "province") == 0) {
		for (size_t i = 0; i < s->n_ag; i++)
			if (!strcmp(s->ag[i].code, "000.01.01.H56"))
				return &s->ag[i];
	}
	struct seed_agency *cand[128];
	int n = 0;
	for (size_t i = 0; i < s->n_ag && n < 128; i++)
		if (!strcmp(s->ag[i].level, "commune") && day >= s->ag[i].from && day <= s->ag[i].to)
			cand[n++] = &s->ag[i];
	return n ? cand[between_l(&s->rng, 0, n - 1)] : NULL;
}

static struct seed_agency *agency_by_id(struct seeder *s, int64_t id)
{
	for (size_t i = 0; i < s->n_ag; i++)
		if (s->ag[i].id == id)
			return &s->ag[i];
	return &s->ag[0];
}

/* ---- time arithmetic on the working calendar --------------------------- */

static int64_t work_later(const struct calendar *cal, int64_t t, double hours)
{
	int64_t secs = (int64_t)(hours * 3600.0);
	return tz_utc(deadline_add(&cal->dc, tz_local(t), secs < 60 ? 60 : secs));
}

static double working_hours_between(const struct calendar *cal, int64_t a, int64_t b)
{
	return (double)deadline_between(&cal->dc, tz_local(a), tz_local(b)) / 3600.0;
}

/* A random instant during office hours of a working day in the period. */
static int64_t pick_receipt(struct seeder *s, const struct calendar *cal, int32_t *day_out)
{
	for (;;) {
		int32_t day = s->first_day + (int32_t)between_l(&s->rng, 0, date_day_of(tz_local(s->now)) - s->first_day);
		if (!deadline_is_working_day(&cal->dc, day))
			continue;
		int sess = unit(&s->rng) < 0.6 ? 0 : 1;
		int a = cal->dc.session[sess][0], b = cal->dc.session[sess][1];
		if (b <= a)
			continue;
		int minute = a + (int)between_l(&s->rng, 0, b - a - 1);
		int64_t t = tz_utc(date_at(day, minute)) + between_l(&s->rng, 0, 59);
		if (t >= s->now)
			continue;
		*day_out = day;
		return t;
	}
}

/* ---- one dossier's life ------------------------------------------------- */

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng",
	"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Mai", "Trịnh" };
static const char *const middle[] = { "Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang",
	"Thanh", "Hữu", "Xuân" };
static const char *const given[] = { "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hoa",
	"Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
	"Trang", "Tuấn", "Vy", "Yến" };

#define PICK(arr) arr[between_l(&s->rng, 0, (long)ARRAY_LEN(arr) - 1)]

/* Apply an action unless its time is still in the future; 1 done, 0 the
 * dossier stays as it is (the future has not happened yet), -1 error. */
static int act(struct seeder *s, struct txn *t, struct action_input *in,
	       const struct principal *who, int64_t at, struct api_error *err)
{
	if (at >= s->now)
		return 0;
	return lifecycle_apply(t, s->st, in, who, &s->rules, at, err) == 0 ? 1 : -1;
}

static int life_actions(struct seeder *s, struct txn *t, const struct calendar *cal,
			const struct seed_proc *p, struct seed_agency *rcv, int64_t t0,
			struct api_error *err);

/* A small PDF, the same for every demo attachment: stored once (files are
 * kept by SHA-256), listed on every online dossier. */
static const char demo_pdf[] =
	"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
	"trailer<</Root 1 0 R>>\n%%EOF\n";

/* An online dossier: the citizen's draft with one attachment, submitted
 * on the portal a few hours before the clerk accepts it at t0. */
static int receive_online(struct seeder *s, struct txn *t, const struct intake *in,
			  struct seed_agency *rcv, struct api_error *err)
{
	struct submission_draft dr;
	struct submission_in si;
	struct submission_file f;
	struct action_input a;
	char sha[UPLOAD_SHA_HEX], staged[UPLOAD_PATH_MAX];
	int replaced, consumed;
	int64_t submitted = in->at - between_l(&s->rng, 600, 40 * 3600);
	/* Not before the agency existed (new communes from 1/7/2025). */
	if (rcv->from != INT32_MIN && submitted < tz_utc(date_at(rcv->from, 0)))
		submitted = tz_utc(date_at(rcv->from, 0)) + 60 > in->at ? in->at : tz_utc(date_at(rcv->from, 0)) + 60;
	memset(&si, 0, sizeof(si));
	si.procedure_code = in->procedure_code;
	si.agency_code = rcv->code;
	si.name = in->name;
	si.id_number = in->id_number;
	si.phone = in->phone;
	si.address = in->address;
	si.upload_dir = s->cfg->upload_dir;
	si.at = submitted;
	if (submission_create(t, &si, &dr, err) != 0)
		return -1;
	if (upload_stage(s->cfg->upload_dir, demo_pdf, sizeof(demo_pdf) - 1, sha, staged,
			 sizeof(staged), err) != 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.seq = 1;
	f.name = "to-khai.pdf";
	f.label = "Tờ khai";
	f.mime = "application/pdf";
	f.size = (int64_t)sizeof(demo_pdf) - 1;
	f.sha256 = sha;
	f.staged = staged;
	f.upload_dir = s->cfg->upload_dir;
	if (submission_attach(t, dr.ref, dr.token, &f, submitted, &replaced, &consumed, err) != 0) {
		if (!consumed)
			upload_discard(staged);
		return -1;
	}
	if (submission_submit(t, dr.ref, dr.token, submitted, s->st, err) != 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.action = WF_ACCEPT;
	return lifecycle_apply(t, s->st, &a, &rcv->clerk, &s->rules, in->at, err);
}

/* After the result is returned, some citizens rate the service. */
static int maybe_rate(struct seeder *s, struct txn *t, int64_t returned, struct api_error *err)
{
	struct rating_in ri;
	struct rating_row rr;
	char link[RATING_LINK_MAX];
	int64_t at = returned + between_l(&s->rng, 300, 3 * 86400);
	if (unit(&s->rng) > 0.2 || at >= s->now)
		return 0;
	if (rating_link_for(t, s->st->d.id, s->cfg->public_url, "seed", at, link, sizeof(link), err) != 0)
		return -1;
	memset(&ri, 0, sizeof(ri));
	ri.token = strstr(link, "t=") + 2;
	/* Most are content; a few are not, and very few report being asked
	 * for money. */
	int unhappy = unit(&s->rng) < 0.04;
	ri.time_score = unhappy ? 2 : 4 + (int)between_l(&s->rng, 0, 1);
	ri.trips = 1 + (unit(&s->rng) < 0.15);
	ri.attitude_score = unhappy ? 2 + (int)between_l(&s->rng, 0, 1) : 4 + (int)between_l(&s->rng, 0, 1);
	ri.result_score = 4 + (int)between_l(&s->rng, 0, 1);
	ri.unofficial_payment = unit(&s->rng) < 0.003;
	ri.comment = unhappy ? "Phải chờ lâu" : "";
	ri.at = at;
	return rating_submit(t, &ri, &rr, err);
}

/* A little feedback about dossiers, most answered within the deadline. */
static int maybe_feedback(struct seeder *s, struct txn *t, struct seed_agency *holder,
			  struct api_error *err)
{
	struct feedback_in fi;
	struct feedback_row fr;
	struct feedback_action_in fa;
	struct dossier_row *d = &s->st->d;
	int64_t at = d->received_at + between_l(&s->rng, 3600, 5 * 86400);
	if (unit(&s->rng) > 0.01 || at >= s->now || !d->code[0])
		return 0;
	memset(&fi, 0, sizeof(fi));
	fi.dossier_code = d->code;
	fi.check = d->applicant_phone + strlen(d->applicant_phone) - 4;
	fi.kind = unit(&s->rng) < 0.6 ? "suggestion" : "complaint";
	fi.subject = "Về tiến độ giải quyết hồ sơ";
	fi.content = "Đề nghị cơ quan cho biết tiến độ giải quyết và thời gian trả kết quả.";
	fi.at = at;
	if (feedback_create(t, &fi, &fr, err) != 0)
		return -1;
	int64_t answer = at + between_l(&s->rng, 3600, 18 * 86400);
	if (answer >= s->now)
		return 0;
	memset(&fa, 0, sizeof(fa));
	fa.action = FB_ANSWER;
	fa.answer = "Hồ sơ đang được giải quyết đúng quy định; kết quả sẽ được trả theo giấy hẹn.";
	fa.answer_public = unit(&s->rng) < 0.5;
	return feedback_apply(t, fr.code, &fa, &holder->manager, answer, &fr, err);
}

/* One dossier: received, then its actions with the row kept in memory,
 * then the row written once. */
static int life(struct seeder *s, struct txn *t, const struct calendar *cal, struct api_error *err)
{
	const struct seed_proc *p = pick_proc(s);
	int64_t t0 = s->times[s->done];
	int32_t day = date_day_of(tz_local(t0));
	struct seed_agency *rcv = pick_receiver(s, p, day);
	struct intake in;
	char name[96], idn[48], phone[48];
	int uncovered, rc;
	if (!rcv)
		return 0;
	/* Online intake grows from a quarter to nearly half over the period. */
	double online = 0.25 + 0.2 * (double)(day - s->first_day) / 730.0;
	double u = unit(&s->rng);
	memset(&in, 0, sizeof(in));
	snprintf(name, sizeof(name), "%s %s %s", PICK(family), PICK(middle), PICK(given));
	snprintf(idn, sizeof(idn), "0%02ld%09ld", between_l(&s->rng, 1, 96), between_l(&s->rng, 0, 999999999));
	snprintf(phone, sizeof(phone), "09%08ld", between_l(&s->rng, 0, 99999999));
	in.procedure_code = p->code;
	in.channel = u < online && p->online ? "online" : u > 1 - 0.03 ? "postal" : "direct";
	in.name = name;
	in.id_number = idn;
	in.phone = phone;
	in.address = "Thanh Hóa";
	in.docs[0].name = "Tờ khai theo mẫu";
	in.docs[0].kind = "original";
	in.docs[0].count = 1;
	in.docs[1].name = "Giấy tờ chứng minh";
	in.docs[1].kind = "certified_copy";
	in.docs[1].count = 1;
	in.n_docs = 2;
	in.actor = &rcv->clerk;
	in.at = t0;
	/* One-stops with a clerk account take online dossiers through the
	 * portal's path; elsewhere the clerk records them (as when they come
	 * from the national portal). */
	if (!strcmp(in.channel, "online") && rcv->clerk.account_id) {
		if (receive_online(s, t, &in, rcv, err) != 0)
			return -1;
	} else if (dossier_receive(t, &in, s->st, &uncovered, err) != 0) {
		return -1;
	}
	s->stats[0]++;
	s->returned = 0;
	s->st->deferred = 1;
	rc = life_actions(s, t, cal, p, rcv, t0, err);
	s->st->deferred = 0;
	if (rc != 0 || lifecycle_flush(t, s->st, err) != 0)
		return -1;
	/* A rating or feedback reads the rows just written. */
	if (s->returned && (maybe_rate(s, t, s->returned, err) != 0 || maybe_feedback(s, t, rcv, err) != 0))
		return -1;
	return 0;
}

static int life_actions(struct seeder *s, struct txn *t, const struct calendar *cal,
			const struct seed_proc *p, struct seed_agency *rcv, int64_t t0,
			struct api_error *err)
{
	struct action_input a;
	int rc;
	struct dossier_row *d = &s->st->d;
	struct seed_agency *lead = agency_by_id(s, d->lead_agency_id);
	double limit_h = working_hours_between(cal, d->clock_start_at, d->due_at);
	int64_t now = work_later(cal, t0, 0.1 + unit(&s->rng) * 1.5);
	memset(&a, 0, sizeof(a));

	/* Rare exits: the citizen withdraws, or the agency refuses. */
	double fate = unit(&s->rng);
	a.action = WF_TRANSFER;
	if ((rc = act(s, t, &a, &rcv->clerk, now, err)) != 1)
		return rc;
	/* A few recent dossiers got stuck at their first agency: today's
	 * overdue list. About half of those past due got an apology. */
	if (s->now - t0 < 60 * 86400 && unit(&s->rng) < 0.08) {
		if (d->due_at && d->due_at < s->now && unit(&s->rng) < 0.5) {
			memset(&a, 0, sizeof(a));
			a.action = WF_EXTEND;
			a.reason = "Hồ sơ cần xác minh thêm tại cơ sở";
			a.new_appointment = d->due_at + 10 * 86400;
			int64_t at = d->due_at - 3600 > now ? d->due_at - 3600 : now + 60;
			if ((rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->manager, at, err)) < 0)
				return rc;
		}
		return 0;
	}
	if (fate < 0.008) {
		now = work_later(cal, now, 4 + unit(&s->rng) * 16);
		a.action = WF_WITHDRAW_REQUEST;
		a.reason = "Công dân đề nghị rút hồ sơ";
		if ((rc = act(s, t, &a, &rcv->clerk, now, err)) != 1)
			return rc;
		a.action = WF_WITHDRAW_CONFIRM;
		a.reason = NULL;
		rc = act(s, t, &a, &rcv->clerk, work_later(cal, now, 1), err);
		return rc < 0 ? -1 : 0;
	}
	if (fate < 0.015) {
		a.action = WF_REFUSE;
		a.reason = "Hồ sơ không đủ điều kiện giải quyết theo quy định";
		rc = act(s, t, &a, &lead->officer, work_later(cal, now, 6 + unit(&s->rng) * 10), err);
		return rc < 0 ? -1 : 0;
	}
	/* One supplement request in a few percent of dossiers, within the
	 * first working days; the citizen answers days later. */
	if (unit(&s->rng) < 0.06) {
		memset(&a, 0, sizeof(a));
		a.action = WF_REQUEST_SUPPLEMENT;
		a.reason = "Thiếu giấy tờ theo quy định";
		a.items[0].name = "Bản sao giấy tờ chứng minh nơi cư trú";
		a.items[0].kind = "certified_copy";
		a.n_items = 1;
		now = work_later(cal, now, 2 + unit(&s->rng) * 12);
		if ((rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->officer, now, err)) != 1)
			return rc;
		s->stats[1]++;
		memset(&a, 0, sizeof(a));
		a.action = WF_SUPPLEMENT_RECEIVED;
		now = work_later(cal, now, 8 + unit(&s->rng) * 40);
		if ((rc = act(s, t, &a, &rcv->clerk, now, err)) != 1)
			return rc;
	}
	/* Fees: some dossiers wait for payment, most paid through the portal. */
	if (p->fee > 0 && unit(&s->rng) < 0.3) {
		memset(&a, 0, sizeof(a));
		a.action = WF_REQUEST_PAYMENT;
		a.amount_vnd = p->fee;
		now = work_later(cal, now, 1 + unit(&s->rng) * 4);
		if ((rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->officer, now, err)) != 1)
			return rc;
		a.action = WF_PAYMENT_RECEIVED;
		a.method = unit(&s->rng) < 0.6 ? "online" : "counter";
		now = work_later(cal, now, 1 + unit(&s->rng) * 8);
		if ((rc = act(s, t, &a, &rcv->clerk, now, err)) != 1)
			return rc;
	}
	/* How long the rest of the work takes, as a share of the working time
	 * left before the due time (late ones overshoot it). */
	int late = unit(&s->rng) > lead->quality;
	double left_h = working_hours_between(cal, now, d->due_at);
	double total_h = late ? left_h + (0.1 + unit(&s->rng)) * (limit_h > 8 ? limit_h : 8) * 0.5
			      : left_h * (0.2 + unit(&s->rng) * 0.78);
	int64_t end = work_later(cal, now, total_h > 0.05 ? total_h : 0.05);
	/* Hand over along the chain in proportion to the steps. */
	for (int k = d->current_step; k < s->st->n_steps; k++) {
		int64_t at = now + (end - now) * k / s->st->n_steps;
		memset(&a, 0, sizeof(a));
		a.action = WF_TRANSFER;
		if ((rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->officer, at, err)) != 1)
			return rc;
	}
	/* A late dossier usually gets an apology and a new appointment. */
	if (late && d->due_at && unit(&s->rng) < 0.7) {
		int64_t at = work_later(cal, d->due_at, -0.0) - 8 * 3600;
		memset(&a, 0, sizeof(a));
		a.action = WF_EXTEND;
		a.reason = "Cần thêm thời gian xác minh, thẩm định hồ sơ";
		a.new_appointment = work_later(cal, d->due_at, (double)limit_h * 0.7 + 8);
		if (at > now && (rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->manager, at, err)) != 1)
			return rc;
	}
	memset(&a, 0, sizeof(a));
	a.action = WF_RESOLVE;
	a.result = "Đã giải quyết, kết quả chuyển Bộ phận Một cửa";
	if ((rc = act(s, t, &a, &agency_by_id(s, d->current_agency_id)->officer, end, err)) != 1)
		return rc;
	s->stats[2 + d->result_class]++;
	memset(&a, 0, sizeof(a));
	a.action = WF_RETURN;
	a.method = !strcmp(d->channel, "online") && unit(&s->rng) < 0.5 ? "online"
		   : unit(&s->rng) < 0.1 ? "postal" : "counter";
	int64_t returned = work_later(cal, end, unit(&s->rng) * 24);
	if ((rc = act(s, t, &a, &rcv->clerk, returned, err)) != 1)
		return rc < 0 ? -1 : 0;
	s->returned = returned;
	return 0;
}

/* Dossiers per transaction: big enough that a day's statistics merge into
 * few rows, small enough to keep a transaction's memory modest. */
#define SEED_CHUNK 100000

static int chunk_run(struct txn *t, void *arg, struct api_error *err)
{
	struct seeder *s = arg;
	struct calendar *cal = calendar_get();
	int rc = 0;
	long stop = s->done + SEED_CHUNK < s->wanted ? s->done + SEED_CHUNK : s->wanted;
	if (!cal)
		return api_error_set(err, 500, "no_calendar", NULL, "The calendar is not loaded.");
	for (; s->done < stop && rc == 0; s->done++)
		rc = life(s, t, cal, err);
	calendar_put(cal);
	return rc;
}

static int bulk_on(struct txn *t, void *arg, struct api_error *err)
{
	(void)arg;
	(void)err;
	db_bulk_mode(t->db, 1);
	return 0;
}

static int bulk_off(struct txn *t, void *arg, struct api_error *err)
{
	(void)arg;
	(void)err;
	db_bulk_mode(t->db, 0);
	return 0;
}

static int cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* All receipt instants first, sorted: dossiers are then received in time
 * order, like real ones — the history reads chronologically, indexes keyed
 * by time are appended to, and a day's statistics merge into few rows. */
static int pick_times(struct seeder *s)
{
	struct calendar *cal = calendar_get();
	int32_t day;
	if (!cal)
		return -1;
	s->times = xmalloc((size_t)(s->wanted > 0 ? s->wanted : 1) * sizeof(*s->times));
	for (long i = 0; i < s->wanted; i++)
		s->times[i] = pick_receipt(s, cal, &day);
	calendar_put(cal);
	qsort(s->times, (size_t)s->wanted, sizeof(*s->times), cmp_time);
	return 0;
}

static int load_run(struct txn *t, void *arg, struct api_error *err)
{
	struct seeder *s = arg;
	if (db_agency_each(t->db, add_agency, s) != 0 || db_procedure_each(t->db, add_proc, s) != 0
	    || db_account_each(t->db, use_account, s) != 0)
		return api_error_set(err, 500, "database_error", NULL, "Cannot read the catalogue.");
	return 0;
}

static int load_seeder(struct writer *w, struct seeder *s)
{
	struct api_error e;
	return writer_call(w, load_run, s, &e);
}

int seed_dossiers(struct writer *w, const struct config *cfg, int64_t now, long n,
		  uint64_t seed, char *err, size_t errlen)
{
	struct seeder *s = xcalloc(1, sizeof(*s));
	struct api_error e;
	int rc = -1;
	long report = n / 10 > 0 ? n / 10 : n;
	s->cfg = cfg;
	s->rng.s = seed;
	s->now = now;
	s->first_day = date_day_of(tz_local(now)) - 730;
	s->wanted = n;
	s->rules.supplement_mode = cfg->supplement_mode;
	s->st = xmalloc(sizeof(*s->st));
	if (load_seeder(w, s) != 0 || s->n_pr == 0 || s->n_ag == 0) {
		snprintf(err, errlen, "the demo catalogue is missing: run seed-demo first");
		goto out;
	}
	if (pick_times(s) != 0) {
		snprintf(err, errlen, "the calendar is not loaded");
		goto out;
	}
	int64_t t0 = util_mono_ns();
	writer_call(w, bulk_on, NULL, &e);
	while (s->done < s->wanted) {
		if (writer_call(w, chunk_run, s, &e) != 0) {
			snprintf(err, errlen, "dossier %ld: %s", s->done + 1, e.message);
			writer_call(w, bulk_off, NULL, &e);
			goto out;
		}
		if (s->done % report < SEED_CHUNK || s->done == s->wanted)
			log_msg(LOG_INFO, "seeded %ld of %ld dossiers (%.1f s)", s->done, s->wanted,
				(double)(util_mono_ns() - t0) / 1e9);
	}
	writer_call(w, bulk_off, NULL, &e);
	log_msg(LOG_INFO, "seeded %ld dossiers: %ld supplements; resolved early %ld, on time %ld, late %ld",
		s->stats[0], s->stats[1], s->stats[3], s->stats[4], s->stats[5]);
	rc = 0;
out:
	free(s->ag);
	free(s->pr);
	free(s->st);
	free(s->times);
	free(s);
	return rc;
}
