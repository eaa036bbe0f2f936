package io.ivrflow.plivo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;

/** Starts, stops, pauses or resumes a call's recording on the platform, and says whether it worked. */
public interface CallRecorder {

    Event.RecordingChanged change(String callId, Action.RecordOperation operation);

    /** For an instance without Plivo API credentials: every command is refused, so flows take their fallback. */
    CallRecorder UNAVAILABLE = (callId, operation) ->
            new Event.RecordingChanged(false, "recording needs Plivo API credentials (PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN)");
}
