/*
 * motcua — cli_export: export to a file, verify a history export.
 */
#include "cli_export.h"

#include <errno.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "db_catalog.h"
#include "db_event.h"
#include "exporter.h"
#include "util.h"
#include "verify.h"
#include "writer.h"

static const char export_help[] =
	"usage: motcua export --db PATH --kind dossiers|events|report --format csv|xlsx|jsonl\n"
	"                     [--from DAY] [--to DAY] [--agency CODE] [--pii] --out FILE\n\n"
	"Write an auditor export, the same bytes as GET /api/v1/exports/…:\n"
	"  dossiers  the register (Form 06 columns and every field): csv, xlsx, jsonl\n"
	"  events    the hash-chained history, for `motcua audit verify`: jsonl\n"
	"  report    the periodic report (form 06/VPCP/KSTT) by agency: csv, xlsx\n"
	"--from and --to are local days (YYYY-MM-DD, both included) or ISO 8601 times\n"
	"(--to excluded); for events they may also be sequence numbers. Without them\n"
	"the export covers everything (the report: this year to today). --agency keeps\n"
	"that agency and the agencies below it. ID numbers, phones, e-mails and\n"
	"addresses are masked unless --pii. --out - writes CSV or JSON Lines to\n"
	"standard output.\n\n"
	"The export is recorded in the history (action \"export\", actor cli:USER)\n"
	"before it is written, as exports through the API are; that needs the\n"
	"database's write lock, so stop `motcua serve` first or use the API with a\n"
	"token (curl -H \"Authorization: Bearer $TOKEN\" …/api/v1/exports/…).\n";

static const char audit_help[] =
	"usage: motcua audit verify FILE [--head HASH]\n\n"
	"Check a history export (GET /api/v1/exports/events.jsonl, or motcua export\n"
	"--kind events) without the database: every row's SHA-256 is recomputed from\n"
	"its fields, each row must name the previous row's hash, seq must have no\n"
	"gaps, and the last line must state the range, count and last hash. With\n"
	"--head HASH (noted earlier from GET /api/v1/audit/head), some row must\n"
	"carry that hash. Prints the rows and the last hash when the file is\n"
	"intact (exit 0); otherwise the first line that fails, its seq and why\n"
	"(exit 1). The algorithm is in docs/audit.md.\n";

/* "12345" → 1 and the number; anything else 0. */
static int plain_number(const char *s, int64_t *v)
{
	char *end;
	if (!s || !*s)
		return 0;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (*end || errno || x < 1)
		return 0;
	*v = x;
	return 1;
}

/* Fill rq from the options. 0 ok, -1 printed. */
static int request_of(const struct cli_opts *o, struct export_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->now = util_now();
	rq->group = GROUP_AGENCY;
	rq->pii = o->pii;
	if (!o->kind || export_kind_parse(o->kind, &rq->kind) != 0) {
		fprintf(stderr, "motcua: --kind is dossiers, events or report\n");
		return -1;
	}
	if (!o->format || export_format_parse(o->format, &rq->format) != 0) {
		fprintf(stderr, "motcua: --format is csv, xlsx or jsonl\n");
		return -1;
	}
	if (!o->out) {
		fprintf(stderr, "motcua: give --out FILE (or --out - for standard output)\n");
		return -1;
	}
	if (rq->kind == EXPORT_EVENTS)
		rq->pii = 0;	/* the history holds no register data to mask */
	if (rq->kind == EXPORT_EVENTS && (plain_number(o->from, &rq->from_seq) || !o->from)
	    && (plain_number(o->to, &rq->to_seq) || !o->to)) {
		rq->from = EXPORT_FROM_ANY;
		rq->to = EXPORT_TO_ANY;
		return 0;
	}
	if (export_parse_bound(o->from, 0, &rq->from) != 0
	    || export_parse_bound(o->to, 1, &rq->to) != 0) {
		fprintf(stderr, "motcua: --from and --to are days (YYYY-MM-DD) or ISO 8601 times\n");
		return -1;
	}
	rq->by_time = rq->kind == EXPORT_EVENTS;
	return 0;
}

struct record {
	char actor[96];
	char *data;
	int64_t now;
	int64_t seq;
};

static int record_run(struct txn *t, void *arg, struct api_error *err)
{
	struct record *rec = arg;
	struct event_rec e = {
		.at = rec->now, .dossier_id = 0, .dossier_ref = "", .actor = rec->actor,
		.actor_role = "cli", .actor_agency = "", .action = "export", .from_state = 0,
		.to_state = 0, .step = -1, .clock = "", .due_at = 0, .note = "", .data = rec->data,
	};
	if (db_event_append(t, &e, err) != 0)
		return -1;
	rec->seq = t->seq;
	return 0;
}

static void actor_name(char *out, size_t n)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *user = pw && pw->pw_name ? pw->pw_name : getenv("USER");
	snprintf(out, n, "cli:%s", user && *user ? user : "unknown");
}

/* CSV / JSON Lines parts to a stream. 0 ok, -1 printed. */
static int write_parts(struct exporter *x, FILE *f, const char *name)
{
	struct buf b = BUF_INIT;
	int rc, more;
	do {
		more = exporter_next(x, &b);
		if (more < 0) {
			fprintf(stderr, "motcua: reading the database failed\n");
			break;
		}
		if (b.len && fwrite(b.data, 1, b.len, f) != b.len) {
			fprintf(stderr, "motcua: %s: %s\n", name, strerror(errno));
			more = -1;
			break;
		}
		buf_reset(&b);
	} while (more > 0);
	rc = more < 0 ? -1 : 0;
	buf_release(&b);
	return rc;
}

