#!/usr/bin/env bash
# Proves that ivrflow's routes run under Camel JBang: starts jbang/camel-run.sh on free ports in the background,
# waits for it, asks the business and management ports, reads the log, stops the process. Exit 0 when all holds;
# otherwise 1, with the reason and the log's tail. .ci/run calls it after the tests.
#
# What it asserts:
#   - the log is Camel JBang's (Apache Camel (JBang) ... is starting) running the project's Camel version
#   - `camel run` took every routes/*.camel.yaml as routes (none put on the classpath), and every route
#     definition of those files (plus the probe below) is started or excluded by its precondition:
#     started + excluded = defined, counted from the files, and every route without a precondition is started
#   - no route failed or is restarting, and the log has no ERROR line
#   - business port: GET /api/flows lists every example flow of flows/ as serving; POST /plivo/inspireworks/answer
#     answers Plivo XML whose GetDigits action is on that port, and posting a key to it answers the next document;
#     /observe/health and /observe/metrics are not there (404)
#   - management port: /observe/health is UP (flows check UP), /observe/metrics is Prometheus text, /api/flows is
#     not there (404); jbang/check-probe.camel.yaml, a route under /manage (so on the management port), answers
#     on the management port and not on the business one
#   - `camel get route` (the JBang CLI) shows the integration, ivrflow, with the same started routes
#   - SIGTERM stops it gracefully
#
# Time-boxed: JBANG_CHECK_START_TIMEOUT (90 s) to start; every request 10 s; JBang itself stops after 240 s.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

