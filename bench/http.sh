#!/bin/bash
# motcua — bench/http.sh: the HTTP limits, measured (bench/run.sh part "http").
#
#   1. 10,000 concurrent connections (bench/connhold.c), 250 from each of the
#      source addresses 127.0.0.2 … 127.0.0.41, so the per-address limit (256)
#      stays on; meanwhile wrk -c 50 and a paced probe on new connections read
#      a dossier. Reports the server's RSS (VmRSS, VmHWM from /proc) — target
#      ≤ 512 MB — refused connections and the readers' p99 (target < 250 ms).
#   2. 1,000 slow-header sockets from slowhttptest -H (a header line every 5 s,
#      so never idle), then 1,000 slow-body ones (-B), while the probe and wrk
#      read: how long the slow sockets lived (target ≤ 30 s; header_timeout is
#      15 s) and the readers' p99 (target < 500 ms). The per-address limit is
#      raised to 2,048 here: all 1,000 come from 127.0.0.1, and an attacker with
#      many addresses would get them all accepted; with the default 256 most
#      would simply be refused.
#   3. the storm: BENCH_STORM (100,000) malformed requests over real sockets
#      (bench/storm.c with tests/storm.c): answers by status class, path
#      traversal answers, bytes leaked (must be 0), 5xx (must be 0), RSS growth.
#
# Environment: BENCH_HTTP_PORT (18090), BENCH_HTTP_CONNS (10000),
# BENCH_HTTP_SLOW (1000), BENCH_STORM (100000), BENCH_HTTP_PARTS ("hold slow
# storm"). Needs wrk and slowhttptest (tools/deps.sh bench) and an open-files
# limit above the connection count (raised here up to the hard limit).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-$(pwd)/build/motcua}
OUT=$(pwd)/bench/out/http
PORT=${BENCH_HTTP_PORT:-18090}
CONNS=${BENCH_HTTP_CONNS:-10000}
SLOW=${BENCH_HTTP_SLOW:-1000}
STORM=${BENCH_STORM:-100000}
PARTS=${BENCH_HTTP_PARTS:-"hold slow storm"}
export MOTCUA_NO_ACCESS_LOG=1
mkdir -p "$OUT"

part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
status_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2> /dev/null || echo 0; }

# ---- tools and limits ------------------------------------------------------------
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -pthread"
# shellcheck disable=SC2086
cc $CFLAGS -o "$OUT/connhold" bench/connhold.c
# shellcheck disable=SC2086
cc $CFLAGS -o "$OUT/storm" bench/storm.c tests/storm.c
want_fds=$((CONNS + 1000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_fds" ]; then
	hard=$(ulimit -Hn)
	if [ "$hard" = unlimited ] || [ "$hard" -ge "$want_fds" ]; then ulimit -n "$want_fds"; else ulimit -n "$hard"; fi
fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_fds" ]; then
	echo "http: open files limited to $(ulimit -n) (hard limit): $CONNS connections need $want_fds" >&2
	exit 1
fi

# ---- a database with dossiers, a reader's token --------------------------------------
DB="$OUT/http.db"
if [ ! -f "$DB" ]; then
	"$BIN" seed-demo --db "$DB" --config bench/bench.ini > /dev/null
	"$BIN" seed-demo --db "$DB" --config bench/bench.ini --dossiers 20000 > /dev/null 2>&1
	printf 'bench-password-1\n' | "$BIN" user add --db "$DB" --config bench/bench.ini \
		--username bench.http --role auditor --agency 000.00.00.H56 > /dev/null
	"$BIN" token create --db "$DB" --config bench/bench.ini --username bench.http > "$OUT/token.txt"
fi
TOKEN=$(cat "$OUT/token.txt")
CODE=$(sqlite3 "$DB" "SELECT code FROM dossier WHERE code IS NOT NULL ORDER BY id DESC LIMIT 1")
READ="/api/v1/dossiers/$CODE"

# The production defaults, but 2 threads (as bench.ini) and no demo.
cat > "$OUT/limits.ini" << EOF
[server]
listen = 127.0.0.1
threads = 2
[database]
demo_on_create = false
[log]
level = warn
EOF

SERVER_PID=
start_server() { # config log
	"$BIN" serve --config "$1" --db "$DB" --port "$PORT" > "$2" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		if curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	echo "http: the server did not start; see $2" >&2
	exit 1
}
stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2> /dev/null || true
	wait "$SERVER_PID" 2> /dev/null || true
	SERVER_PID=
}
trap stop_server EXIT

# wrk on the read path for $1 seconds: "rate p50 p99 errors" (ms; errors =
# socket errors + non-2xx answers).
wrk_read() {
	BENCH_PATH="$READ" BENCH_TOKEN="$TOKEN" wrk -t2 -c50 -d"$1s" --latency -s bench/path.lua \
		"http://127.0.0.1:$PORT" 2>> "$OUT/wrk.err" | awk '
		function ms(v) { if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
			if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
			if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 } return v }
		$1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
		/Requests\/sec/ { rate = int($2) }
		/Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		/Non-2xx/ { err += $5 }
		END { printf "%d %.1f %.1f %d\n", rate, p50, p99, err }'
}

echo "http: server threads 2; machine load $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"

