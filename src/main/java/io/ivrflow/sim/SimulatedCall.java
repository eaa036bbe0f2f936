package io.ivrflow.sim;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Outcome;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.engine.Step;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.FlowCatalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One call through the engine on a virtual clock, with a simulated platform that plays prompts for a
 * length estimated from their words, runs the engine's timers, and answers lookups, transfers and
 * recording commands as its {@link World} says. Nothing sleeps: a ten-minute call takes milliseconds.
 */
public final class SimulatedCall {

    /** Time between two keys of one {@code press}. */
    public static final Duration KEY_GAP = Duration.ofMillis(250);
    /** Speaking rate used to estimate how long a prompt plays. */
    public static final Duration PER_WORD = Duration.ofMillis(400);
    /** Assumed length of a recorded file (the simulator does not read audio). */
    public static final Duration AUDIO_LENGTH = Duration.ofSeconds(5);
    /** A call still running after this much virtual time is reported as stuck. */
    public static final Duration MAX_CALL = Duration.ofHours(2);

    private final Engine engine;
    private final FlowCatalog flows;
    private final World world;
    private final Instant startedAt;
    private final PriorityQueue<Scheduled> pending = new PriorityQueue<>();
    private final List<Heard> heard = new ArrayList<>();
    private final List<TraceEntry> trace = new ArrayList<>();
    private final List<String> timeline = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private CallState state;
    private Instant now;
    private Instant playingUntil;
    private long sequence;
    private boolean stuck;
    /** Prompts before this index have been played to their end or stopped. */
    private int playedUpTo;
    private final java.util.Map<String, Integer> lookupsDone = new java.util.HashMap<>();

