package io.ivrflow.engine;

/** How the IVR's part of a call ended. {@code target} is the extension, queue, mailbox... or a reason. */
public record Outcome(Kind kind, String target) {

    public enum Kind { TRANSFERRED, QUEUED, AGENT, VOICEMAIL, HUNG_UP, CALLER_HUNG_UP }

    /** {@code transferred:1001}, {@code queued:sales}, {@code hung-up:goodbye}: the form scenarios expect. */
    public String label() {
        String k = kind.name().toLowerCase().replace('_', '-');
        return target == null || target.isEmpty() ? k : k + ":" + target;
    }
}
