package io.ivrflow.engine;

import io.ivrflow.flow.InputSpec;

import java.time.Duration;
import java.util.Map;

/**
 * What an adapter must do on the platform; the engine never does I/O itself.
 *
 * <p>Every driver (Plivo, Wazo, the simulator) implements {@link Visitor}: a new kind of action is a new method
 * there, so no driver can leave it out and compile (ActionAndEventKindsTest checks that each kind has its method).
 */
public sealed interface Action {

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of action. */
    interface Visitor<R> {
        R say(Say say);

        R stopPlayback(StopPlayback stop);

        R collectDigits(CollectDigits collect);

        R transfer(Transfer transfer);

        R enqueue(Enqueue enqueue);

        R voicemail(Voicemail voicemail);

        R recordControl(RecordControl record);

        R lookup(Lookup lookup);

        R setVariable(SetVariable set);

        R hangUp(HangUp hangUp);
    }

    /**
     * Say or play a prompt.
     *
     * @param bargeIn a key may stop it (it belongs to the input that follows)
     */
    record Say(RenderedPrompt prompt, boolean bargeIn) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.say(this);
        }

    }

    /** Stop what is playing (the caller pressed a key during a prompt that allows it). */
    record StopPlayback() implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.stopPlayback(this);
        }

    }

    /**
     * Read keys after the prompts just given. Adapters that gather digits themselves (Plivo) use the spec;
     * others feed keys one by one and wake the engine at {@link CallState#wakeAt()}.
     */
    record CollectDigits(String nodeId, InputSpec spec, boolean sensitive) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.collectDigits(this);
        }

    }

    enum Destination { EXTENSION, NUMBER, SIP, AGENT }

    /** Connect the caller; success ends the IVR's part, failure comes back as {@link Event.TransferFailed}. */
    record Transfer(Destination kind, String destination, String context, String callerId, Duration timeout)
            implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.transfer(this);
        }

    }

    /** Put the caller in a queue; the adapter decides whether anyone can answer. */
    record Enqueue(String queue, Duration timeout) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.enqueue(this);
        }

    }

    /** Leave the caller in a mailbox. */
    record Voicemail(String mailbox, Duration maxLength) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.voicemail(this);
        }

    }

    enum RecordOperation { START, STOP, PAUSE, RESUME }

    record RecordControl(RecordOperation operation) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.recordControl(this);
        }

    }

    /** Ask a service; answer with {@link Event.LookupResult} carrying the same request id. */
    record Lookup(String requestId, String nodeId, String source, Map<String, String> params, Duration timeout)
            implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.lookup(this);
        }

        public Lookup {
            params = Map.copyOf(params);
        }
    }

    /** A variable changed; adapters that keep call data (Wazo call variables) may mirror it. */
    record SetVariable(String name, String value, boolean sensitive) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.setVariable(this);
        }

        @Override
        public String toString() {
            return "SetVariable[" + name + "=" + (sensitive ? "****" : value) + "]";
        }
    }

    /** End the call. */
    record HangUp(String reason) implements Action {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.hangUp(this);
        }

    }
}
