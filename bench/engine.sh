#!/usr/bin/env bash
# Engine steps per second on the contact-centre flow (see docs/benchmarks.md).
# Usage: bench/engine.sh [seconds-per-round] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
CP="target/test-classes:target/classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
exec java -cp "$CP" io.ivrflow.bench.EngineBenchmark "$@"
