package io.ivrflow.plivo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;

/**
 * Call recording through Plivo's Call API. Plivo cannot pause a recording: pause stops it and resume
 * starts a new file, so a card number typed in between is never recorded.
 */
public final class PlivoRecorder implements CallRecorder {

    private final PlivoApi api;

    public PlivoRecorder(PlivoApi api) {
        this.api = api;
    }

    @Override
    public Event.RecordingChanged change(String callId, Action.RecordOperation operation) {
        if (api == null || !api.configured()) {
            return UNAVAILABLE.change(callId, operation);
        }
        boolean start = operation == Action.RecordOperation.START || operation == Action.RecordOperation.RESUME;
        PlivoApi.Result r = start ? api.startRecording(callId) : api.stopRecording(callId);
        return new Event.RecordingChanged(r.ok(), r.ok() ? "ok" : "Plivo answered " + r.status() + ": " + r.error());
    }
}