int cli_export(int argc, char **argv)
{
	struct cli_opts o;
	struct config cfg;
	struct cli_db c;
	struct export_request rq;
	struct agency_row *ag = xcalloc(1, sizeof(*ag));
	struct exporter *x = NULL;
	struct record rec;
	struct api_error e;
	FILE *f = NULL;
	int to_stdout, rc = 1;
	memset(&c, 0, sizeof(c));
	memset(&rec, 0, sizeof(rec));
	c.lock_fd = -1;
	if (cli_parse(argc, argv, 2, &o) != 0) {
		rc = 2;
		goto out;
	}
	if (o.help) {
		fputs(export_help, stdout);
		rc = 0;
		goto out;
	}
	if (!o.db && !o.config) {
		fprintf(stderr, "motcua: give --db PATH (or --config FILE); see --help\n");
		rc = 2;
		goto out;
	}
	if (cli_config(&o, &cfg) != 0 || cli_init(&cfg) != 0)
		goto out;
	if (request_of(&o, &rq) != 0) {
		rc = 2;
		goto out;
	}
	to_stdout = strcmp(o.out, "-") == 0;
	if (to_stdout && rq.format == EXPORT_XLSX) {
		fprintf(stderr, "motcua: an XLSX export needs a file (--out FILE.xlsx)\n");
		rc = 2;
		goto out;
	}
	if (cli_db_open(&cfg, &c) != 0)
		goto out;
	if (o.agency) {
		if (db_agency_by_code(c.db, o.agency, ag) != 1) {
			fprintf(stderr, "motcua: no agency has the code %s\n", o.agency);
			goto out;
		}
		rq.agency_id = ag->id;
		rq.agency_code = ag->code;
	}
	if (exporter_open(cfg.db_path, cfg.busy_timeout_ms, &rq, &x, &e) != 0) {
		fprintf(stderr, "motcua: %s\n", e.message);
		goto out;
	}
	actor_name(rec.actor, sizeof(rec.actor));
	rec.now = rq.now;
	rec.data = exporter_describe(x);
	if (writer_call(c.writer, record_run, &rec, &e) != 0) {
		fprintf(stderr, "motcua: cannot record the export: %s\n", e.message);
		goto out;
	}
	if (rq.format == EXPORT_XLSX) {
		if (exporter_xlsx(x, o.out, &e) != 0) {
			fprintf(stderr, "motcua: %s: %s\n", o.out, e.message);
			goto out;
		}
	} else {
		f = to_stdout ? stdout : fopen(o.out, "wb");
		if (!f) {
			fprintf(stderr, "motcua: %s: %s\n", o.out, strerror(errno));
			goto out;
		}
		if (write_parts(x, f, o.out) != 0)
			goto out;
		if (fflush(f) != 0) {
			fprintf(stderr, "motcua: %s: %s\n", o.out, strerror(errno));
			goto out;
		}
	}
	fprintf(stderr, "motcua: wrote %lld rows (%s) to %s; recorded in the history as seq %lld\n",
		(long long)exporter_rows(x), export_kind_name(rq.kind), o.out, (long long)rec.seq);
	rc = 0;
out:
	if (f && f != stdout && fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "motcua: %s: %s\n", o.out, strerror(errno));
		rc = 1;
	}
	exporter_free(x);
	free(rec.data);
	cli_db_close(&c);
	free(ag);
	return rc;
}

int cli_audit(int argc, char **argv)
{
	struct cli_opts o;
	struct verify_result res;
	FILE *f;
	if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs(audit_help, stdout);
		return 0;
	}
	if (argc < 3 || strcmp(argv[2], "verify") != 0) {
		fputs(audit_help, stderr);
		return 2;
	}
	if (cli_parse(argc, argv, 3, &o) != 0)
		return 2;
	if (o.help) {
		fputs(audit_help, stdout);
		return 0;
	}
	if (o.nargs != 1) {
		fprintf(stderr, "motcua: audit verify needs one FILE\n");
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "motcua: libsodium failed to start\n");
		return 1;
	}
	if (!(f = strcmp(o.args[0], "-") ? fopen(o.args[0], "rb") : stdin)) {
		fprintf(stderr, "motcua: %s: %s\n", o.args[0], strerror(errno));
		return 1;
	}
	int rc = verify_file(f, o.head, &res);
	if (f != stdin)
		fclose(f);
	if (rc != 0) {
		if (res.line > 0 && res.seq > 0)
			printf("%s: FAILED at line %ld (seq %lld): %s\n", o.args[0], res.line,
			       (long long)res.seq, res.reason);
		else if (res.line > 0)
			printf("%s: FAILED at line %ld: %s\n", o.args[0], res.line, res.reason);
		else
			printf("%s: FAILED: %s\n", o.args[0], res.reason);
		return 1;
	}
	printf("%s: OK: %lld rows, seq %lld to %lld, chain intact\n", o.args[0], (long long)res.rows,
	       (long long)res.first_seq, (long long)res.last_seq);
	if (res.rows)
		printf("last hash %s\n", res.last_hash);
	if (o.head)
		printf("head %s found at seq %lld: the history up to there is the one noted\n",
		       o.head, (long long)res.head_seq);
	if (res.rows && res.first_seq > 1)
		printf("note: the export starts at seq %lld; its first prev_hash is taken on trust"
		       " (compare it with the last hash of the export before)\n", (long long)res.first_seq);
	return 0;
}
