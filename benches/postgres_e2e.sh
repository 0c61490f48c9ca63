#!/usr/bin/env bash
# End-to-end benchmark of the PostgreSQL source, side by side with the file
# scan in the same run (BENCHMARKS.md, section 7). Run it beside a server:
#
#   .ci/postgres.sh benches/postgres_e2e.sh               # the test settings
#   HSQ_PG_DURABLE=1 .ci/postgres.sh benches/postgres_e2e.sh   # durable defaults
#   HSQ_PG_HUGE_PAGES=1 .ci/postgres.sh benches/postgres_e2e.sh   # on huge pages
#
# N (default 1000000) records are made by examples/customers_ndjson.rs in
# /tmp/hsq-bench (kept between runs). Reports the load's time and peak RSS,
# then each request's best of RUNS (default 5) from the database and from
# the file, and checks that both print the same bytes. HSQ=path runs another
# build of hsq (an earlier one, for before/after numbers in one session).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N=${N:-1000000}
RUNS=${RUNS:-5}
URL=${HSQ_TEST_DATABASE_URL:?run this through .ci/postgres.sh, or set HSQ_TEST_DATABASE_URL}
dir=/tmp/hsq-bench
file=$dir/customers-$N.ndjson
mkdir -p "$dir"
cargo build -q --release -j2 --all-features --bin hsq --example customers_ndjson
hsq=${HSQ:-target/release/hsq}
[ -s "$file" ] || target/release/examples/customers_ndjson "$N" "$file"
cat "$file" >/dev/null # warm the page cache

"$hsq" db init --db "$URL" >/dev/null
if [ "${SKIP_LOAD:-0}" != 1 ]; then # SKIP_LOAD=1: the data is already loaded
    echo "load: $N records, $(du -m "$file" | cut -f1) MB"
    /usr/bin/time -f "load: %e s wall, peak RSS %M KiB" "$hsq" db load --db "$URL" "$file"
fi
uptime
echo "server: huge_pages=$(psql "$URL" -Atc 'SHOW huge_pages' 2>/dev/null || echo unknown)"

now=2024-06-15T12:00:00Z
requests=(
    'query=(firstName:"John" OR firstName:"Johnny") AND email:"example.com"&sortField=createdAt&sortOrder=desc'
    'query=firstName:"Søren" AND lastName:"Kowalski"'
    'query=modifiedAt:[2015-01-01T00:00:00Z TO 2020-01-01T00:00:00Z}&sortField=lastName&sortOrder=asc'
    'query=email:jo*&sortField=firstName'
    'query=firstName:John OR lastName:Smith&sortField=score'
    'page=200'
)

best() { # best wall time in ms (one decimal) of RUNS runs of "$@"
    # $EPOCHREALTIME is read by bash itself: only the command's own fork,
    # exec and run are timed. (Timing with `date +%s%N` added two more
    # processes to each measurement, 1-4 ms on this machine.)
    local best=999999999 start end us
    for _ in $(seq "$RUNS"); do
        start=${EPOCHREALTIME/[.,]/}
        "$@" >/dev/null
        end=${EPOCHREALTIME/[.,]/}
        us=$((end - start))
        ((us < best)) && best=$us
    done
    printf '%d.%d\n' $((best / 1000)) $((best % 1000 / 100))
}

echo "baseline, /bin/true: $(best /bin/true) ms; hsq --version: $(best "$hsq" --version) ms"
printf '%-100s %10s %10s %8s\n' request "db ms" "file ms" ratio
for request in "${requests[@]}"; do
    db=$(best "$hsq" customers --db "$URL" --now "$now" "$request")
    scan=$(best "$hsq" customers --data "$file" --now "$now" "$request")
    same=same
    cmp -s <("$hsq" customers --db "$URL" --now "$now" "$request") \
        <("$hsq" customers --data "$file" --now "$now" "$request") || same=DIFFERENT
    total=$("$hsq" customers --db "$URL" --now "$now" "$request" | grep -m1 totalElements | tr -dc 0-9)
    printf '%-100s %10s %10s %7sx %s, %s matched\n' "$request" "$db" "$scan" \
        "$(awk -v a="$scan" -v b="$db" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')" "$same" "$total"
done
