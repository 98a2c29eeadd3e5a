#!/usr/bin/env bash
# The riusa benchmark: import, index and serve N generated practices on SQLite, load the
# search API, the search page and the practice page over loopback with wrk, against two
# baselines measured in the same run (the same page bytes served from memory, and the same
# search done with PostgreSQL full-text search). See bench/README.md.
#
#   bench/run.sh [N]        (N practices, default 100000; run from anywhere in the repo)
#
# Writes target/bench/results.md (and prints it). Knobs, as environment variables:
#   BENCH_DURATION=30s  wrk duration per scenario     BENCH_WARMUP=5s  warm-up per scenario
#   BENCH_CONNECTIONS=16  BENCH_THREADS=2             BENCH_SEED=1     generator seed
#   BENCH_SLUGS=1000    practice pages to rotate      BENCH_QUERIES=bench/queries.txt
#   BENCH_PORT=18080    (PostgreSQL server on +1)     BENCH_WORK=target/bench
#   BENCH_PG=1          0 skips the PostgreSQL baseline
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/riusa_bench
#   BENCH_PG_FTS_SQL=1  apply bench/pg_fts.sql after the PostgreSQL import (0: the route does it)
#   BENCH_PG_KEEP=0     1 keeps the PostgreSQL database after the run
#   BENCH_BUILD=1       0 skips `cargo build --release -p riusa --features bench`
#   BENCH_BIN=target/release/riusa
#   BENCH_READY_TIMEOUT=900  seconds to wait for GET /readyz
#   BENCH_WRK_TIMEOUT=30s    wrk's per-request timeout (a timed-out request counts as an error)
#   BENCH_REPORT_ONLY=1 only rewrite results.md from the values of the last run
#   BENCH_TAIL=200000   distinct searches for the long tail (bench/wrk/rotate.lua with parts; 0 skips it)
#   BENCH_EDITORS=16    editors saving drafts in the writes phase (0 skips the phase)
#   BENCH_ONLY=editors  run only the writes phase, on the SQLite data of an earlier run
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=${1:-100000}
SEED=${BENCH_SEED:-1}
DURATION=${BENCH_DURATION:-30s}
WARMUP=${BENCH_WARMUP:-5s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
SLUG_COUNT=${BENCH_SLUGS:-1000}
QUERIES=${BENCH_QUERIES:-bench/queries.txt}
PORT=${BENCH_PORT:-18080}
PG_PORT=$((PORT + 1))
WORK=${BENCH_WORK:-target/bench}
PG=${BENCH_PG:-1}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/riusa_bench}
PG_FTS_SQL=${BENCH_PG_FTS_SQL:-1}
PG_KEEP=${BENCH_PG_KEEP:-0}
BUILD=${BENCH_BUILD:-1}
BIN=${BENCH_BIN:-target/release/riusa}
READY_TIMEOUT=${BENCH_READY_TIMEOUT:-900}
WRK_TIMEOUT=${BENCH_WRK_TIMEOUT:-30s}
LUA=bench/wrk/rotate.lua
TAIL_COUNT=${BENCH_TAIL:-200000}

if ! [[ $N =~ ^[0-9]+$ ]] || [ "$N" -lt 1 ]; then
    echo "usage: bench/run.sh [N]   (N: number of practices, default 100000)" >&2
    exit 2
