package io.ivrflow.engine;

import java.util.Map;

/** What happens to a call, as adapters and the simulator tell the engine. */
public sealed interface Event {

    /** A call arrives. {@code language} may be null (the flow's default). */
    record CallStarted(String callId, String caller, String called, String platform, String language,
                       Map<String, String> variables) implements Event {
        public CallStarted {
            variables = variables == null ? Map.of() : Map.copyOf(variables);
        }
    }

    /**
     * Keys from the caller. {@code complete == false}: keys as they are pressed (the engine runs the
     * terminator, max-digits and inter-digit rules). {@code complete == true}: a whole entry the platform
     * gathered itself (Plivo GetDigits), terminator already removed.
     */
    record Digits(String keys, boolean complete) implements Event {
        /** Keys may be a card number: never printed. */
        @Override
        public String toString() {
            return "Digits[" + keys.length() + " key(s), complete=" + complete + "]";
        }
    }

    /** The platform's first-digit timer ran out (Plivo GetDigits without input). */
    record NoInput() implements Event {
    }

    /** Every playback started so far has finished. */
    record PlaybackFinished() implements Event {
    }

    /** The instant the engine asked for ({@link CallState#wakeAt()}) has come; early ones are ignored. */
    record TimerFired() implements Event {
    }

    enum LookupStatus { FOUND, NOT_FOUND, FAILED }

    /** Answer to a {@link Action.Lookup}; {@code fields} by the names the flow's {@code assign} uses. */
    record LookupResult(String requestId, LookupStatus status, Map<String, String> fields) implements Event {
        public LookupResult {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
        }
    }

    /** Answer to a {@link Action.RecordControl}: done, or refused (e.g. calld 403) with why. */
    record RecordingChanged(boolean ok, String detail) implements Event {
    }

    enum FailureReason { BUSY, NO_ANSWER, NO_AGENTS, FAILED }

    /** A transfer, queue, agent or voicemail attempt did not take the call. */
    record TransferFailed(FailureReason reason, String detail) implements Event {
    }

    /** The call was taken (bridged, queued, in voicemail) and that part is over. */
    record TransferCompleted() implements Event {
    }

    /** The caller hung up. */
    record HangUp() implements Event {
    }
}
