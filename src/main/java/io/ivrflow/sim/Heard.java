package io.ivrflow.sim;

import java.time.Instant;

/** A prompt the simulated caller heard (or began to hear, when {@code interrupted}). */
public record Heard(Instant at, String nodeId, String language, String voice, String text, boolean interrupted) {

    Heard interrupt() {
        return new Heard(at, nodeId, language, voice, text, true);
    }
}