# ---- 1. ten thousand connections ------------------------------------------------------------
if part hold; then
	start_server "$OUT/limits.ini" "$OUT/serve-hold.log"
	rss_idle=$(status_kib "$SERVER_PID" VmRSS)
	rm -f "$OUT/ready"
	"$OUT/connhold" hold --port "$PORT" --conns "$CONNS" --ips 40 --seconds 50 --ready "$OUT/ready" \
		> "$OUT/hold.txt" &
	HOLD_PID=$!
	for _ in $(seq 1 600); do [ -s "$OUT/ready" ] && break; sleep 0.1; done
	sleep 1
	rss_held=$(status_kib "$SERVER_PID" VmRSS)
	"$OUT/connhold" probe --port "$PORT" --seconds 10 --rate 20 --path "$READ" --token "$TOKEN" \
		> "$OUT/probe-hold.txt" 2>&1 &
	PROBE_PID=$!
	read -r w_rate w_p50 w_p99 w_err <<< "$(wrk_read 10)"
	wait "$PROBE_PID" || true
	rss_busy=$(status_kib "$SERVER_PID" VmRSS)
	open_now=$(ls "/proc/$SERVER_PID/fd" | wc -l)
	wait "$HOLD_PID" || true
	hwm=$(status_kib "$SERVER_PID" VmHWM)
	stop_server
	echo "10,000 connections (per-address limit 256 on; 250 from each of 40 addresses):"
	echo "  $(cat "$OUT/hold.txt")"
	echo "  server RSS: $(mb "$rss_idle") MB idle, $(mb "$rss_held") MB holding them, $(mb "$rss_busy") MB under" \
	     "load too, peak $(mb "$hwm") MB (target <= 512); $open_now descriptors open"
	echo "  meanwhile wrk -c 50 GET /api/v1/dossiers/{code}: $w_rate req/s, p50 $w_p50 ms, p99 $w_p99 ms" \
	     "(target < 250), $w_err errors"
	echo "  meanwhile $(cat "$OUT/probe-hold.txt")"
fi

# ---- 2. slow clients ---------------------------------------------------------------------------
# slow MODE: slowhttptest in mode -H (slow headers) or -B (slow body), the
# readers measured meanwhile, a summary from slowhttptest's CSV
# (Seconds,Closed,Pending,Connected,Service Available).
slow() {
	mode=$1
	start_server "$OUT/slow.ini" "$OUT/serve-slow$mode.log"
	"$OUT/connhold" probe --port "$PORT" --seconds 20 --rate 20 --path "$READ" --token "$TOKEN" \
		> "$OUT/probe-slow$mode.txt" 2>&1 &
	PROBE_PID=$!
	rm -f "$OUT/slow$mode.csv" "$OUT/slow$mode.html"
	if [ "$mode" = H ]; then
		set -- -H -t GET -u "http://127.0.0.1:$PORT/"
	else
		set -- -B -s 8192 -t POST -f application/json -u "http://127.0.0.1:$PORT/api/v1/public/feedback"
	fi
	slowhttptest -c "$SLOW" "$@" -i 5 -r 1000 -x 24 -p 5 -l 40 -g -o "$OUT/slow$mode" \
		> "$OUT/slowhttptest$mode.txt" 2>&1 &
	SLOW_PID=$!
	sleep 4
	read -r w_rate w_p50 w_p99 w_err <<< "$(wrk_read 8)"
	wait "$SLOW_PID" || true
	wait "$PROBE_PID" || true
	stop_server
	# It stops by itself once every socket is closed, without a last row.
	ended=0
	grep -q "No open connections left" "$OUT/slowhttptest$mode.txt" && ended=1
	summary=$(awk -F, -v ended="$ended" 'NR > 1 {
			if ($4 > 0 && first == "") first = $1
			if ($4 > peak) { peak = $4; at = $1 }
			if (peak > 0 && $4 == 0 && zero == "") zero = $1
			if ($5 == 0) down++
			closed = $2; last = $1
		}
		END {
			if (zero == "" && ended) { zero = last + 1; closed = peak }
			if (zero == "") zero = "never (test ended)"
			printf "%d connected at peak (t=%s s); all closed by t=%s s", peak, at, zero
			if (zero + 0 > 0) printf " -> none lived more than %d s", zero - first
			printf "; %d closed in all; slowhttptest saw the service unavailable for %d s", closed, down + 0
		}' "$OUT/slow$mode.csv")
	if [ "$mode" = H ]; then
		echo "$SLOW slow-header sockets (slowhttptest -H: a header line every 5 s; per-address limit 2048):"
		echo "  $summary (target <= 30 s; header_timeout 15 s)"
	else
		echo "$SLOW slow-body sockets (slowhttptest -B: 8 KiB announced, a few bytes every 5 s):"
		echo "  $summary (header_timeout 15 s + 1 s per 500 bytes received)"
	fi
	echo "  meanwhile wrk -c 50 GET /api/v1/dossiers/{code}: $w_rate req/s, p50 $w_p50 ms, p99 $w_p99 ms" \
	     "(target < 500), $w_err errors"
	echo "  meanwhile $(cat "$OUT/probe-slow$mode.txt")"
}

if part slow; then
	cat "$OUT/limits.ini" > "$OUT/slow.ini"
	printf '[server]\nper_ip_connection_limit = 2048\n' >> "$OUT/slow.ini"
	slow H
	slow B
fi

# ---- 3. the storm -------------------------------------------------------------------------------
if part storm; then
	start_server "$OUT/limits.ini" "$OUT/serve-storm.log"
	"$OUT/storm" --port "$PORT" --count "$STORM" --threads 8 --token "$TOKEN" --dossier "$CODE" \
		--pid "$SERVER_PID" > "$OUT/storm.txt" 2>&1 || true
	alive=no
	curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && alive=yes
	stop_server
	sed 's/^/  /' "$OUT/storm.txt" | sed '1s/^  //'
	echo "  /healthz after the storm: $alive"
fi
