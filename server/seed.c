/*
 * motcua — seed: the demo province from the embedded reference data.
 */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "auth.h"
#include "bulk.h"
#include "capture.h"
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
#include "db_stats.h"
#include "stats.h"
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
	int64_t next_id;	/* the next captured dossier's id */
	struct portal_item *portal;	/* recent portal dossiers, received last */
	size_t n_portal, cap_portal;
	struct later_feedback *later;	/* feedback to write after the batches */
	size_t n_later, cap_later;
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

/* ---- what happens after: ratings and feedback ---------------------------- */

/* Decided while the dossier is simulated, done once its row exists (at
 * once when writing directly, after the batch is stored when capturing). */
struct rate_plan {
	int on;
	int64_t at;
	int time_score, trips, attitude_score, result_score, unofficial_payment;
	const char *comment;
};

struct feedback_plan {
	int on;
	int64_t at, answer_at;		/* answer_at 0: not answered yet */
	const char *kind;
	int answer_public;
	struct seed_agency *holder;
};

/* Feedback is written directly (it numbers itself in the database):
 * while capturing, after the batches. */
struct later_feedback {
	char code[32], phone[32];
	struct feedback_plan fb;
};

/* After the result is returned, some citizens rate the service. */
static void plan_rate(struct seeder *s, int64_t returned, struct rate_plan *r)
{
	memset(r, 0, sizeof(*r));
	r->at = returned + between_l(&s->rng, 300, 3 * 86400);
	if (unit(&s->rng) > 0.2 || r->at >= s->now)
		return;
	r->on = 1;
	/* Most are content; a few are not, and very few report being asked
	 * for money. */
	int unhappy = unit(&s->rng) < 0.04;
	r->time_score = unhappy ? 2 : 4 + (int)between_l(&s->rng, 0, 1);
	r->trips = 1 + (unit(&s->rng) < 0.15);
	r->attitude_score = unhappy ? 2 + (int)between_l(&s->rng, 0, 1) : 4 + (int)between_l(&s->rng, 0, 1);
	r->result_score = 4 + (int)between_l(&s->rng, 0, 1);
	r->unofficial_payment = unit(&s->rng) < 0.003;
	r->comment = unhappy ? "Phải chờ lâu" : "";
}

/* A little feedback about dossiers, most answered within the deadline. */
static void plan_feedback(struct seeder *s, struct seed_agency *holder, struct feedback_plan *f)
{
	const struct dossier_row *d = &s->st->d;
	memset(f, 0, sizeof(*f));
	f->at = d->received_at + between_l(&s->rng, 3600, 5 * 86400);
	if (unit(&s->rng) > 0.01 || f->at >= s->now || !d->code[0])
		return;
	f->on = 1;
	f->holder = holder;
	f->kind = unit(&s->rng) < 0.6 ? "suggestion" : "complaint";
	int64_t answer = f->at + between_l(&s->rng, 3600, 18 * 86400);
	if (answer >= s->now)
		return;
	f->answer_at = answer;
	f->answer_public = unit(&s->rng) < 0.5;
}

/* A link handed over and used: the row in memory is the dossier's final
 * one (captured or not yet read back). */
static int do_rate(struct txn *t, const struct rate_plan *r, const struct dossier_row *d,
		   struct api_error *err)
{
	struct rating_in ri;
	struct rating_row *rr = xmalloc(sizeof(*rr));
	char token[AUTH_TOKEN_LEN + 1];
	int rc = -1;
	if (rating_issue_token(t, d->id, "seed", r->at, token, err) != 0)
		goto out;
	memset(&ri, 0, sizeof(ri));
	ri.token = token;
	ri.time_score = r->time_score;
	ri.trips = r->trips;
	ri.attitude_score = r->attitude_score;
	ri.result_score = r->result_score;
	ri.unofficial_payment = r->unofficial_payment;
	ri.comment = r->comment;
	ri.at = r->at;
	rc = rating_record(t, d, &ri, rr, err);
out:
	free(rr);
	return rc;
}

static int do_feedback(struct txn *t, const struct feedback_plan *f, const char *code,
		       const char *phone, struct api_error *err)
{
	struct feedback_in fi;
	struct feedback_row fr;
	struct feedback_action_in fa;
	memset(&fi, 0, sizeof(fi));
	fi.dossier_code = code;
	fi.check = phone + strlen(phone) - 4;
	fi.kind = f->kind;
	fi.subject = "Về tiến độ giải quyết hồ sơ";
	fi.content = "Đề nghị cơ quan cho biết tiến độ giải quyết và thời gian trả kết quả.";
	fi.at = f->at;
	if (feedback_create(t, &fi, &fr, err) != 0)
		return -1;
	if (!f->answer_at)
		return 0;
	memset(&fa, 0, sizeof(fa));
	fa.action = FB_ANSWER;
	fa.answer = "Hồ sơ đang được giải quyết đúng quy định; kết quả sẽ được trả theo giấy hẹn.";
	fa.answer_public = f->answer_public;
	return feedback_apply(t, fr.code, &fa, &f->holder->manager, f->answer_at, &fr, err);
}