fi

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RESULTS_ENV="$WORK/results.env"   # key=value lines, turned into results.md at the end
REPORT_ONLY=${BENCH_REPORT_ONLY:-0}
# An editors-only run adds to the values of the run it reuses the data of.
if [ "$REPORT_ONLY" != 1 ] && [ "${BENCH_ONLY:-}" != editors ]; then : >"$RESULTS_ENV"; fi
SERVER_PIDS=()

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
record() { printf '%s=%s\n' "$1" "$2" >>"$RESULTS_ENV"; }
value() { # value KEY [DEFAULT]: the last value recorded for KEY, else DEFAULT (else "n/a")
    local v
    v=$(awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); v = $0 } END { print v }' "$RESULTS_ENV")
    if [ -n "$v" ]; then
        printf '%s' "$v"
    elif [ $# -ge 2 ]; then
        printf '%s' "$2"
    else
        printf 'n/a'
    fi
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------

apt_install() { # apt_install PACKAGE... (Debian packages only; nothing else is downloaded)
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "need root or sudo to install: $*"
        sudo=(sudo)
    fi
    log "installing $* (apt-get)"
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v sqlite3 >/dev/null || missing+=(sqlite3)
    if [ "$PG" = 1 ]; then command -v psql >/dev/null || missing+=(postgresql-client); fi
    if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
    command -v python3 >/dev/null || die "python3 is needed (bench/generate.py)"
}

build() {
    if [ "$BUILD" = 1 ]; then
        log "cargo build --release -p riusa --features bench"
        cargo build --release -p riusa --features bench
    fi
    [ -x "$BIN" ] || die "no binary at $BIN"
}

# ---------------------------------------------------------------------------------------------
# Data and request lists
# ---------------------------------------------------------------------------------------------

generate() {
    DATA="$WORK/practices-$N-s$SEED.jsonl"
    if [ -s "$DATA" ]; then
        log "reusing $DATA"
    else
        log "generating $N practices (seed $SEED)"
        local t0
        t0=$(now)
        python3 bench/generate.py --count "$N" --seed "$SEED" --out "$DATA"
        record generate_s "$(elapsed "$t0" "$(now)")"
    fi
    record data_bytes "$(stat -c %s "$DATA")"
    TAIL="$WORK/tail-$TAIL_COUNT-s$SEED.txt"
    if [ "$TAIL_COUNT" -gt 0 ] && ! [ -s "$TAIL" ]; then
        python3 bench/generate.py --tail-queries "$TAIL" --tail-count "$TAIL_COUNT" --seed "$SEED"
    fi
}

# Writes $WORK/paths/{api,page,practice,memory,pg}.txt: the request paths of each scenario.
write_paths() {
    mkdir -p "$WORK/paths"
    python3 - "$DATA" "$QUERIES" "$SLUG_COUNT" "$WORK/paths" "${TAIL:-}" <<'PY'
import json, sys, urllib.parse
data, queries_file, slug_count, out, tail_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
queries = []
for line in open(queries_file, encoding="utf-8"):
    line = line.strip()
    if line and not line.startswith("#"):
        queries.append(urllib.parse.quote_plus(line))
if not queries:
    sys.exit(f"no queries in {queries_file}")
# published slugs spread evenly over the whole file (drafts are not public pages)
with open(data, "rb") as f:
    lines = f.readlines()
step = max(1, len(lines) // slug_count)
slugs, i = [], 0
while len(slugs) < slug_count and i < len(lines):
    rec = json.loads(lines[i])
    if rec.get("status") == "published":
        slugs.append(rec["slug"])
        i = (len(slugs)) * step
    else:
        i += 1
def write(name, paths):
    with open(f"{out}/{name}.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
write("api", [f"/api/v1/practices?q={q}" for q in queries])
write("page", [f"/pratiche?q={q}" for q in queries])
write("practice", [f"/pratiche/{s}" for s in slugs])
write("memory", [f"/_bench/memory/pratiche/{s}" for s in slugs])
write("pg", [f"/_bench/pg-search?q={q}" for q in queries])
if tail_file:
    # Three quarters for the run at full concurrency, the rest (never asked there) for the
    # one-connection run; the PostgreSQL baseline gets the first part too.
    tail = [urllib.parse.quote_plus(l.strip()) for l in open(tail_file, encoding="utf-8") if l.strip()]
    cut = len(tail) * 3 // 4
    write("api_tail", [f"/api/v1/practices?q={q}" for q in tail[:cut]])
    write("api_tail_alone", [f"/api/v1/practices?q={q}" for q in tail[cut:]])
    write("pg_tail", [f"/_bench/pg-search?q={q}" for q in tail[:cut]])
print(f"{len(queries)} queries, {len(slugs)} practice pages", file=sys.stderr)
PY
    record query_count "$(grep -c . "$WORK/paths/api.txt")"
    record slug_count "$(grep -c . "$WORK/paths/practice.txt")"
}

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------

cleanup() {
    local pid
    for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
        stop_server "$pid"
    done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_server() { # stop_server PID
    local pid=$1 _
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# start_server NAME PORT ARGS... : runs `riusa serve ARGS --listen 127.0.0.1:PORT --bench-routes`
# in the background, waits for GET /readyz 200, sets SERVER_PID, records NAME_ready_s.
start_server() {
    local name=$1 port=$2
    shift 2
    if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
        die "port $port is already in use (set BENCH_PORT)"
    fi
    log "starting $name server on 127.0.0.1:$port"
    local t0
    t0=$(now)
    "$BIN" serve "$@" --listen "127.0.0.1:$port" --bench-routes >"$WORK/server-$name.log" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    local deadline=$((SECONDS + READY_TIMEOUT)) code
    while :; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 30 "$WORK/server-$name.log" >&2 || true
            die "$name server exited before it was ready (log: $WORK/server-$name.log)"
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/readyz" || true)
        [ "$code" = 200 ] && break
        [ $SECONDS -lt $deadline ] || die "$name server not ready after ${READY_TIMEOUT}s"
        sleep 0.5
    done
    record "${name}_ready_s" "$(elapsed "$t0" "$(now)")"
}

rss_kb() { # rss_kb PID FIELD (VmRSS or VmHWM)
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# check_paths NAME PORT FILE: the first, a middle and the last path answer 200.
check_paths() {
    local name=$1 port=$2 file=$3 total path code
    total=$(grep -c . "$file")
    while IFS= read -r path; do
        code=$(curl -s -o "$WORK/check.body" -w '%{http_code}' --max-time 60 "http://127.0.0.1:$port$path" || true)
        if [ "$code" != 200 ]; then
            { head -c 400 "$WORK/check.body"; echo; } >&2 || true
            die "$name: GET $path answered $code, not 200"
        fi
    done < <(sed -n "1p;$(((total + 1) / 2))p;${total}p" "$file")
}

# Whether /pratiche/SLUG and /_bench/memory/pratiche/SLUG answer the same bytes.
compare_memory_baseline() {
    local port=$1 path same=yes
    while IFS= read -r path; do
        if ! cmp -s <(curl -s "http://127.0.0.1:$port$path") \
            <(curl -s "http://127.0.0.1:$port/_bench/memory$path"); then
            same=no
        fi
    done < <(head -n 3 "$WORK/paths/practice.txt")
    record memory_same_bytes "$same"
}

# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------

# load SCENARIO PORT DURATION [CONNECTIONS THREADS]: wrk over $WORK/paths/SCENARIO.txt;
# records SCENARIO_* values.
load() {
    local scenario=$1 port=$2 duration=$3 out="$WORK/wrk-$1.txt"
    local connections=${4:-$CONNECTIONS} threads=${5:-$THREADS}
    log "wrk $scenario: -t$threads -c$connections -d$duration"
    local parts=()
    # Long-tail scenarios: every thread walks its own part of the list, no search twice.
    case $scenario in *tail*) parts=("$threads") ;; esac
    wrk -t"$threads" -c"$connections" -d"$duration" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" \
        "http://127.0.0.1:$port" -- "$WORK/paths/$scenario.txt" "${parts[@]}" >"$out"
    cat "$out" >&2
    local line
    line=$(grep '^BENCH ' "$out") || die "no BENCH line in $out"
    local kv
    for kv in ${line#BENCH }; do
        record "${scenario}_${kv%%=*}" "${kv#*=}"
    done
}

warm_up() { # warm_up PORT SCENARIO...
    local port=$1 scenario
    shift
    for scenario in "$@"; do
        log "warm-up $scenario ($WARMUP)"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$WRK_TIMEOUT" -s "$LUA" \
            "http://127.0.0.1:$port" -- "$WORK/paths/$scenario.txt" >"$WORK/warmup-$scenario.txt"
    done
}

# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------

timed() { # timed KEY COMMAND... : wall time (s) and peak RSS (kB) of a command
    local out="$WORK/time-$1.txt" key=$1
    shift
    /usr/bin/time -f '%e %M' -o "$out" "$@" >&2
    record "${key}_s" "$(awk '{ print $1 }' "$out")"
    record "${key}_maxrss_kb" "$(awk '{ print $2 }' "$out")"
}

run_sqlite() {
    local dir="$WORK/sqlite-$N"
    rm -rf "$dir"
    mkdir -p "$dir"
    log "SQLite: import organizations and practices into $dir"
    timed sqlite_import_orgs "$BIN" --data "$dir" import organizations
    timed sqlite_import "$BIN" --data "$dir" import practices "$DATA" --no-progress
    # The index is built offline, as an operator would (`riusa reindex`): the server's RSS
    # then measures serving, not the one-off bulk indexing arena.
    timed sqlite_reindex "$BIN" --data "$dir" reindex

    start_server sqlite "$PORT" --data "$dir"
    local pid=$SERVER_PID
    record sqlite_index_bytes "$(du -sb "$dir/index" | awk '{ print $1 }')"
    record sqlite_db_bytes "$(du -sb --exclude=index "$dir" | awk '{ print $1 }')"
    record rss_start_kb "$(rss_kb "$pid" VmRSS)"

    local s
    for s in api page practice memory; do check_paths "$s" "$PORT" "$WORK/paths/$s.txt"; done
    compare_memory_baseline "$PORT"
    warm_up "$PORT" api page practice
    record rss_warm_kb "$(rss_kb "$pid" VmRSS)"
    for s in api page practice; do load "$s" "$PORT" "$DURATION"; done
    # Measured before the in-memory baseline, whose own copy of the pages is bench-only memory.
    record rss_after_kb "$(rss_kb "$pid" VmRSS)"
    record rss_anon_after_kb "$(rss_kb "$pid" RssAnon)"
    record rss_file_after_kb "$(rss_kb "$pid" RssFile)"
    record rss_peak_kb "$(rss_kb "$pid" VmHWM)"
    warm_up "$PORT" memory
    load memory "$PORT" "$DURATION"
    # The long tail on the same warm server, result cache on: no search is asked twice, so
    # only the engine answers. Then one connection, on searches the first run never asked.
    if [ "$TAIL_COUNT" -gt 0 ]; then
        load api_tail "$PORT" "$DURATION"
        load api_tail_alone "$PORT" "$DURATION" 1 1
        record rss_tail_after_kb "$(rss_kb "$pid" VmRSS)"
    fi
    stop_server "$pid"

    # The same searches with the result cache off: what a query nobody asked before costs.
    cp "$WORK/paths/api.txt" "$WORK/paths/api_cold.txt"
    cp "$WORK/paths/page.txt" "$WORK/paths/page_cold.txt"
    cp "$WORK/paths/api.txt" "$WORK/paths/api_cold_alone.txt"
    RIUSA_SEARCH_CACHE_MB=0 start_server sqlite_cold "$PORT" --data "$dir"
    pid=$SERVER_PID
    warm_up "$PORT" api_cold
    for s in api_cold page_cold; do load "$s" "$PORT" "$DURATION"; done
    # One connection: what one search costs when it does not queue behind fifteen others.
    load api_cold_alone "$PORT" "$DURATION" 1 1
    record rss_cold_after_kb "$(rss_kb "$pid" VmRSS)"
    stop_server "$pid"
}

# The writes phase: BENCH_EDITORS editors save drafts through the API (each once a second, on
# the revision its last save returned) while 16 connections search and open practice pages.
# The same readers run alone first, on the same server: how much the saves move them.
run_editors() {
    local dir="$WORK/sqlite-$N" editors=${BENCH_EDITORS:-16}
    [ -d "$dir" ] || die "no SQLite data in $dir: run the whole benchmark once first"
    [ "$editors" -gt 0 ] || return 0
    start_server editors "$PORT" --data "$dir"
    local pid=$SERVER_PID i token
    log "writes: $editors editors with a token and a draft each"
    local body="$WORK/editor-draft.json" list="$WORK/editors.txt" slug
    # A slug of this run's own: an editors-only run reuses the data of an earlier one.
    slug="bozza-del-banco-di-prova-$(date +%s)"
    cat >"$body" <<'JSON'
{"slug":"SLUG","title":"Bozza scritta durante il banco di prova","summary":"Una scheda salvata una volta al secondo mentre altri cercano.","themes":["fondi-strutturali-europei"],"owners":[{"ipa":"r_toscan","role":"owner"}],"sections":{"motivation":"Misurare quanto i salvataggi delle bozze pesano su chi cerca.","activities":"- Salvataggi ripetuti\n- Ricerche in parallelo"}}
JSON
    sed -i "s/\"SLUG\"/\"$slug\"/" "$body"
    # Each phase saves drafts of its own, so each starts at revision 1.
    : >"$list.api"
    : >"$list.practice"
    for i in $(seq 1 "$editors"); do
        "$BIN" --data "$dir" accounts add "redazione-$i@banco.example" --name "Redazione $i" --editor >/dev/null
        token=$("$BIN" --data "$dir" accounts token "redazione-$i@banco.example" --label banco 2>/dev/null)
        local phase draft
        for phase in api practice; do
            draft=$(sed "s/\"$slug\"/\"$slug-$phase-$i\"/" "$body" |
                curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
                    --data-binary @- "http://127.0.0.1:$PORT/api/v1/practices") || die "draft $i not created"
            echo "$token $(printf '%s' "$draft" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" >>"$list.$phase"
        done
    done
    record editors "$editors"
    cp "$WORK/paths/api.txt" "$WORK/paths/ro_api.txt"
    cp "$WORK/paths/practice.txt" "$WORK/paths/ro_practice.txt"
    cp "$WORK/paths/api.txt" "$WORK/paths/rw_api.txt"
    cp "$WORK/paths/practice.txt" "$WORK/paths/rw_practice.txt"
    warm_up "$PORT" ro_api ro_practice
    load ro_api "$PORT" "$DURATION"
    load ro_practice "$PORT" "$DURATION"
    local generation_before
    generation_before=$(curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^riusa_search_generation/ { print $2 }')
    local s
    for s in api practice; do
        log "writes: $editors editors saving while wrk reads rw_$s"
        wrk -t"$editors" -c"$editors" -d"$DURATION" --timeout "$WRK_TIMEOUT" --latency -s bench/wrk/save.lua \
            "http://127.0.0.1:$PORT" -- "$list.$s" "$body" "$s" >"$WORK/wrk-saves-$s.txt" &
        local saver=$!
        load "rw_$s" "$PORT" "$DURATION"
        wait "$saver"
        local line kv
        line=$(grep '^BENCH ' "$WORK/wrk-saves-$s.txt") || die "no BENCH line in wrk-saves-$s.txt"
        for kv in ${line#BENCH }; do record "saves_${s}_${kv%%=*}" "${kv#*=}"; done
    done
    record generation_before "${generation_before:-n/a}"
    record generation_after "$(curl -fsS "http://127.0.0.1:$PORT/metrics" | awk '/^riusa_search_generation/ { print $2 }')"
    record editors_revisions "$(sqlite3 "$dir/riusa.db" "SELECT count(*) FROM practice_revision WHERE author_id IS NOT NULL" 2>/dev/null || echo n/a)"
    stop_server "$pid"
}

psql_admin() { # psql on the server's maintenance database
    psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"
}

run_postgres() {
    PG_DB=${PG_URL##*/}
    PG_DB=${PG_DB%%\?*}
    PG_ADMIN_URL="${PG_URL%/*}/postgres"
    psql_admin -c 'SELECT 1' >/dev/null || die "PostgreSQL not reachable at ${PG_URL%/*} (BENCH_PG=0 skips it)"
    record pg_version "$(psql_admin -c 'SHOW server_version' | awk '{ print $1 }')"
    log "PostgreSQL: recreating database $PG_DB"
    psql_admin -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)"
    psql_admin -c "CREATE DATABASE \"$PG_DB\""

    local dir="$WORK/pg-$N"
    rm -rf "$dir"
    mkdir -p "$dir"
    timed pg_import_orgs "$BIN" --data "$dir" --database-url "$PG_URL" import organizations
    timed pg_import "$BIN" --data "$dir" --database-url "$PG_URL" import practices "$DATA" --no-progress
    if [ "$PG_FTS_SQL" = 1 ]; then
        log "PostgreSQL: bench/pg_fts.sql (tsvector column and GIN index)"
        timed pg_fts_setup psql "$PG_URL" -v ON_ERROR_STOP=1 -q -f bench/pg_fts.sql
    fi

    timed pg_reindex "$BIN" --data "$dir" --database-url "$PG_URL" reindex

    start_server pg "$PG_PORT" --data "$dir" --database-url "$PG_URL"
    local pid=$SERVER_PID
    check_paths pg "$PG_PORT" "$WORK/paths/pg.txt"
    warm_up "$PG_PORT" pg
    record pg_db_bytes "$(psql "$PG_URL" -qAt -c "SELECT pg_database_size(current_database())")"
    record pg_gin_bytes "$(psql "$PG_URL" -qAt -c "
        SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         WHERE i.indrelid = 'practice'::regclass AND a.amname = 'gin'")"
    load pg "$PG_PORT" "$DURATION"
    if [ "$TAIL_COUNT" -gt 0 ]; then load pg_tail "$PG_PORT" "$DURATION"; fi
    stop_server "$pid"
    if [ "$PG_KEEP" != 1 ]; then
        psql_admin -c "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)"
    fi
}

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

mb() { # bytes -> MB
    local v
    v=$(value "$1" "")
    if [ -z "$v" ]; then printf 'n/a'; else awk -v b="$v" 'BEGIN { printf "%.1f MB", b / 1e6 }'; fi
}
secs() { # seconds, with their unit
    local v
    v=$(value "$1" "")
    if [ -z "$v" ]; then printf 'n/a'; else printf '%s s' "$v"; fi
}
kb_mb() { # kB -> MB
    local v
    v=$(value "$1" "")
    if [ -z "$v" ]; then printf 'n/a'; else awk -v k="$v" 'BEGIN { printf "%.1f MB", k / 1024 }'; fi
}
ms() { # microseconds -> ms
    local v
    v=$(value "$1" "")
    if [ -z "$v" ]; then printf 'n/a'; else awk -v u="$v" 'BEGIN { printf "%.2f", u / 1000 }'; fi
}
ratio() { # ratio A B -> A/B
    local a b
    a=$(value "$1" "")
    b=$(value "$2" "")
    if [ -z "$a" ] || [ -z "$b" ]; then printf 'n/a'; else awk -v a="$a" -v b="$b" 'BEGIN { printf (b > 0 ? "%.2f" : "n/a"), a / b }'; fi
}
check() { # check EXPR VALUE... -> PASS/FAIL via awk, n/a when a value is missing
    local expr=$1 v args=()
    shift
    for v in "$@"; do
        [ "$v" != n/a ] || { printf 'n/a'; return; }
        args+=("$v")
    done
    awk -v a="${args[0]}" -v b="${args[1]:-0}" "BEGIN { print (($expr) ? \"PASS\" : \"FAIL\") }"
}

# shellcheck disable=SC2016 # the backquotes are Markdown
scenario_row() { # scenario_row KEY LABEL PATH
    local k=$1 errors
    errors=$(awk -v c="$(value "${k}_err_connect" 0)" -v r="$(value "${k}_err_read" 0)" \
        -v w="$(value "${k}_err_write" 0)" -v t="$(value "${k}_err_timeout" 0)" \
        -v s="$(value "${k}_err_status" 0)" 'BEGIN { print c + r + w + t + s }')
    local rps bytes
    rps=$(value "${k}_rps" "")
    bytes=$(awk -v b="$(value "${k}_bytes" 0)" -v n="$(value "${k}_requests" 0)" \
        'BEGIN { if (n > 0) printf "%.0f", b / n; else printf "n/a" }')
    if [ -z "$rps" ]; then
        printf '| %s | `%s` | not run | | | | | |\n' "$2" "$3"
        return
    fi
    printf '| %s | `%s` | %.0f | %s | %s | %s | %s | %s |\n' "$2" "$3" "$rps" \
        "$(ms "${k}_p50_us")" "$(ms "${k}_p99_us")" "$(ms "${k}_max_us")" "$bytes" "$errors"
}

report() {
    local out="$WORK/results.md" commit dirty=""
    commit=$(value run_commit)
    if [ "$(value run_dirty no)" = yes ]; then dirty=" (+ uncommitted changes)"; fi
    local api_p99 page_p99 rss
    api_p99=$(ms api_p99_us)
    page_p99=$(ms page_p99_us)
    rss=$(value rss_after_kb "")
    if [ -n "$rss" ]; then rss=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }'); else rss=n/a; fi
    {
        echo "## Results: $(value n) practices"
        echo
        echo "$(value run_date), commit \`$commit\`$dirty; $(nproc) cores," \
            "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
            "$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM," \
            "Linux $(uname -r); $(wrk --version 2>&1 | head -n1 | awk '{ print $1, $2 }')," \
            "PostgreSQL $(value pg_version "not run"), $(rustc --version 2>/dev/null | awk '{ print $1, $2 }' || echo rustc)."
        echo "wrk: $(value threads) threads, $(value connections) connections, $(value duration) per scenario" \
            "after a $(value warmup) warm-up; $(value query_count) queries, $(value slug_count) practice pages" \
            "in rotation; seed $(value seed)," \
            "data file $(mb data_bytes)."
        echo
        echo "| scenario | path | req/s | p50 ms | p99 ms | max ms | bytes/resp | errors |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|"
        scenario_row api "(a) search API, with facets" "/api/v1/practices?q=…"
        scenario_row page "(b) search results page" "/pratiche?q=…"
        scenario_row practice "(c) practice page" "/pratiche/{slug}"
        scenario_row memory "(d) baseline: same page bytes from memory" "/_bench/memory/pratiche/{slug}"
        scenario_row pg "(e) baseline: PostgreSQL FTS search + facets" "/_bench/pg-search?q=…"
        scenario_row api_cold "(a′) search API, result cache off" "/api/v1/practices?q=…"
        scenario_row page_cold "(b′) search results page, result cache off" "/pratiche?q=…"
        scenario_row api_cold_alone "(a″) search API, result cache off, 1 connection" "/api/v1/practices?q=…"
        scenario_row api_tail "(h) search API, long tail: each search asked once" "/api/v1/practices?q=…"
        scenario_row api_tail_alone "(h′) search API, long tail, 1 connection" "/api/v1/practices?q=…"
        scenario_row pg_tail "(h″) baseline: PostgreSQL FTS on the long tail" "/_bench/pg-search?q=…"
        echo
        echo "| ratio | value | target |"
        echo "|---|---:|---|"
        echo "| practice page / in-memory, req/s | $(ratio practice_rps memory_rps) | ≥ 0.50: $(check 'a >= 0.5' "$(ratio practice_rps memory_rps)") |"
        echo "| search API / PostgreSQL FTS, req/s | $(ratio api_rps pg_rps) | |"
        echo "| PostgreSQL FTS p99 / search API p99 | $(ratio pg_p99_us api_p99_us) | |"
        echo "| search API without cache / PostgreSQL FTS, req/s | $(ratio api_cold_rps pg_rps) | |"
        echo "| PostgreSQL FTS p99 / search API without cache p99 | $(ratio pg_p99_us api_cold_p99_us) | |"
        echo "| long tail / PostgreSQL FTS on the same searches, req/s | $(ratio api_tail_rps pg_tail_rps) | |"
        echo "| long tail / cached searches (a), req/s | $(ratio api_tail_rps api_rps) | |"
        echo "| long tail requests that repeated a search (list too short) | $(value api_tail_repeated n/a) + $(value api_tail_alone_repeated n/a) | 0 |"
        echo "| search API p99 | $api_p99 ms | < 10 ms: $(check 'a < 10' "$api_p99") |"
        echo "| search page p99 | $page_p99 ms | < 10 ms: $(check 'a < 10' "$page_p99") |"
        echo "| server RSS after the load | $rss MB | < 250 MB: $(check 'a < 250' "$rss") |"
        echo
        echo "| measure | SQLite (riusa) | PostgreSQL |"
        echo "|---|---:|---:|"
        echo "| import organizations | $(secs sqlite_import_orgs_s) | $(secs pg_import_orgs_s) |"
        echo "| import practices (wall) | $(secs sqlite_import_s) | $(secs pg_import_s) |"
        echo "| import practices, peak RSS | $(kb_mb sqlite_import_maxrss_kb) | $(kb_mb pg_import_maxrss_kb) |"
        echo "| full-text setup (bench/pg_fts.sql) | – | $(secs pg_fts_setup_s) |"
        echo "| build the search index (\`riusa reindex\`) | $(secs sqlite_reindex_s) | $(secs pg_reindex_s) |"
        echo "| build the search index, peak RSS | $(kb_mb sqlite_reindex_maxrss_kb) | $(kb_mb pg_reindex_maxrss_kb) |"
        echo "| server start to ready | $(secs sqlite_ready_s) | $(secs pg_ready_s) |"
        echo "| search index size | $(mb sqlite_index_bytes) (tantivy) | $(mb pg_gin_bytes) (GIN) |"
        echo "| database size | $(mb sqlite_db_bytes) | $(mb pg_db_bytes) |"
        echo "| server RSS: ready / after warm-up / after load | $(kb_mb rss_start_kb) / $(kb_mb rss_warm_kb) / $(kb_mb rss_after_kb) | |"
        echo "| server RSS after the load: anonymous / memory-mapped index files | $(kb_mb rss_anon_after_kb) / $(kb_mb rss_file_after_kb) | |"
        echo "| server peak RSS (VmHWM) | $(kb_mb rss_peak_kb) | |"
        echo
        if [ -n "$(value ro_api_rps "")" ]; then
            echo
            echo "### Writes: $(value editors) editors saving drafts (each once a second) while 16 connections read"
            echo
            echo "| scenario | path | req/s | p50 ms | p99 ms | max ms | bytes/resp | errors |"
            echo "|---|---|---:|---:|---:|---:|---:|---:|"
            scenario_row ro_api "(f) search API, read-only" "/api/v1/practices?q=…"
            scenario_row rw_api "(f′) search API, while editors save" "/api/v1/practices?q=…"
            scenario_row saves_api "(f″) the saves meanwhile" "PUT /api/v1/practices/{id}"
            scenario_row ro_practice "(g) practice page, read-only" "/pratiche/{slug}"
            scenario_row rw_practice "(g′) practice page, while editors save" "/pratiche/{slug}"
            scenario_row saves_practice "(g″) the saves meanwhile" "PUT /api/v1/practices/{id}"
            echo
            echo "| ratio | value | target |"
            echo "|---|---:|---|"
            echo "| search API req/s, while saving / read-only | $(ratio rw_api_rps ro_api_rps) | ≥ 0.80: $(check 'a >= 0.8' "$(ratio rw_api_rps ro_api_rps)") |"
            echo "| search API p99, while saving / read-only | $(ratio rw_api_p99_us ro_api_p99_us) | ≤ 1.20: $(check 'a <= 1.2' "$(ratio rw_api_p99_us ro_api_p99_us)") |"
            echo "| practice page req/s, while saving / read-only | $(ratio rw_practice_rps ro_practice_rps) | ≥ 0.80: $(check 'a >= 0.8' "$(ratio rw_practice_rps ro_practice_rps)") |"
            echo "| practice page p99, while saving / read-only | $(ratio rw_practice_p99_us ro_practice_p99_us) | ≤ 1.20: $(check 'a <= 1.2' "$(ratio rw_practice_p99_us ro_practice_p99_us)") |"
            echo "| index generation before / after the saves | $(value generation_before) / $(value generation_after) | unchanged |"
            echo "| draft revisions written by the editors | $(value editors_revisions) | |"
        fi
        echo
        echo "In-memory baseline answers the same bytes as the practice page: $(value memory_same_bytes)." \
            "Raw wrk output: \`$WORK/wrk-*.txt\`; all values: \`$RESULTS_ENV\`."
    } >"$out"
    log "results ($out)"
    cat "$out"
}

main() {
    if [ "$REPORT_ONLY" = 1 ]; then
        report
        return
    fi
    record n "$N"
    # Recorded now, so that a report rewritten later still names what was measured.
    record run_date "$(date -u '+%Y-%m-%d %H:%M UTC')"
    record run_commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^??' || true)" ]; then
        record run_dirty yes
    fi
    record seed "$SEED"
    record duration "$DURATION"
    record warmup "$WARMUP"
    record threads "$THREADS"
    record connections "$CONNECTIONS"
    ensure_tools
    build
    generate
    write_paths
    if [ "${BENCH_ONLY:-}" = editors ]; then
        run_editors
        report
        return
    fi
    run_sqlite
    run_editors
    if [ "$PG" = 1 ]; then run_postgres; fi
    report
}

main