    private record Scheduled(Instant at, long seq, Event event, String kind) implements Comparable<Scheduled> {
        public int compareTo(Scheduled o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    SimulatedCall(Engine engine, FlowCatalog flows, World world, Instant at) {
        this.engine = engine;
        this.flows = flows;
        this.world = world;
        this.startedAt = at;
        this.now = at;
        this.playingUntil = at;
    }

    /** Starts a call; {@code startNode} null means the flow's start. */
    public static SimulatedCall start(Engine engine, FlowCatalog flows, World world, String flowId, String startNode,
                                      Event.CallStarted call, Instant at) {
        SimulatedCall sim = new SimulatedCall(engine, flows, world, at);
        sim.log("call from " + call.caller() + " to " + call.called() + " (flow " + flowId + ")");
        sim.events.add(call);
        sim.apply(engine.startAt(flowId, startNode, call, at));
        return sim;
    }

    // ---------------------------------------------------------------- what the caller does

    /**
     * The caller presses keys, {@link #KEY_GAP} apart, or {@code gap} apart when given. Unless
     * {@code interrupt}, the caller first waits until the IVR listens for keys (its prompt is over);
     * with {@code interrupt}, the first key goes at once, over whatever is playing.
     */
    public void press(String keys, boolean interrupt, Duration gap) {
        if (!interrupt) {
            untilListening();
        }
        Duration between = gap == null ? KEY_GAP : gap;
        for (int i = 0; i < keys.length() && !ended(); i++) {
            if (i > 0) {
                advanceTo(now.plus(between));
            }
            boolean secret = state.collectingSensitive(flows);
            log("caller presses " + (secret ? "*" : keys.charAt(i)));
            deliver(new Event.Digits(String.valueOf(keys.charAt(i)), false));
        }
    }

    public void press(String keys) {
        press(keys, false, null);
    }

    /**
     * Lets the call run until the IVR listens for keys, the call ends, or nothing more is due: prompts play to
     * their end, lookups and transfers answer. A caller taking turns (the web console) sees the call here.
     */
    public void untilListening() {
        while (!ended() && state.phase() != CallState.Phase.COLLECTING && !pending.isEmpty()) {
            advanceTo(pending.peek().at());
        }
    }

    /**
     * The caller stays silent until the next thing the call waits for happens (a no-input or inter-digit timer,
     * the end of a prompt), then until the IVR listens again.
     */
    public void staySilent() {
        if (!ended() && !pending.isEmpty()) {
            advanceTo(pending.peek().at());
        }
        untilListening();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The virtual instant the call is at. */
    public Instant now() {
        return now;
    }

    /** Lets time pass, with everything due in the meantime happening. */
    public void waitFor(Duration d) {
        advanceTo(now.plus(d));
    }

    public void hangUp() {
        if (!ended()) {
            log("caller hangs up");
            deliver(new Event.HangUp());
        }
    }

    /** Runs the call to its end with a silent caller. */
    public void finish() {
        while (!ended() && !pending.isEmpty()) {
            Scheduled next = pending.peek();
            if (Duration.between(startedAt, next.at()).compareTo(MAX_CALL) > 0) {
                break;
            }
            advanceTo(next.at());
        }
        if (!ended()) {
            stuck = true;
            log("call is stuck: nothing more will happen (phase " + state.phase() + " at " + state.nodeId() + ")");
        }
    }

    // ---------------------------------------------------------------- what the call looks like

    public boolean ended() {
        return state.ended();
    }

    public boolean stuck() {
        return stuck;
    }

    public CallState state() {
        return state;
    }

    public Outcome outcome() {
        return state.outcome();
    }

    public List<Heard> heard() {
        return Collections.unmodifiableList(heard);
    }

    public List<TraceEntry> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** Node ids entered, in order. */
    public List<String> nodes() {
        return trace.stream().map(TraceEntry::nodeId).toList();
    }

    /** Every event the simulated platform gave the engine, in order (the call's start first). */
    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Action> actions() {
        return Collections.unmodifiableList(actions);
    }

    /** Human-readable log: what was said, pressed and decided, with virtual times. */
    public List<String> timeline() {
        return Collections.unmodifiableList(timeline);
    }

    public Duration elapsed() {
        return Duration.between(startedAt, now);
    }

    // ---------------------------------------------------------------- the simulated platform

    private void advanceTo(Instant target) {
        while (!pending.isEmpty() && !pending.peek().at().isAfter(target)) {
            Scheduled s = pending.poll();
            now = s.at();
            if (!ended()) {
                deliver(s.event());
            }
        }
        if (target.isAfter(now)) {
            now = target;
        }
    }

    private void deliver(Event event) {
        if (state.ended()) {
            return;
        }
        events.add(event);
        if (event instanceof Event.PlaybackFinished) {
            playedUpTo = heard.size();
        }
        apply(engine.handle(state, event, now));
    }

    private void apply(Step step) {
        state = step.state();
        for (TraceEntry t : step.trace()) {
            trace.add(t);
            log("-> " + (t.flowId() == null ? "" : t.flowId() + "/") + t.nodeId()
                    + (t.from() == null ? "" : " (" + t.edge() + " from " + t.from() + ")"));
        }
        for (Action a : step.actions()) {
            actions.add(a);
            platform(a);
        }
        cancel("timer");
        if (state.wakeAt() != null && !state.ended()) {
            schedule(state.wakeAt(), new Event.TimerFired(), "timer");
        }
        if (state.ended()) {
            pending.clear();
            log("call ended: " + (state.outcome() == null ? "?" : state.outcome().label()));
        }
    }

    private void platform(Action a) {
        a.accept(acting);
    }

    /** What the simulated platform does for each action: plays on the virtual clock, and answers as the world says. */
    private final Action.Visitor<Void> acting = new Action.Visitor<>() {
        @Override
        public Void say(Action.Say say) {
            RenderedPrompt p = say.prompt();
            heard.add(new Heard(now, state.nodeId(), p.language(), p.voice(), p.heard(), false));
            log("says (" + p.language() + (p.voice() == null ? "" : ", " + p.voice()) + "): \"" + p.heard() + "\"");
            playingUntil = (playingUntil.isAfter(now) ? playingUntil : now).plus(length(p));
            cancel("playback");
            schedule(playingUntil, new Event.PlaybackFinished(), "playback");
            return null;
        }

        @Override
        public Void stopPlayback(Action.StopPlayback stop) {
            cancel("playback");
            playingUntil = now;
            for (int i = playedUpTo; i < heard.size(); i++) {
                heard.set(i, heard.get(i).interrupt());
            }
            playedUpTo = heard.size();
            log("playback stopped (barge-in)");
            return null;
        }

        @Override
        public Void collectDigits(Action.CollectDigits collect) {
            // keys come from the script; the engine's timers (wakeAt) end an entry
            return null;
        }

        @Override
        public Void transfer(Action.Transfer t) {
            connect("transfers to " + t.kind().name().toLowerCase() + " " + t.destination(), t.destination(),
                    t.timeout());
            return null;
        }

        @Override
        public Void enqueue(Action.Enqueue q) {
            int agents = world.agents(q.queue());
            Event.FailureReason failure = world.queues().get(q.queue());
            log("queues on " + q.queue() + " (" + agents + " agent(s) available)"
                    + (failure == null ? "" : ": " + failure.name().toLowerCase().replace('_', ' ')));
            schedule(now.plus(Duration.ofSeconds(1)), failure != null ? new Event.TransferFailed(failure, "queue")
                    : agents > 0 ? new Event.TransferCompleted()
                    : new Event.TransferFailed(Event.FailureReason.NO_AGENTS, "no agent"), "connect");
            return null;
        }

        @Override
        public Void voicemail(Action.Voicemail v) {
            connect("voicemail box " + v.mailbox(), v.mailbox(), null);
            return null;
        }

        @Override
        public Void recordControl(Action.RecordControl r) {
            log("recording " + r.operation().name().toLowerCase() + (world.recordingFails() ? ": refused" : ""));
            schedule(now.plus(Duration.ofMillis(50)), new Event.RecordingChanged(!world.recordingFails(),
                    world.recordingFails() ? "403 refused" : "ok"), "recording");
            return null;
        }

        @Override
        public Void lookup(Action.Lookup l) {
            String node = state.nodeId();
            World.LookupAnswer answer = world.lookup(node, lookupsDone.merge(node, 1, Integer::sum) - 1);
            log("looks up " + l.source() + " " + l.params() + "; answers " + answer.status() + " after "
                    + answer.latency().toMillis() + " ms");
            schedule(now.plus(answer.latency()), new Event.LookupResult(l.requestId(), answer.status(),
                    answer.fields()), "lookup");
            return null;
        }

        @Override
        public Void setVariable(Action.SetVariable v) {
            log("sets " + v.name() + " = " + (v.sensitive() ? "****" : v.value()));
            return null;
        }

        @Override
        public Void hangUp(Action.HangUp hangUp) {
            log("hangs up");
            return null;
        }
    };

    /** Connects after two seconds of ringing, or fails as the world says (no answer: after the ring time). */
    private void connect(String what, String destination, Duration ringTime) {
        Event.FailureReason failure = world.transferFailure(destination);
        log(what + (failure == null ? "" : ": " + failure.name().toLowerCase().replace('_', ' ')));
        Duration ring = failure != Event.FailureReason.NO_ANSWER ? Duration.ofSeconds(2)
                : ringTime != null ? ringTime : Duration.ofSeconds(20);
        schedule(now.plus(ring), failure == null ? new Event.TransferCompleted()
                : new Event.TransferFailed(failure, failure.name()), "connect");
    }

    /** How long the simulator plays a prompt: recorded audio a fixed length, words at a speaking rate. */
    public static Duration length(RenderedPrompt p) {
        if (p.text() == null && p.ssml() == null) {
            return AUDIO_LENGTH;
        }
        int words = p.heard().split("\\s+").length;
        return PER_WORD.multipliedBy(Math.max(words, 2)).plusMillis(300);
    }

    private void schedule(Instant at, Event event, String kind) {
        pending.add(new Scheduled(at, sequence++, event, kind));
    }

    private void cancel(String kind) {
        pending.removeIf(s -> s.kind().equals(kind));
    }

    private void log(String line) {
        long ms = Duration.between(startedAt, now).toMillis();
        timeline.add(String.format("%02d:%02d.%03d  %s", ms / 60000, ms / 1000 % 60, ms % 1000, line));
    }
}
