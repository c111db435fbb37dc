#!/bin/sh
# motcua — `make bench`: seed databases and measure, printing medians.
#
#   intake     durable dossier intake, 64 clients (wrk + bench/intake.lua),
#              with group commit and, in the same run, with one commit per
#              request (batch_max = 1) for comparison; each run starts from
#              a copy of the same database of BENCH_BASE_DOSSIERS (100,000),
#              so no agency runs out of its 9,999 numbers of the day
#   get        GET a dossier by code, 64 clients, on that database
#   list       GET a list page of 50 (all dossiers; one agency's; its
#              worklist most urgent first), 64 clients
#   seed       seed-demo of BENCH_SEED_DOSSIERS synthetic dossiers (1M)
#   reports    on a database of BENCH_BIG_DOSSIERS (10M): the summary report
#              for all agencies over a quarter and a year, and one agency's
#              overdue list page, p50 of single-client requests
#   export     bench/export.sh (CSV export vs sqlite3 -csv)
#   http       bench/http.sh: 10,000 held connections (RSS, readers' p99),
#              1,000 slowloris sockets (how long they live, readers' p99),
#              the storm of 100,000 malformed requests (no 5xx, no leak)
#
# Environment: BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_ONLY (space-separated
# parts), BENCH_BASE_DOSSIERS (100000), BENCH_SEED_DOSSIERS (1000000),
# BENCH_BIG_DOSSIERS (10000000).
# Databases go to bench/out/ and the big one is reused between runs.
set -eu
cd "$(dirname "$0")/.."
BIN=$(pwd)/build/motcua
OUT=$(pwd)/bench/out
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECONDS:-10}
ONLY=${BENCH_ONLY:-"intake get list seed reports export http"}
BASE_N=${BENCH_BASE_DOSSIERS:-100000}
SEED_N=${BENCH_SEED_DOSSIERS:-1000000}
BIG_N=${BENCH_BIG_DOSSIERS:-10000000}
PORT=${BENCH_PORT:-18080}
export MOTCUA_NO_ACCESS_LOG=1
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: > "$RESULTS"

want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }

SERVER_PID=
start_server() { # db config
	"$BIN" serve --config "$2" --db "$1" --port "$PORT" > "$OUT/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		if curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	echo "bench: the server did not start; see $OUT/serve.log" >&2
	exit 1
}
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2> /dev/null || true
	wait "$SERVER_PID" 2> /dev/null || true
	SERVER_PID=
}
trap stop_server EXIT

# wrk's "Requests/sec" of one run. Socket errors and answers that are not
# 2xx are counted into $ERRORS (reported at the end); wrk's stderr goes to
# the log.
ERRORS="$OUT/errors.txt"
: > "$ERRORS"
wrk_rate() { # threads conns script url
	wrk -t"$1" -c"$2" -d"${SECS}s" -s "$3" "$4" 2>> "$OUT/wrk.err" \
		| awk -v what="$3 $4 ${BENCH_PATH:-}" -v errors="$ERRORS" '
			/Requests\/sec/ { rate = int($2) }
			/Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
			/Non-2xx/ { err += $5 }
			END { print rate; if (err) printf "%s: %d failed requests\n", what, err >> errors }'
}
# wrk's median latency (milliseconds) of a single-client run.
wrk_p50_ms() { # script url
	wrk -t1 -c1 -d"${SECS}s" --latency -s "$1" "$2" 2>> "$OUT/wrk.err" \
		| awk -v what="$1 $2 ${BENCH_PATH:-}" -v errors="$ERRORS" '
			$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
				else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
				printf "%.2f\n", v }
			/Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
			/Non-2xx/ { err += $5 }
			END { if (err) printf "%s: %d failed requests\n", what, err >> errors }'
}

# An account and a bearer token. Prints the token.
account() { # db username role agency
	printf 'bench-password-1\n' | "$BIN" user add --db "$1" --config bench/bench.ini \
		--username "$2" --role "$3" --agency "$4" > /dev/null
	"$BIN" token create --db "$1" --config bench/bench.ini --username "$2"
}