start_timeout=${JBANG_CHECK_START_TIMEOUT:-90}
routes_dir=${IVR_ROUTES_DIRECTORY:-routes}
probe=jbang/check-probe.camel.yaml
work=target/jbang/check
log=$work/camel-run.log
mkdir -p "$work"
rm -f "$work"/*.body "$log"

t0=$SECONDS
pid=
say() { echo "jbang-check: $*"; }

stop() {
  # stops the process group started below (camel-run.sh execs the JVM, which leads that group)
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      say "still running 30 s after SIGTERM: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  pid=
}
trap stop EXIT
trap 'exit 130' INT TERM

fail() {
  echo "jbang-check: FAILED: $*" >&2
  if [ -f "$log" ]; then
    echo "---- last 80 lines of $log ----" >&2
    tail -n 80 "$log" >&2
    echo "---- end of $log ----" >&2
  fi
  stop
  exit 1
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

# ---- prepare (build, classpath, CLI jars, properties), then start in the background
jbang/camel-run.sh --prepare || fail "jbang/camel-run.sh --prepare failed"
t_prepared=$SECONDS

http_port=$(free_port) || fail "no free port"
mgmt_port=$(free_port) || fail "no free port"
[ "$http_port" != "$mgmt_port" ] || mgmt_port=$((http_port + 1))

# the project's log format, plus the precondition decisions (which routes are left out, and why)
log_config=$work/log4j2.properties
{ cat src/main/resources/log4j2.properties; echo
  echo "logger.preconditions.name = org.apache.camel.impl.PreconditionHelper"
  echo "logger.preconditions.level = TRACE"; } > "$log_config"

say "starting the routes under Camel JBang: business port $http_port, management port $mgmt_port, log $log"
# setsid: its own process group, so stop() ends exactly what was started here
setsid jbang/camel-run.sh \
  --port="$http_port" --management-port="$mgmt_port" --max-seconds=240 \
  --logging-config-path="$log_config" \
  --prop=ivr.prompts.pregenerate-on-start=false \
  --prop=ivr.plivo.signature-check=false \
  --prop=ivr.prompts.cache-directory="$work/prompt-cache" \
  "$probe" > "$log" 2>&1 < /dev/null &
pid=$!

# ---- wait until the routes are started and health answers
deadline=$((SECONDS + start_timeout))
until grep -q "Routes startup (total:" "$log" 2>/dev/null \
      && curl -fsS --max-time 5 -o /dev/null "http://localhost:$mgmt_port/observe/health" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { pid_rc=0; wait "$pid" || pid_rc=$?; pid=; fail "camel run exited (status $pid_rc) before the routes started"; }
  [ $SECONDS -lt $deadline ] || fail "the routes did not start within ${start_timeout} s"
  sleep 1
done
t_started=$SECONDS
say "routes started in $((t_started - t_prepared)) s (prepare took $((t_prepared - t0)) s)"

# ---- the log: Camel JBang, the project's Camel version
camel_version=$(sed -n 's:.*<camel.version>\(.*\)</camel.version>.*:\1:p' pom.xml | head -n 1)
grep -Eq "Apache Camel \(JBang\) [0-9.]+ is starting" "$log" || fail "the log does not say Apache Camel (JBang) is starting"
grep -Fq "Apache Camel $camel_version (ivrflow) started" "$log" \
  || fail "the log does not say Apache Camel $camel_version (ivrflow) started (the project's Camel version)"

# ---- every route file taken as routes by camel run
settings=.camel-jbang/camel-jbang-run.properties
[ -f "$settings" ] || fail "$settings (written by camel run) is missing"
files=("$routes_dir"/*.camel.yaml "$probe")
for f in "${files[@]}"; do
  grep -E '^camel\.main\.routesIncludePattern=' "$settings" | grep -Fq "file\\:$f" \
    || fail "camel run did not take $f as routes (see camel.jbang.classpathFiles in $settings: JBang loads a YAML file as routes only when its text holds - route:, - from:, - beans: or - routeTemplate)"
done
if grep -E "Additional files added to classpath:.*\.camel\.yaml" "$log"; then
  fail "camel run put route files on the classpath instead of loading them"
fi

# ---- route definitions in the files vs routes started / excluded by a precondition
# a definition: a top-level "- route:", "- from:" or "- templatedRoute:" item; a "- route:" item's id and whether
# it has a precondition (Kaoto's canonical layout: top-level items at column 0, their keys indented 4)
defs=$(awk '
  function flush() { if (kind != "") print kind, (id == "" ? "-" : id), pre; kind = "" }
  FNR == 1 { flush() }
  /^- / { flush(); k = $2; if (k == "route:" || k == "from:" || k == "templatedRoute:") { kind = k; id = ""; pre = 0 } ; next }
  kind == "route:" && id == "" && /^    id:/ { id = $2; gsub(/"/, "", id) }
  kind == "templatedRoute:" && id == "" && /^    routeId:/ { id = $2; gsub(/"/, "", id) }
  kind != "" && /^    precondition:/ { pre = 1 }
  END { flush() }' "${files[@]}")
defined=$(printf '%s\n' "$defs" | grep -c . || true)
summary=$(grep -m1 -o "Routes startup (total:[^)]*)" "$log")
total=$(sed -n 's/.*total:\([0-9]*\).*/\1/p' <<< "$summary")
started=$(sed -n 's/.*started:\([0-9]*\).*/\1/p' <<< "$summary")
excluded=$(grep -c "The precondition has been evaluated to false, consequently the Route\[" "$log" || true)
say "$summary; route definitions in ${#files[@]} files: $defined; excluded by a precondition: $excluded"
[ "$summary" = "Routes startup (total:$total started:$total)" ] || fail "not every route started: $summary"
[ "$defined" -gt 0 ] || fail "no route definition found in $routes_dir/*.camel.yaml"
[ $((started + excluded)) -eq "$defined" ] \
  || fail "$defined route definitions in the files, but $started started and $excluded excluded by a precondition"
while read -r kind id pre; do
  if [ "$kind" != "route:" ] || [ "$id" = "-" ] || [ "$pre" != 0 ]; then continue; fi
  grep -Eq " - +Started $id \(" "$log" || fail "route $id (no precondition) did not start"
done <<< "$defs"
grep -Eq " - +Started jbang-check-management-probe \(" "$log" || fail "the probe route did not start"

