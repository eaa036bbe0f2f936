package io.ivrflow.wazo;

import io.ivrflow.engine.CallState;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the adapter knows of one call on Wazo besides the engine's state: the prompts still to play, the
 * playback under way, the hand-off in progress. Only the call's lane ({@link CallLanes}) touches it.
 */
public final class WazoCall {

    /** A prompt file (or {@code digits:}, {@code tone:} ...) to play, in Wazo's language form ({@code en_US}). */
    public record Playback(String uri, String language) {
    }

    /** {@link #playing} while calld has not yet said which playback it started. */
    static final String STARTING = "";

    final String callId;
    final String application;
    final String flowId;
    /** The release of the flows the call started on: it runs on it to the end. */
    final String release;
    final Instant started;
    final String caller;
    CallState state;
    Instant touched;

    boolean answered;
    /** Prompts to play, in order; one whose audio is still being made (dynamic words) holds the ones after it. */
    final Deque<CompletableFuture<Playback>> queue = new ArrayDeque<>();
    /** The playback under way: its uuid, {@link #STARTING}, or null when nothing plays. */
    String playing;
    /** A key stopped the prompt while calld was still starting it: stop it as soon as its uuid is known. */
    boolean stopWhenStarted;
    /** Playbacks calld reported finished before its answer to the start arrived. */
    final Set<String> finishedEarly = new HashSet<>();
    /** The engine hung up while prompts were still to play: hang up after them. */
    boolean hangUpAfterPrompts;
    boolean hangingUp;

    /** Hand-off: the node (bridge) holding the caller, the call made into it, and whether it took. */
    String node;
    String leg;
    boolean handedOff;
    boolean musicOnHold;

    Timers.Timer timer;
    Timers.Timer ringTimer;

    WazoCall(String callId, String application, String flowId, String release, String caller, Instant now) {
        this.callId = callId;
        this.application = application;
        this.flowId = flowId;
        this.release = release;
        this.caller = caller;
        this.started = now;
        this.touched = now;
    }

    public String callId() {
        return callId;
    }

    public String flowId() {
        return flowId;
    }

    public CallState state() {
        return state;
    }

    public Instant touched() {
        return touched;
    }

    void cancelTimers() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (ringTimer != null) {
            ringTimer.cancel();
            ringTimer = null;
        }
    }
}
