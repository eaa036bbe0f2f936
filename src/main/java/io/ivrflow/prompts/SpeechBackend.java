package io.ivrflow.prompts;

import java.util.Optional;

/** Something that turns words into audio. */
public interface SpeechBackend {

    /** Short stable name, part of every cache key: {@code polly}, {@code local}. */
    String name();

    /** The exact request this backend would make for {@code r}, or empty when it cannot say it (no voice for the language). */
    Optional<SpeechSpec> spec(SpeechRequest r);

    /** The audio, in {@code spec.format()} at {@code spec.sampleRate()}. */
    byte[] synthesise(SpeechSpec spec) throws SpeechException;

    /** Why a synthesis failed, and whether trying again later may work (throttling, a peer down). */
    final class SpeechException extends Exception {
        private final boolean retryable;

        public SpeechException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public SpeechException(String message, boolean retryable) {
            this(message, retryable, null);
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
