#!/usr/bin/env bash
# Wazo bus events per second and event-to-command latency, through the real RabbitMQ and a fake calld
# (see docs/benchmarks.md, "Wazo events").
#
# Usage: bench/wazo-events.sh [calls] [warm-up-s] [measured-s] [events-per-s] [playback-ms]
#   calls        concurrent simulated calls (default 200)
#   warm-up-s    seconds before measuring (default 10)
#   measured-s   seconds measured (default 20)
#   events-per-s load offered (default 2000): each call presses a key every 3 x calls / events-per-s s on
#                average, three events per key; 0: each key as soon as the previous one is answered
#   playback-ms  length of each prompt the fake plays (default 200)
# Environment:
#   JAVA_OPTS    JVM options and -D properties (e.g. "-XX:+UseParallelGC -Xms1g -Xmx1g", -Divr.wazo.lanes=2)
#   JFR          a file name: record the measured window with Java Flight Recorder (CPU samples every ms)
#
# Needs RabbitMQ on localhost:5672 (guest/guest). The service (Camel Main with routes/*.camel.yaml), the fake
# Wazo and the simulated callers run in one JVM; the broker is a separate process on the same cores.
set -euo pipefail
cd "$(dirname "$0")/.."
(exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "no RabbitMQ on localhost:5672" >&2; exit 1; }
mvn -q -B -DskipTests test-compile
# into a file: on stdout, Maven's colour resets (ESC[0m) end up in the first entry of the class path
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine count too)"
JFR_OPT=()
[ -n "${JFR:-}" ] && JFR_OPT=("-Dbench.jfr=$(realpath -m "$JFR")")
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} "${JFR_OPT[@]}" -cp "$CP" io.ivrflow.bench.WazoEventsBenchmark "$@"
