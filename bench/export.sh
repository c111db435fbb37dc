#!/bin/sh
# motcua — bench/export.sh: the dossier register of 1,000,000 dossiers as
# CSV, three ways in the same run, each the median of BENCH_RUNS runs:
#
#   cli      motcua export --kind dossiers --format csv (to a file)
#   http     GET /api/v1/exports/dossiers.csv with a bearer token (curl)
#   sqlite3  sqlite3 -csv running the same SELECT (taken from
#            server/db_export.c, so the two cannot drift) on the same file
#
# For each: wall-clock seconds, rows/s, CPU seconds (user + system) and
# peak RSS (/usr/bin/time -f %M; for http, the server process's peak over
# its whole life), then the ratio motcua rows/s ÷ sqlite3 rows/s. Targets
# (issue 6): ≥ 200,000 rows/s and RSS ≤ 64 MB. On a shared machine the
# wall clock includes waiting for a CPU; the CPU column does not.
#
# The database is bench/out/export-1m.db (BENCH_EXPORT_DB), seeded with
# `motcua seed-demo --dossiers 1000000` when missing (several minutes) and
# reused afterwards. Environment: MOTCUA_BIN (build/motcua), BENCH_RUNS (3),
# BENCH_EXPORT_DOSSIERS (1000000), BENCH_EXPORT_PORT (18090).
set -eu
cd "$(dirname "$0")/.."
BIN=${MOTCUA_BIN:-$(pwd)/build/motcua}
OUT=$(pwd)/bench/out
DB=${BENCH_EXPORT_DB:-$OUT/export-1m.db}
N=${BENCH_EXPORT_DOSSIERS:-1000000}
RUNS=${BENCH_RUNS:-3}
PORT=${BENCH_EXPORT_PORT:-18090}
WORK=$OUT/export-work
export MOTCUA_NO_ACCESS_LOG=1
mkdir -p "$OUT" "$WORK"

for tool in sqlite3 curl python3 /usr/bin/time; do
	command -v "$tool" > /dev/null 2>&1 || { echo "export.sh: $tool is missing" >&2; exit 2; }
done
[ -x "$BIN" ] || { echo "export.sh: no binary at $BIN (make binary)" >&2; exit 2; }

if [ ! -f "$DB" ]; then
	echo "export: seeding $N dossiers into $DB (once; reused by later runs)..." >&2
	"$BIN" seed-demo --db "$DB" --config bench/bench.ini --dossiers "$N" > /dev/null 2> "$WORK/seed.log"
fi
# A database seeded by an older binary is brought up to date first, so
# the first measured run does not also build the new migrations' indexes.
"$BIN" migrate --db "$DB" --config bench/bench.ini > /dev/null