# ---- intake, get, list ------------------------------------------------------
if want intake || want get || want list; then
	BASE="$OUT/intake-base.db"
	DB="$OUT/intake.db"
	rm -f "$BASE" "$BASE-wal" "$BASE-shm"
	"$BIN" seed-demo --db "$BASE" --config bench/bench.ini > /dev/null
	"$BIN" seed-demo --db "$BASE" --config bench/bench.ini --dossiers "$BASE_N" > /dev/null
	# One clerk per agency that receives dossiers today: commune clerks for
	# a commune procedure, department/province clerks for a provincial one.
	: > "$OUT/clerks.txt"
	today=$(date +%F)
	sqlite3 "$BASE" "SELECT code, level FROM agency WHERE level IN ('province','department','commune')
		AND (valid_to IS NULL OR valid_to >= '$today') AND (valid_from IS NULL OR valid_from <= '$today')" |
	while IFS='|' read -r code level; do
		token=$(account "$BASE" "bench.$code" clerk "$code")
		[ "$level" = commune ] || level=province
		printf '%s %s\n' "$token" "$level" >> "$OUT/clerks.txt"
	done
	AUDITOR=$(account "$BASE" bench.auditor auditor 000.00.00.H56)
	CLERK=$(awk 'NR == 1 { print $1 }' "$OUT/clerks.txt")
	sqlite3 "$BASE" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	# A copy of the base for one run (nothing has the base open).
	fresh_db() {
		rm -f "$DB" "$DB-wal" "$DB-shm"
		cp "$BASE" "$DB"
	}
	metric() { # name
		curl -fs "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m { print $2 }'
	}
	say "intake: $(sqlite3 "$BASE" "SELECT count(*) FROM dossier") dossiers to start from," \
		"$(wc -l < "$OUT/clerks.txt") receiving agencies, 64 clients, ${SECS}s runs, median of $RUNS"
	export BENCH_CLERKS="$OUT/clerks.txt"
	if want intake; then
		printf '[database]\nbatch_max = 1\n' | cat bench/bench.ini - > "$OUT/nobatch.ini"
		single=$(for _ in $(seq "$RUNS"); do
			fresh_db
			start_server "$DB" "$OUT/nobatch.ini"
			wrk_rate 2 64 bench/intake.lua "http://127.0.0.1:$PORT"
			stop_server
		done | median)
		rm -f "$OUT/commits.txt"
		group=$(for _ in $(seq "$RUNS"); do
			fresh_db
			start_server "$DB" bench/bench.ini
			wrk_rate 2 64 bench/intake.lua "http://127.0.0.1:$PORT"
			printf '%s %s\n' "$(metric motcua_writer_jobs_total)" \
				"$(metric motcua_commit_batch_size_count)" >> "$OUT/commits.txt"
			stop_server
		done | median)
		jobs=$(awk '{ n += $1 } END { print n }' "$OUT/commits.txt")
		batches=$(awk '{ n += $2 } END { print n }' "$OUT/commits.txt")
		rm -f "$OUT/commits.txt"
		say "  durable intake, one commit per request: $single dossiers/s"
		say "  durable intake, group commit:           $group dossiers/s ($jobs writes in $batches commits)"
	fi
	fresh_db
	# Reads are measured in a steady state: the intake runs' data written
	# back first, and the server's caches warmed by 3 s of the same load.
	sync
	start_server "$DB" bench/bench.ini
	if want get; then
		sqlite3 "$DB" "SELECT code FROM dossier WHERE code IS NOT NULL ORDER BY random() LIMIT 50000" > "$OUT/codes.txt"
		BENCH_CODES="$OUT/codes.txt" BENCH_TOKEN="$AUDITOR" wrk -t2 -c64 -d3s -s bench/get.lua \
			"http://127.0.0.1:$PORT" > /dev/null 2>&1
		rate=$(for _ in $(seq "$RUNS"); do
			BENCH_CODES="$OUT/codes.txt" BENCH_TOKEN="$AUDITOR" wrk_rate 2 64 bench/get.lua "http://127.0.0.1:$PORT"
		done | median)
		say "  GET /api/v1/dossiers/{code}:            $rate requests/s"
	fi
	if want list; then
		for spec in "all dossiers (auditor):$AUDITOR:/api/v1/dossiers?limit=50" \
			    "one agency's (clerk):$CLERK:/api/v1/dossiers?limit=50" \
			    "its worklist by due (clerk):$CLERK:/api/v1/dossiers?limit=50&queue=true&sort=due"; do
			name=${spec%%:*}
			rest=${spec#*:}
			token=${rest%%:*}
			path=${rest#*:}
			rate=$(for _ in $(seq "$RUNS"); do
				BENCH_PATH="$path" BENCH_TOKEN="$token" wrk_rate 2 64 bench/path.lua "http://127.0.0.1:$PORT"
			done | median)
			say "  GET a list page of 50, $name: $rate requests/s"
		done
	fi
	stop_server
fi

# ---- seeding ---------------------------------------------------------------
if want seed; then
	DB="$OUT/seed.db"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$BIN" seed-demo --db "$DB" --config bench/bench.ini > /dev/null
	start=$(date +%s.%N)
	"$BIN" seed-demo --db "$DB" --config bench/bench.ini --dossiers "$SEED_N" > /dev/null 2> "$OUT/seed.log"
	end=$(date +%s.%N)
	secs=$(echo "$end - $start" | bc)
	say "seed-demo --dossiers $SEED_N: $secs s ($(echo "$SEED_N / $secs" | bc) dossiers/s), through the lifecycle"
	if "$BIN" stats verify --db "$DB" > "$OUT/verify.log"; then
		say "  stats verify: $(tail -1 "$OUT/verify.log" | sed 's/.*; //')"
	else
		say "  stats verify FAILED: see $OUT/verify.log"
	fi
fi

# ---- reports on ten million dossiers -------------------------------------------
if want reports; then
	DB="$OUT/big.db"
	have=0
	[ -f "$DB" ] && have=$(sqlite3 "$DB" "SELECT count(*) FROM dossier" 2> /dev/null || echo 0)
	if [ "$have" -lt "$BIG_N" ]; then
		rm -f "$DB" "$DB-wal" "$DB-shm"
		say "reports: seeding $BIG_N dossiers into $DB (reused by later runs)..."
		"$BIN" seed-demo --db "$DB" --config bench/bench.ini > /dev/null
		"$BIN" seed-demo --db "$DB" --config bench/bench.ini --dossiers "$BIG_N" > /dev/null 2> "$OUT/big-seed.log"
		have=$BIG_N
	fi
	TOKEN=$(sqlite3 "$DB" "SELECT 1 FROM account WHERE username = 'bench.auditor'" | grep -q 1 \
		&& cat "$OUT/big-token.txt" || account "$DB" bench.auditor auditor 000.00.00.H56 | tee "$OUT/big-token.txt")
	AGENCY=$(sqlite3 "$DB" "SELECT a.code FROM dossier d JOIN agency a ON a.id = d.current_agency_id
		WHERE d.state IN (2,4,7) AND d.paused_at IS NULL AND d.due_at IS NOT NULL
		GROUP BY a.code ORDER BY count(*) DESC LIMIT 1")
	start_server "$DB" bench/bench.ini
	y=$(date +%Y)
	say "reports on $have dossiers, single client, p50 of ${SECS}s runs, median of $RUNS:"
	for spec in "quarter:/api/v1/reports/summary?from=$y-07-01&to=$y-09-30&group_by=agency" \
		    "year:/api/v1/reports/summary?from=$((y - 1))-01-01&to=$((y - 1))-12-31&group_by=agency" \
		    "overdue list ($AGENCY):/api/v1/reports/overdue?agency=$AGENCY&limit=50"; do
		name=${spec%%:/*}
		path=/${spec#*:/}
		p50=$(for _ in $(seq "$RUNS"); do
			BENCH_PATH="$path" BENCH_TOKEN="$TOKEN" wrk_p50_ms bench/path.lua "http://127.0.0.1:$PORT"
		done | median)
		say "  $name: p50 $p50 ms"
	done
	stop_server
fi

# ---- export ---------------------------------------------------------------------
if want export && [ -x bench/export.sh ]; then
	bench/export.sh | tee -a "$RESULTS"
fi

# ---- HTTP limits, slow clients, malformed requests ----------------------------------
if want http; then
	BIN="$BIN" bench/http.sh | tee -a "$RESULTS"
fi

if [ -s "$ERRORS" ]; then
	say "WARNING: some requests failed, so the figures above are not clean:"
	sed 's/^/  /' "$ERRORS" | tee -a "$RESULTS"
fi
echo
echo "bench: results in $RESULTS"
