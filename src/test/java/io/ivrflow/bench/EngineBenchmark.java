package io.ivrflow.bench;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Engine steps per second on the contact-centre flow, one thread. A plain main (see docs/benchmarks.md):
 * it plays the platform, answering each state the way a real one would (playback finished, keys, lookup
 * results, recording confirmations, transfer completed), so every call walks lookup, condition, schedule,
 * language, menus, set, record, queue or sub-flow nodes.
 *
 * <p>Run: {@code bench/engine.sh [seconds-per-round] [rounds]}
 */
public final class EngineBenchmark {

    /** Keys a caller presses, in order, per call variant (English/Spanish; sales, support, billing). */
    private static final List<List<String>> CALLERS = List.of(
            List.of("1", "1"),
            List.of("2", "2", "1"),
            List.of("1", "9", "2", "*", "1"),
            List.of("1", "3", "4111111111111111#", "1228"));

    private static final Instant MONDAY_10AM_NEW_YORK = Instant.parse("2026-11-23T15:00:00Z");

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        FlowCatalog flows = FlowFiles.load(new FlowLoader(), Path.of("flows")).catalog();
        Engine engine = new Engine(flows);
        System.out.printf("engine benchmark: contact-centre flow, %d caller variants, 1 thread, %s%n",
                CALLERS.size(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        for (List<String> keys : CALLERS) {
            CallState end = run(engine, "check", keys).state();
            System.out.printf("  caller %-34s -> %s after %d node entries%n", keys, end.outcome().label(), end.entries());
        }
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        long sink = 0;
        while (System.nanoTime() < warmEnd) {
            sink += calls(engine, 1000)[0];
        }
        List<Double> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            long steps = 0;
            long callCount = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long[] sc = calls(engine, 1000);
                steps += sc[0];
                callCount += sc[1];
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double rate = steps / elapsed;
            results.add(rate);
            System.out.printf("round %d: %,.0f steps/s  (%,.0f calls/s, %.1f steps per call)%n", r, rate,
                    callCount / elapsed, (double) steps / callCount);
        }
        Collections.sort(results);
        System.out.printf("median: %,.0f engine steps/s (min %,.0f, max %,.0f)  [sink %d]%n",
                results.get(results.size() / 2), results.get(0), results.get(results.size() - 1), sink % 10);
    }

    /** Runs {@code n} calls; returns {steps, calls}. */
    private static long[] calls(Engine engine, int n) {
        long steps = 0;
        for (int i = 0; i < n; i++) {
            List<String> keys = CALLERS.get(i % CALLERS.size());
            steps += call(engine, "bench-" + i, keys);
        }
        return new long[] {steps, n};
    }

    private static int call(Engine engine, String callId, List<String> keys) {
        return run(engine, callId, keys).steps();
    }

    /** How a call ended and how many engine steps it took. */
    private record Finished(CallState state, int steps) {
    }

    private static Finished run(Engine engine, String callId, List<String> keys) {
        Instant now = MONDAY_10AM_NEW_YORK;
        Step step = engine.start("contact-centre", new Event.CallStarted(callId, "+15550100000", "+15550199999",
                "bench", null, Map.of()), now);
        int steps = 1;
        int nextKey = 0;
        CallState s = step.state();
        while (!s.ended() && steps < 200) {
            now = now.plusMillis(1500);
            Event e = switch (s.phase()) {
                case PLAYING -> new Event.PlaybackFinished();
                case COLLECTING -> nextKey < keys.size() ? new Event.Digits(keys.get(nextKey++), false)
                        : new Event.TimerFired();
                case LOOKING_UP -> new Event.LookupResult(s.pendingRequest(), Event.LookupStatus.FOUND,
                        Map.of("name", "Ada", "vip", "false", "/status", "approved", "/reference", "R1"));
                case RECORDING -> new Event.RecordingChanged(true, "ok");
                case CONNECTING -> new Event.TransferCompleted();
                case ENDED -> throw new IllegalStateException();
            };
            if (e instanceof Event.TimerFired) {
                now = s.wakeAt();
            }
            s = engine.handle(s, e, now).state();
            steps++;
        }
        return new Finished(s, steps);
    }
}
