#!/usr/bin/env bash
# Prompts: time to pre-generate every prompt of the example flows with the local backend (espeak-ng), where
# that time goes, and cache-hit latency (see docs/benchmarks.md, "Prompts").
#
# Usage: bench/prompts.sh [runs] [threads] [measured] [warm-up]
#   runs      pre-generations, each into a fresh temporary cache folder (default 3)
#   threads   speech threads of the Prompts bean, ivr.prompts.threads (default 2)
#   measured  cache-hit calls timed per row (default 200000)
#   warm-up   cache-hit calls before those (default 20000)
# Environment:
#   JAVA_OPTS  JVM options (e.g. "-XX:+UseParallelGC"); io.ivrflow logs at WARN (bench/log4j2-warn.properties)
#              unless they set -Dlog4j2.configurationFile
#
# Needs espeak-ng on the PATH (Debian package espeak-ng). The cache folders are under java.io.tmpdir and are
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v espeak-ng >/dev/null || { echo "no espeak-ng on the PATH (apt-get install espeak-ng)" >&2; exit 1; }
# its output (compile errors) without the colour resets Maven prints even with -B
mvn -q -B -DskipTests test-compile 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
# into a file: on stdout, Maven's colour resets (ESC[0m) end up in the first entry of the class path
out=$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt 2>&1) \
  || { printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' >&2; exit 1; }
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
echo "command: $0 $*"
echo "JVM: $(java -version 2>&1 | head -n 2 | tail -n 1)"
echo "espeak-ng: $(espeak-ng --version | head -n 1)"
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
read -r b0 t0 < <(busy); sleep 3; read -r b1 t1 < <(busy)
echo "nproc: $(nproc); machine busy in the 3 s before: $(( 100 * (b1 - b0) / (t1 - t0 > 0 ? t1 - t0 : 1) )) %;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine count too)"
# shellcheck disable=SC2086
exec java -Dlog4j2.configurationFile=bench/log4j2-warn.properties ${JAVA_OPTS:-} -cp "$CP" io.ivrflow.bench.PromptsBenchmark "$@"