# The register's SELECT exactly as db_export.c prepares it: its string
# literals and the SCOPE_* macros they use, concatenated. (motcua then
# looks up agency, procedure and account names by id in memory.)
SQL=$(python3 - server/db_export.c <<'EOF'
import re, sys
src = open(sys.argv[1]).read()
def literals(text):
    return ''.join(bytes(m.group(1), 'utf-8').decode('unicode_escape')
                   for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', text))
macros = {m.group(1): literals(m.group(2))
          for m in re.finditer(r'#define (SCOPE_\w+)((?:[^\n]*\\\n)*[^\n]*\n)', src)}
body = src[src.index('struct db_export_cur *db_export_dossier_open('):]
start = body.index('c->st = db_sql(db,') + len('c->st = db_sql(db,')
call = body[start:body.index(');', start)]
sql = ''
for tok in re.finditer(r'"((?:[^"\\]|\\.)*)"|(SCOPE_\w+)', call):
    sql += macros[tok.group(2)] if tok.group(2) else literals(tok.group(0))
if 'FROM dossier d' not in sql or '?3' not in sql:
    sys.exit('export.sh: could not read the query from db_export.c')
print(sql + ';')
EOF
)
ROWS=$(sqlite3 "$DB" "SELECT count(*) FROM dossier WHERE received_at IS NOT NULL")

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# /usr/bin/time output "wall user sys maxrss_kib" → fields
field() { awk -v f="$1" '{ print $f }' "$2"; }

run_sqlite() {
	{
		printf '.parameter init\n.parameter set ?1 -9223372036854775808\n'
		printf '.parameter set ?2 9223372036854775807\n.parameter set ?3 0\n'
		printf '%s\n' "$SQL"
	} > "$WORK/query.sql"
	/usr/bin/time -f '%e %U %S %M' -o "$1" sqlite3 -csv "$DB" < "$WORK/query.sql" > "$WORK/sqlite3.csv"
}

run_cli() {
	/usr/bin/time -f '%e %U %S %M' -o "$1" \
		"$BIN" export --db "$DB" --kind dossiers --format csv --out "$WORK/cli.csv" 2> "$WORK/cli.log"
}

# ---- sqlite3 and the CLI (the CLI needs the database's lock: no server yet)
for i in $(seq 1 "$RUNS"); do
	run_sqlite "$WORK/sqlite3.$i"
	run_cli "$WORK/cli.$i"
done
# Same rows: the CLI file has a BOM and a header line more, nothing else
# to compare cheaply; the counts must agree.
grep -q "wrote $ROWS rows" "$WORK/cli.log" || { echo "export.sh: the CLI did not export $ROWS rows:" >&2; cat "$WORK/cli.log" >&2; exit 1; }

# ---- HTTP, with a token, against a server on the same file -------------------
TOKEN=$("$BIN" token create --db "$DB" --username auditor --label bench 2> /dev/null)
/usr/bin/time -f '%e %U %S %M' -o "$WORK/serve.time" \
	"$BIN" serve --config bench/bench.ini --db "$DB" --port "$PORT" > "$WORK/serve.log" 2>&1 &
TIMER_PID=$!
stop() { kill "$(cat "$WORK/serve.pid" 2> /dev/null || echo 0)" 2> /dev/null || true; wait "$TIMER_PID" 2> /dev/null || true; }
trap stop EXIT
for _ in $(seq 1 300); do
	curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break
	sleep 0.1
done
SERVE_PID=$(pgrep -P "$TIMER_PID" || true)
echo "$SERVE_PID" > "$WORK/serve.pid"
[ -n "$SERVE_PID" ] || { echo "export.sh: the server did not start; see $WORK/serve.log" >&2; exit 1; }
HZ=$(getconf CLK_TCK)
cpu_of() { awk -v hz="$HZ" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
rss_start=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVE_PID/status")
for i in $(seq 1 "$RUNS"); do
	c0=$(cpu_of "$SERVE_PID")
	/usr/bin/time -f '%e %U %S %M' -o "$WORK/http.$i" \
		curl -fsS -H "Authorization: Bearer $TOKEN" -o "$WORK/http.csv" \
		-D "$WORK/http.headers" "http://127.0.0.1:$PORT/api/v1/exports/dossiers.csv"
	c1=$(cpu_of "$SERVE_PID")
	# CPU of the server for this export (curl's own is not motcua's work)
	echo "$c0 $c1" | awk '{ printf "%.2f\n", $2 - $1 }' > "$WORK/http.cpu.$i"
done
grep -qi "^x-total-rows: $ROWS" "$WORK/http.headers" || { echo "export.sh: the HTTP export did not announce $ROWS rows" >&2; exit 1; }
cmp -s "$WORK/http.csv" "$WORK/cli.csv" || { echo "export.sh: the HTTP and CLI exports differ" >&2; exit 1; }
stop
trap - EXIT
rss_http=$(awk '{ print $4 }' "$WORK/serve.time")
size=$(du -h "$WORK/cli.csv" | cut -f1)
rm -f "$WORK/cli.csv" "$WORK/http.csv" "$WORK/sqlite3.csv"	# 3 × ~600 MB

# ---- report ---------------------------------------------------------------------
wall() { for i in $(seq 1 "$RUNS"); do field 1 "$WORK/$1.$i"; done | median; }
cpu() { for i in $(seq 1 "$RUNS"); do awk '{ print $2 + $3 }' "$WORK/$1.$i"; done | median; }
rss() { for i in $(seq 1 "$RUNS"); do field 4 "$WORK/$1.$i"; done | sort -n | tail -1; }
rate() { awk -v r="$ROWS" -v s="$1" 'BEGIN { printf "%d", (s > 0 ? r / s : 0) }'; }

w_sql=$(wall sqlite3); w_cli=$(wall cli); w_http=$(wall http)
c_sql=$(cpu sqlite3); c_cli=$(cpu cli)
c_http=$(for i in $(seq 1 "$RUNS"); do cat "$WORK/http.cpu.$i"; done | median)
r_sql=$(rate "$w_sql"); r_cli=$(rate "$w_cli"); r_http=$(rate "$w_http")
printf 'export: %s dossiers as CSV (%s), median of %s runs; load average %s\n' \
	"$ROWS" "$size" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '  %-28s %7s s %9s rows/s  cpu %6s s  (%8s rows/cpu-s)  peak RSS %6s MB\n' \
	"motcua export (CLI)" "$w_cli" "$r_cli" "$c_cli" "$(rate "$c_cli")" "$(( $(rss cli) / 1024 ))" \
	"GET dossiers.csv (HTTP)" "$w_http" "$r_http" "$c_http" "$(rate "$c_http")" \
	"$(( rss_http / 1024 )) (server; $(( rss_start / 1024 )) at start)" \
	"sqlite3 -csv, same query" "$w_sql" "$r_sql" "$c_sql" "$(rate "$c_sql")" "$(( $(rss sqlite3) / 1024 ))"
awk -v a="$r_cli" -v b="$r_http" -v c="$r_sql" -v x="$c_cli" -v y="$c_http" -v z="$c_sql" 'BEGIN {
	printf "  ratio to sqlite3 -csv: CLI %.2fx, HTTP %.2fx (wall); CLI %.2fx, HTTP %.2fx (cpu)\n",
		a / c, b / c, z / x, z / y }'
