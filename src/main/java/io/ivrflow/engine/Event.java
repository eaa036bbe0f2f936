package io.ivrflow.engine;

import java.util.Map;

/**
 * What happens to a call, as adapters and the simulator tell the engine.
 *
 * <p>The engine and every reader of events (the call log) implement {@link Visitor}: a new kind of event is a new
 * method there, so none of them can leave it out and compile.
 */
public sealed interface Event {

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of event. */
    interface Visitor<R> {
        R callStarted(CallStarted started);

        R digits(Digits digits);

        R noInput(NoInput noInput);

        R playbackFinished(PlaybackFinished finished);

        R timerFired(TimerFired timer);

        R lookupResult(LookupResult result);

        R recordingChanged(RecordingChanged changed);

        R transferFailed(TransferFailed failed);

        R transferCompleted(TransferCompleted completed);

        R hangUp(HangUp hangUp);
    }

    /** A call arrives. {@code language} may be null (the flow's default). */
    record CallStarted(String callId, String caller, String called, String platform, String language,
                       Map<String, String> variables) implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.callStarted(this);
        }

        public CallStarted {
            variables = variables == null ? Map.of() : Map.copyOf(variables);
        }

        /** Without the numbers and the variables' values: adapters may log an event. */
        @Override
        public String toString() {
            return "CallStarted[callId=" + callId + ", platform=" + platform + ", language=" + language
                    + ", variables=" + new java.util.TreeSet<>(variables.keySet()) + "]";
        }
    }

    /**
     * Keys from the caller. {@code complete == false}: keys as they are pressed (the engine runs the
     * terminator, max-digits and inter-digit rules). {@code complete == true}: a whole entry the platform
     * gathered itself (Plivo GetDigits), terminator already removed.
     */
    record Digits(String keys, boolean complete) implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.digits(this);
        }

        /** Keys may be a card number: never printed. */
        @Override
        public String toString() {
            return "Digits[" + keys.length() + " key(s), complete=" + complete + "]";
        }
    }

    /** The platform's first-digit timer ran out (Plivo GetDigits without input). */
    record NoInput() implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.noInput(this);
        }

    }

    /** Every playback started so far has finished. */
    record PlaybackFinished() implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.playbackFinished(this);
        }

    }

    /** The instant the engine asked for ({@link CallState#wakeAt()}) has come; early ones are ignored. */
    record TimerFired() implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.timerFired(this);
        }

    }

    enum LookupStatus { FOUND, NOT_FOUND, FAILED }

    /** Answer to a {@link Action.Lookup}; {@code fields} by the names the flow's {@code assign} uses. */
    record LookupResult(String requestId, LookupStatus status, Map<String, String> fields) implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.lookupResult(this);
        }

        public LookupResult {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
        }
    }

    /** Answer to a {@link Action.RecordControl}: done, or refused (e.g. calld 403) with why. */
    record RecordingChanged(boolean ok, String detail) implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.recordingChanged(this);
        }

    }

    enum FailureReason { BUSY, NO_ANSWER, NO_AGENTS, FAILED }

    /** A transfer, queue, agent or voicemail attempt did not take the call. */
    record TransferFailed(FailureReason reason, String detail) implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.transferFailed(this);
        }

    }

    /** The call was taken (bridged, queued, in voicemail) and that part is over. */
    record TransferCompleted() implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.transferCompleted(this);
        }

    }

    /** The caller hung up. */
    record HangUp() implements Event {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.hangUp(this);
        }

    }
}
