package io.ivrflow.observe;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.TraceEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last calls this instance handled: where each went (node trace), where it is, how it ended. For
 * operators and tests; the calls themselves never depend on it (a Plivo call's state travels with the call,
 * and another instance may answer its next webhook).
 */
public final class CallJournal {

    /**
     * One call as this instance saw it. {@code last} is the latest state (printing it masks secrets); {@code release}
     * the flows' release the call runs on.
     */
    public record Entry(String callId, String platform, String flowId, Instant started, List<TraceEntry> trace,
                        CallState last, String release) {
    }

    private static final class Call {
        final String platform;
        final String flowId;
        final Instant started;
        final List<TraceEntry> trace = new ArrayList<>();
        CallState last;
        String release;

        Call(String platform, String flowId, Instant started) {
            this.platform = platform;
            this.flowId = flowId;
            this.started = started;
        }
    }

    /** Node entries kept per call: the engine ends a call after 1,000 anyway; this bounds memory under replays. */
    public static final int MAX_TRACE = 1_000;

    private final int capacity;
    private final CallMetrics metrics;
    private final Map<String, Call> calls;

    /** A journal of the last 10,000 calls that counts into {@code metrics}. */
    public CallJournal(CallMetrics metrics) {
        this(metrics, 10_000);
    }

    public CallJournal(CallMetrics metrics, int capacity) {
        this.metrics = metrics;
        this.capacity = capacity;
        this.calls = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
                return size() > CallJournal.this.capacity;
            }
        };
    }

    /**
     * Records a step of a call (the first one creates the entry), writes its line in the call log and counts it
     * in the metrics.
     */
    public void record(CallStep s) {
        CallState state = s.step().state();
        if (state == null) {
            return;
        }
        synchronized (this) {
            Call c = calls.computeIfAbsent(state.callId(), id -> new Call(s.platform(), s.flowId(), s.at()));
            for (TraceEntry t : s.step().trace()) {
                if (c.trace.size() >= MAX_TRACE) {
                    break;
                }
                c.trace.add(t);
            }
            c.last = state;
            c.release = s.release();
        }
        CallLog.write(s);
        metrics.step(s);
    }

    public CallMetrics metrics() {
        return metrics;
    }

    public synchronized Optional<Entry> find(String callId) {
        Call c = calls.get(callId);
        return c == null ? Optional.empty()
                : Optional.of(new Entry(callId, c.platform, c.flowId, c.started, List.copyOf(c.trace), c.last,
                c.release));
    }

    public synchronized int size() {
        return calls.size();
    }
}
