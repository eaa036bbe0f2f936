package io.ivrflow.engine;

import java.util.List;

/** The engine's answer to one event: the next state, what to do, and the nodes entered. */
public record Step(CallState state, List<Action> actions, List<TraceEntry> trace) {

    public Step {
        actions = List.copyOf(actions);
        trace = List.copyOf(trace);
    }
}
