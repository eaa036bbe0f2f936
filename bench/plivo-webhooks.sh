#!/usr/bin/env bash
# Signed Plivo webhooks per second against the real service (see docs/benchmarks.md, "Plivo webhooks").
#
# Usage: bench/plivo-webhooks.sh [duration] [connections] [mix...]
#   duration     of each measured run, wrk syntax (default 20s)
#   connections  wrk connections (default 64)
#   mix          answer, digits and/or mixed (default: all three, in that order)
# Environment:
#   JAVA_OPTS      extra JVM options and -D properties for the service (e.g. "-XX:+UseParallelGC -Xmx1g")
#   WRK_THREADS    wrk threads (default 2)
#   WARMUP         warm-up run on the mixed set before measuring (default 15s; 0 for none)
#   CALLS          calls prepared (default 2000: 2000 answers, 4000 key presses)
#   CHECK          "check" (default: Lua looks at every answer's status and Content-Type) or "nocheck"
#   JFR            a file name: record the measured runs with Java Flight Recorder into it
#   KEEP           1: keep the work directory (service log, request files) after the run
#
# The service runs from target/ivrflow.jar with signature checks on (PLIVO_AUTH_TOKEN set), on free ports of
# 127.0.0.1, with its public URL set to the URL wrk calls so that the signatures match. wrk and the service
# share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-20s}
CONNECTIONS=${2:-64}
shift $(( $# > 2 ? 2 : $# ))
MIXES=("$@")
[ ${#MIXES[@]} -eq 0 ] && MIXES=(answer digits mixed)
WRK_THREADS=${WRK_THREADS:-2}
WARMUP=${WARMUP:-15s}
CALLS=${CALLS:-2000}
CHECK=${CHECK:-check}
TOKEN=bench-auth-token-0123456789abcdef

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (Debian package)"
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "wrk is missing: apt-get install wrk" >&2
    exit 1
  fi
fi

# the jar when it is missing or older than a source; the request generator is a test class
if [ ! -f target/ivrflow.jar ] || [ -n "$(find src/main pom.xml -newer target/ivrflow.jar -print -quit)" ]; then
  echo "building target/ivrflow.jar"
  mvn -q -B -DskipTests package
else
  mvn -q -B -DskipTests test-compile
fi
CP="target/test-classes:target/classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
}
HTTP_PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)
while [ "$MANAGEMENT_PORT" = "$HTTP_PORT" ]; do MANAGEMENT_PORT=$(free_port); done
BASE=http://127.0.0.1:$HTTP_PORT
WORK=$(mktemp -d /tmp/plivo-bench.XXXXXX)

SERVICE_PID=
stop_service() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap stop_service EXIT

echo "service: $BASE (management $MANAGEMENT_PORT), JAVA_OPTS=${JAVA_OPTS:-}, log $WORK/service.log"
# shellcheck disable=SC2086
PLIVO_AUTH_TOKEN=$TOKEN IVR_HTTP_HOST=127.0.0.1 IVR_HTTP_PORT=$HTTP_PORT IVR_MANAGEMENT_PORT=$MANAGEMENT_PORT \
  IVR_PLIVO_PUBLIC_URL=$BASE \
  java -Divr.plivo.token-secret=bench-state-secret -Divr.plivo.sip-domain=bench.sip.example ${JAVA_OPTS:-} -jar target/ivrflow.jar >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/observe/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "the service stopped:" >&2; tail -20 "$WORK/service.log" >&2; exit 1; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/observe/health" >/dev/null || { echo "no health after 60 s" >&2; exit 1; }
grep -q "signatures are NOT checked" "$WORK/service.log" && { echo "signature checks are off" >&2; exit 1; }

java -cp "$CP" io.ivrflow.bench.PlivoWebhookRequests "$BASE" "$TOKEN" "$WORK" "$CALLS"

# a request with a wrong signature must be refused, or the figures say nothing about signature checks
forged=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/plivo/inspireworks/answer" \
  -H 'X-Plivo-Signature-V3-Nonce: 12345' -H 'X-Plivo-Signature-V3: Zm9yZ2Vk' -d 'CallUUID=forged')
[ "$forged" = 403 ] || { echo "a forged webhook got $forged, not 403" >&2; exit 1; }
echo "signature check: a forged webhook gets 403"

run_wrk() { # duration file check
  local me=$BASHPID
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" --timeout 5s --latency -s bench/plivo-webhooks.lua "$BASE" -- "$2" "$3"
  # CPU time of wrk (a reaped child of this subshell): user and system ticks
  echo "WRKCPU $(awk '{print $16 + $17}' "/proc/$me/stat")"
}
service_ticks() { awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat"; }
gc_counts() { # young-collections pause-ms of the service so far (all collectors)
  jstat -gcutil "$SERVICE_PID" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%d %.0f\n", $col["YGC"] + $col["FGC"], ($col["YGCT"] + $col["FGCT"]) * 1000 }'
}
TICK=$(getconf CLK_TCK)

if [ "$WARMUP" != 0 ]; then
  echo "warm-up: $WARMUP of the mixed set"
  run_wrk "$WARMUP" "$WORK/mixed.tsv" nocheck | grep '^RESULT' | sed 's/^RESULT/  warm-up/'
fi

if [ -n "${JFR:-}" ]; then
  # the profile settings, with CPU samples every millisecond instead of 10/20 ms
  JAVA_HOME_DIR=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
  sed -e '/method-sampling-[a-z]*-interval/s|>[0-9]* ms<|>1 ms<|' \
    "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$WORK/sampling.jfc"
  jcmd "$SERVICE_PID" JFR.start name=bench settings="$WORK/sampling.jfc" filename="$(realpath -m "$JFR")" >/dev/null
  echo "recording JFR into $JFR (summary: bench/jfr-top.py $JFR)"
fi

SUMMARY=()
for mix in "${MIXES[@]}"; do
  echo
  echo "== $mix: $(wc -l <"$WORK/$mix.tsv") prepared requests, $WRK_THREADS threads, $CONNECTIONS connections, $DURATION"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine count too)"
  lines_before=$(wc -l <"$WORK/service.log")
  ticks_before=$(service_ticks)
  read -r gcs_before gcms_before < <(gc_counts)
  out=$(run_wrk "$DURATION" "$WORK/$mix.tsv" "$CHECK")
  ticks=$(( $(service_ticks) - ticks_before ))
  read -r gcs gcms < <(gc_counts)
  echo "$out" | grep -v '^RESULT\|^WRKCPU'
  result=$(echo "$out" | grep '^RESULT')
  wrk_ticks=$(echo "$out" | sed -n 's/^WRKCPU //p')
  requests=$(echo "$result" | sed -n 's/.* requests=\([0-9]*\).*/\1/p')
  cpu=$(awk -v t="$ticks" -v w="$wrk_ticks" -v n="$requests" -v hz="$TICK" \
    'BEGIN { printf "service_cpu_us=%.0f wrk_cpu_us=%.0f", t / hz * 1e6 / n, w / hz * 1e6 / n }')
  cpu="$cpu gcs=$(( gcs - gcs_before )) gc_pause_ms=$(( gcms - gcms_before ))"
  echo "CPU per request and GC: $cpu; service log lines written: $(( $(wc -l <"$WORK/service.log") - lines_before ))"
  SUMMARY+=("$(printf '%-7s %s %s' "$mix" "${result#RESULT }" "$cpu")")
done

if [ -n "${JFR:-}" ]; then
  jcmd "$SERVICE_PID" JFR.stop name=bench >/dev/null
  echo "JFR recording: $JFR"
fi

echo
echo "summary ($CONNECTIONS connections, $DURATION per run, JAVA_OPTS=${JAVA_OPTS:-none}):"
for s in "${SUMMARY[@]}"; do
  echo "  $s"
done
failed=0
for s in "${SUMMARY[@]}"; do
  if [[ "$s" != *"non200=0 notxml=0 socket_errors=0"* ]]; then failed=1; fi
done
if [ "$failed" = 1 ]; then
  echo "some answers were not 200 application/xml, or sockets failed: see above" >&2
  exit 1
fi