# ---- HTTP
# req NAME EXPECTED_STATUS METHOD URL [curl args...]: the body is in $work/NAME.body, the content type in $ctype
req() {
  local name=$1 want=$2 method=$3 url=$4 out
  shift 4
  out=$(curl -sS --max-time 10 -X "$method" -o "$work/$name.body" -w '%{http_code} %{content_type}' "$@" "$url") \
    || fail "$method $url: no answer"
  code=${out%% *}; ctype=${out#* }
  [ "$code" = "$want" ] || fail "$method $url answered $code, not $want: $(head -c 300 "$work/$name.body")"
}
has() { grep -Fq -- "$2" "$work/$1.body" || fail "$1: the answer lacks $2: $(head -c 400 "$work/$1.body")"; }

biz=http://localhost:$http_port
mgmt=http://localhost:$mgmt_port

req flows 200 GET "$biz/api/flows"
[[ $ctype == application/json* ]] || fail "/api/flows: content type $ctype"
flow_files=0
for f in flows/*.json; do
  case $f in *.schema.json|*.scenarios.json) continue ;; esac
  flow_files=$((flow_files + 1))
  has flows "\"file\":\"$f\""
done
has flows "\"serving\":$flow_files,"
has flows '"id":"inspireworks"'
has flows '"id":"contact-centre"'

form=(-H 'Content-Type: application/x-www-form-urlencoded'
      --data 'CallUUID=jbang-check-1&From=%2B15550100000&To=%2B15550199999&Direction=inbound&CallStatus=in-progress')
req answer 200 POST "$biz/plivo/inspireworks/answer" "${form[@]}"
[[ $ctype == application/xml* ]] || fail "/plivo/inspireworks/answer: content type $ctype"
has answer "<Response>"
has answer "<GetDigits action=\"$biz/plivo/inspireworks/"
action=$(grep -o '<GetDigits action="[^"]*"' "$work/answer.body" | head -n 1 | sed 's/^<GetDigits action="//; s/"$//; s/&amp;/\&/g')
req input 200 POST "$action" -H 'Content-Type: application/x-www-form-urlencoded' --data 'CallUUID=jbang-check-1&Digits=1'
has input "<Response>"

req health 200 GET "$mgmt/observe/health"
has health '"status":"UP"'
has health '{"name":"flows","status":"UP"}'
req metrics 200 GET "$mgmt/observe/metrics"
has metrics 'routeId="flows-api"'
req probe 200 GET "$mgmt/manage/jbang-check"
has probe "management port"

req biz-health 404 GET "$biz/observe/health"
req biz-metrics 404 GET "$biz/observe/metrics"
req biz-probe 404 GET "$biz/manage/jbang-check"
req mgmt-flows 404 GET "$mgmt/api/flows"

# ---- the Camel JBang CLI sees the integration and its routes (camel get route reads what the running one reports)
cli=$(java -cp 'jbang/lib/*' jbang/CamelCli.java get route 2>&1) || fail "camel get route failed: $cli"
cli_started=$(awk -v p="$pid" '$1 == p && $2 == "ivrflow" && / Started /' <<< "$cli" | wc -l)
[ "$cli_started" -eq "$started" ] || fail "camel get route shows $cli_started started routes of PID $pid, not $started: $cli"

# ---- nothing went wrong on the way
if grep -E "^[0-9:.]+ ERROR " "$log"; then fail "ERROR lines in the log"; fi

# ---- graceful stop
kill -TERM -- "-$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$pid" 2>/dev/null && fail "still running 30 s after SIGTERM"
wait "$pid" 2>/dev/null || true
pid=
grep -Eq "Apache Camel [0-9.]+ \(ivrflow\) shutdown in " "$log" || fail "no graceful shutdown in the log"

say "OK: Camel JBang ran $started routes from ${#files[@]} route files ($excluded left out by their precondition), answered on both ports and stopped; $((SECONDS - t0)) s in all"