static int after_return(struct seeder *s, struct txn *t, struct seed_agency *rcv,
			struct api_error *err)
{
	struct rate_plan r;
	struct feedback_plan f;
	const struct dossier_row *d = &s->st->d;
	plan_rate(s, s->returned, &r);
	plan_feedback(s, rcv, &f);
	if (r.on && do_rate(t, &r, d, err) != 0)
		return -1;
	if (!f.on)
		return 0;
	if (!t->cap)
		return do_feedback(t, &f, d->code, d->applicant_phone, err);
	s->later = xgrow(s->later, &s->cap_later, s->n_later + 1, sizeof(*s->later));
	struct later_feedback *x = &s->later[s->n_later++];
	strlcpy_(x->code, d->code, sizeof(x->code));
	strlcpy_(x->phone, d->applicant_phone, sizeof(x->phone));
	x->fb = f;
	return 0;
}

/* ---- one dossier -------------------------------------------------------- */

/* What a dossier is, decided before it is received. */
struct choice {
	const struct seed_proc *p;
	struct seed_agency *rcv;
	int64_t t0;
	const char *channel;
	char name[96], idn[48], phone[48];
};

/* A dossier that came through the citizen portal: drafts, attachments and
 * acceptance are written directly, after the captured batches; only the
 * last PORTAL_DAYS of them (the ones the portal demo shows), the older
 * online ones were taken from the national portal by the clerk. */
#define PORTAL_DAYS 60

struct portal_item {
	struct choice c;
	uint64_t rng;
};

static int choose(struct seeder *s, int64_t t0, struct choice *c)
{
	int32_t day = date_day_of(tz_local(t0));
	memset(c, 0, sizeof(*c));
	c->p = pick_proc(s);
	c->t0 = t0;
	if (!(c->rcv = pick_receiver(s, c->p, day)))
		return 0;
	/* Online intake grows from a quarter to nearly half over the period. */
	double online = 0.25 + 0.2 * (double)(day - s->first_day) / 730.0;
	double u = unit(&s->rng);
	snprintf(c->name, sizeof(c->name), "%s %s %s", PICK(family), PICK(middle), PICK(given));
	snprintf(c->idn, sizeof(c->idn), "0%02ld%09ld", between_l(&s->rng, 1, 96), between_l(&s->rng, 0, 999999999));
	snprintf(c->phone, sizeof(c->phone), "09%08ld", between_l(&s->rng, 0, 99999999));
	c->channel = u < online && c->p->online ? "online" : u > 1 - 0.03 ? "postal" : "direct";
	return 1;
}

/* Received, then its actions with the row kept in memory, then the row
 * written once; the rating and feedback follow. */
static int live(struct seeder *s, struct txn *t, const struct calendar *cal, const struct choice *c,
		struct api_error *err)
{
	struct intake in;
	int uncovered, rc;
	memset(&in, 0, sizeof(in));
	in.procedure_code = c->p->code;
	in.channel = c->channel;
	in.name = c->name;
	in.id_number = c->idn;
	in.phone = c->phone;
	in.address = "Thanh Hóa";
	in.docs[0].name = "Tờ khai theo mẫu";
	in.docs[0].kind = "original";
	in.docs[0].count = 1;
	in.docs[1].name = "Giấy tờ chứng minh";
	in.docs[1].kind = "certified_copy";
	in.docs[1].count = 1;
	in.n_docs = 2;
	in.actor = &c->rcv->clerk;
	in.at = c->t0;
	/* One-stops with a clerk account take recent online dossiers through
	 * the portal's path; elsewhere the clerk records them (as when they
	 * come from the national portal). */
	if (!strcmp(c->channel, "online") && c->rcv->clerk.account_id
	    && c->t0 >= s->now - PORTAL_DAYS * 86400) {
		if (t->cap) {
			s->portal = xgrow(s->portal, &s->cap_portal, s->n_portal + 1, sizeof(*s->portal));
			s->portal[s->n_portal].c = *c;
			s->portal[s->n_portal++].rng = rnd(&s->rng);
			return 0;
		}
		if (receive_online(s, t, &in, c->rcv, err) != 0)
			return -1;
	} else if (dossier_receive(t, &in, s->st, &uncovered, err) != 0) {
		return -1;
	}
	s->stats[0]++;
	s->returned = 0;
	s->st->deferred = 1;
	rc = life_actions(s, t, cal, c->p, c->rcv, c->t0, err);
	s->st->deferred = 0;
	if (rc != 0 || lifecycle_flush(t, s->st, err) != 0)
		return -1;
	return s->returned ? after_return(s, t, c->rcv, err) : 0;
}

