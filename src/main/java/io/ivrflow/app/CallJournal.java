package io.ivrflow.app;

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

    /** One call as this instance saw it. {@code last} is the latest state (printing it masks secrets). */
    public record Entry(String callId, String platform, String flowId, Instant started, List<TraceEntry> trace,
                        CallState last) {
    }

    private static final class Call {
        final String platform;
        final String flowId;
        final Instant started;
        final List<TraceEntry> trace = new ArrayList<>();
        CallState last;

        Call(String platform, String flowId, Instant started) {
            this.platform = platform;
            this.flowId = flowId;
            this.started = started;
        }
    }

    /** Node entries kept per call: the engine ends a call after 1,000 anyway; this bounds memory under replays. */
    public static final int MAX_TRACE = 1_000;

    private final int capacity;
    private final Map<String, Call> calls;

    public CallJournal() {
        this(10_000);
    }

    public CallJournal(int capacity) {
        this.capacity = capacity;
        this.calls = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Call> eldest) {
                return size() > CallJournal.this.capacity;
            }
        };
    }

    /** Records a step of a call (the first one creates the entry). */
    public synchronized void record(String platform, String flowId, CallState state, List<TraceEntry> trace,
                                    Instant now) {
        if (state == null) {
            return;
        }
        Call c = calls.computeIfAbsent(state.callId(), id -> new Call(platform, flowId, now));
        for (TraceEntry t : trace) {
            if (c.trace.size() >= MAX_TRACE) {
                break;
            }
            c.trace.add(t);
        }
        c.last = state;
    }

    public synchronized Optional<Entry> find(String callId) {
        Call c = calls.get(callId);
        return c == null ? Optional.empty()
                : Optional.of(new Entry(callId, c.platform, c.flowId, c.started, List.copyOf(c.trace), c.last));
    }

    public synchronized int size() {
        return calls.size();
    }
}
