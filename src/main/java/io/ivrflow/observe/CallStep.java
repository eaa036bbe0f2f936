package io.ivrflow.observe;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowCatalog;

import java.time.Instant;

/**
 * One engine step of a call, as an adapter ran it: what the journal, the call log and the metrics learn from.
 *
 * @param platform {@code plivo} or {@code wazo}
 * @param flowId   the flow the call entered (its state names the sub-flow it is in now)
 * @param release  the {@link io.ivrflow.flow.FlowRelease} the call is pinned to
 * @param before   the state the event found; null for the call's first step
 * @param event    what happened; null when the adapter itself ended the call (an error it could not go on from)
 * @param step     the engine's answer
 * @param at       when the adapter ran it
 * @param flows    the flows of that release (to tell which nodes are sensitive)
 */
public record CallStep(String platform, String flowId, String release, CallState before, Event event, Step step,
                       Instant at, FlowCatalog flows) {

    /** Keys of this step were typed at a collect node: data, not a menu choice, never logged. */
    public boolean collectedInput() {
        return before != null && before.collecting(flows);
    }

    public CallState state() {
        return step.state();
    }

    public String callId() {
        return step.state().callId();
    }

    /** The call's first step (it entered a flow, or was failed before any state existed). */
    public boolean first() {
        return before == null;
    }

    /** This step ended the IVR's part of the call. */
    public boolean ended() {
        return step.state().ended() && (before == null || !before.ended());
    }
}