static int life(struct seeder *s, struct txn *t, const struct calendar *cal, struct api_error *err)
{
	struct choice c;
	if (!choose(s, s->times[s->done], &c))
		return 0;
	return live(s, t, cal, &c, err);
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

/* ---- batches: simulated on this thread, stored by the writer's ----------- */

/* Dossiers per batch (and per transaction): big enough that a day's
 * statistics merge into few rows and a commit's cost spreads thin, small
 * enough that two batches in memory stay modest (a captured dossier is
 * about 6 KiB). */
#define SEED_BATCH 20000

/* MOTCUA_SEED_BATCH overrides it, so the tests run many batches on a few
 * thousand dossiers. */
static long batch_size(void)
{
	const char *v = getenv("MOTCUA_SEED_BATCH");
	long n = v ? strtol(v, NULL, 10) : 0;
	return n > 0 ? n : SEED_BATCH;
}

struct seed_batch {
	struct capture *cap;
	struct bulk_batch b;
	struct stat_row *rows;
	struct writer_job job;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pending;			/* submitted, not finished */
};

/* Writer thread. */
static int store_run(struct txn *t, void *arg, struct api_error *err)
{
	struct seed_batch *b = arg;
	return bulk_store(t, &b->b, err);
}

static void store_done(struct writer_job *job)
{
	struct seed_batch *b = job->owner;
	pthread_mutex_lock(&b->lock);
	b->pending = 0;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

static void batch_init(struct seed_batch *b, struct capture_codes *codes)
{
	memset(b, 0, sizeof(*b));
	b->cap = capture_new(codes);
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cond, NULL);
}

/* Wait until the writer has finished the batch; its result. */
static int batch_wait(struct seed_batch *b, struct api_error *err)
{
	pthread_mutex_lock(&b->lock);
	while (b->pending)
		pthread_cond_wait(&b->cond, &b->lock);
	pthread_mutex_unlock(&b->lock);
	if (b->job.rc != 0)
		*err = b->job.err;
	return b->job.rc;
}

static void batch_release(struct seed_batch *b)
{
	struct api_error e;
	batch_wait(b, &e);
	capture_free(b->cap);
	free(b->rows);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
}

/* This thread: run the next dossiers against the capture, then hand the
 * batch over. */
static int simulate(struct seeder *s, struct txn *t, struct stat_merge *sm, struct seed_batch *b,
		    struct api_error *err)
{
	struct calendar *cal = calendar_get();
	long size = batch_size();
	long stop = s->done + size < s->wanted ? s->done + size : s->wanted;
	int rc = 0;
	if (!cal)
		return api_error_set(err, 500, "no_calendar", NULL, "The calendar is not loaded.");
	capture_clear(b->cap, s->next_id);
	t->cap = b->cap;
	for (; s->done < stop && rc == 0; s->done++)
		rc = life(s, t, cal, err);
	calendar_put(cal);
	t->cap = NULL;
	s->next_id += (int64_t)capture_n_dossiers(b->cap);
	if (rc != 0)
		return -1;
	capture_take_codes(b->cap);
	/* Statistics rows are handed over once final: no later dossier is
	 * received (nor changes) before the next batch's first receipt. */
	stats_merge_add(sm, t->stats);
	stats_acc_states(t->stats, b->b.states);
	stats_acc_clear(t->stats);
	free(b->rows);
	int32_t before = s->done < s->wanted ? date_day_of(tz_local(s->times[s->done]))
			 : date_day_of(tz_local(s->now)) + 3660;
	b->b.n_stats = stats_merge_take(sm, before, &b->rows);
	b->b.stats = b->rows;
	b->b.cap = b->cap;
	return 0;
}

static void batch_submit(struct writer *w, struct seed_batch *b)
{
	memset(&b->job, 0, sizeof(b->job));
	b->job.fn = store_run;
	b->job.arg = b;
	b->job.done = store_done;
	b->job.owner = b;
	b->pending = 1;
	writer_submit(w, &b->job);
}

/* Two batches take turns: while the writer stores one, this thread
 * simulates the next. */
static int run_batches(struct writer *w, struct seeder *s, struct db *rdb, struct api_error *err)
{
	struct capture_codes *codes = capture_codes_new();
	struct stat_merge *sm = stats_merge_new();
	struct seed_batch batch[2];
	struct txn t;
	int cur = 0, rc = 0;
	long report = s->wanted / 10 > 0 ? s->wanted / 10 : s->wanted;
	int64_t t0 = util_mono_ns();
	memset(&t, 0, sizeof(t));
	t.db = rdb;
	t.stats = stats_acc_new();
	/* This thread chains the history; the writer checks each row follows. */
	writer_head(w, &t.seq, t.hash);
	if ((s->next_id = db_dossier_max_id(rdb) + 1) <= 0)
		rc = api_error_set(err, 500, "database_error", NULL, "Cannot read the dossiers.");
	batch_init(&batch[0], codes);
	batch_init(&batch[1], codes);
	while (rc == 0 && s->done < s->wanted) {
		long before = s->done;
		if (simulate(s, &t, sm, &batch[cur], err) != 0 || batch_wait(&batch[cur ^ 1], err) != 0) {
			rc = -1;
			break;
		}
		batch_submit(w, &batch[cur]);
		cur ^= 1;
		if (s->done / report != before / report || s->done == s->wanted)
			log_msg(LOG_INFO, "seeded %ld of %ld dossiers (%.1f s)", s->done, s->wanted,
				(double)(util_mono_ns() - t0) / 1e9);
	}
	if (batch_wait(&batch[cur ^ 1], err) != 0)
		rc = -1;
	batch_release(&batch[0]);
	batch_release(&batch[1]);
	stats_acc_free(t.stats);
	stats_merge_free(sm);
	capture_codes_free(codes);
	return rc;
}

/* The deferred feedback, then the recent portal dossiers, written
 * directly, a few thousand a job. */
static int feedback_run(struct txn *t, void *arg, struct api_error *err)
{
	struct seeder *s = arg;
	int rc = 0;
	for (size_t n = 0; s->done < (long)s->n_later && n < 20000 && rc == 0; n++, s->done++) {
		const struct later_feedback *x = &s->later[s->done];
		rc = do_feedback(t, &x->fb, x->code, x->phone, err);
	}
	return rc;
}

static int portal_run(struct txn *t, void *arg, struct api_error *err)
{
	struct seeder *s = arg;
	struct calendar *cal = calendar_get();
	int rc = 0;
	if (!cal)
		return api_error_set(err, 500, "no_calendar", NULL, "The calendar is not loaded.");
	for (size_t n = 0; s->done < (long)s->n_portal && n < 5000 && rc == 0; n++, s->done++) {
		s->rng.s = s->portal[s->done].rng;
		rc = live(s, t, cal, &s->portal[s->done].c, err);
	}
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

/* Simulate on this thread while the writer's stores (started here if it
 * was not running), then the portal dossiers. */
static int seed_all(struct writer *w, struct seeder *s, struct api_error *err)
{
	struct db_options opt = { .path = s->cfg->db_path, .busy_timeout_ms = s->cfg->busy_timeout_ms };
	struct db *rdb = NULL;
	struct api_error e;
	char msg[256];
	int started = 0, rc = -1;
	if (db_open(&opt, 0, &rdb, msg, sizeof(msg)) != 0)
		return api_error_set(err, 500, "database_error", NULL, "%s", msg);
	if (!writer_running(w)) {
		if (writer_start(w) != 0) {
			api_error_set(err, 500, "internal_error", NULL, "Cannot start the writer thread.");
			goto out;
		}
		started = 1;
	}
	writer_call(w, bulk_on, NULL, &e);
	rc = run_batches(w, s, rdb, err);
	for (s->done = 0; rc == 0 && s->done < (long)s->n_later;)
		rc = writer_call(w, feedback_run, s, err);
	for (s->done = 0; rc == 0 && s->done < (long)s->n_portal;)
		rc = writer_call(w, portal_run, s, err);
	writer_call(w, bulk_off, NULL, &e);
out:
	if (started)
		writer_stop(w);
	db_close(rdb);
	return rc;
}

int seed_dossiers(struct writer *w, const struct config *cfg, int64_t now, long n,
		  uint64_t seed, char *err, size_t errlen)
{
	struct seeder *s = xcalloc(1, sizeof(*s));
	struct api_error e;
	int rc = -1;
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
	if (seed_all(w, s, &e) != 0) {
		snprintf(err, errlen, "seeding stopped (nothing of the failed batch was kept): %s", e.message);
		goto out;
	}
	log_msg(LOG_INFO, "seeded %ld dossiers (%zu through the portal): %ld supplements;"
		" resolved early %ld, on time %ld, late %ld", s->stats[0], s->n_portal, s->stats[1],
		s->stats[3], s->stats[4], s->stats[5]);
	rc = 0;
out:
	free(s->ag);
	free(s->pr);
	free(s->st);
	free(s->times);
	free(s->portal);
	free(s->later);
	free(s);
	return rc;
}
