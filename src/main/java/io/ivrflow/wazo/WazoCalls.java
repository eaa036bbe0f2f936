package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.observe.CallStep;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowReleases;
import io.ivrflow.lookup.LookupService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Wazo bus events in, calld commands out. calld sends one event per key and only plays files, so this adapter
 * does what Plivo's GetDigits does for the other platform: it plays a node's prompts one after the other, stops
 * them on a key when the node allows barge-in, and wakes the engine when its input timers run out
 * (docs/input-semantics.md), with {@link Timers} rather than a waiting thread.
 *
 * <p>Everything about one call runs on its lane ({@link CallLanes}): bus events, timers and calld's answers, in
 * the order they come. Nothing here blocks.
 *
 * <p>Hand-offs (queue, agent, extension, voicemail) follow the way calld allows: the caller is put in a node
 * and the destination is called into it; the call made that way enters the application
 * ({@code application_call_initiated}) once it is answered, which is when the IVR's part is over. No answer
 * within the ring time is a failure the flow handles.
 */
public final class WazoCalls {

    private static final Logger LOG = LoggerFactory.getLogger(WazoCalls.class);
    /** Events of ended calls (late playback and node events) are ignored for this long. */
    private static final Duration TOMBSTONE = Duration.ofMinutes(10);
    /** Events of a call made into a node, kept until calld's answer names that call. */
    private static final Duration UNCLAIMED = Duration.ofMinutes(1);

    private final FlowReleases releases;
    private final CallStore store;
    private final CallLanes lanes;
    private final Timers timers;
    private final Clock clock;
    private final Calld calld;
    private final LookupService lookups;
    private final WazoTargets targets;
    private final PromptMedia media;
    private final CallJournal journal;
    private final Duration ringTimeout;
    private final String musicOnHold;

    /** Calls made into a node, by their id: the caller they belong to. */
    private final Map<String, String> legOwners = new ConcurrentHashMap<>();
    /** Events of calls nobody knows yet (a call made into a node whose id calld has not yet returned). */
    private final Map<String, Unclaimed> unclaimed = new ConcurrentHashMap<>();
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    private final AtomicLong handled = new AtomicLong();

    private record Unclaimed(Instant since, List<BusEvent> events) {
    }

    public WazoCalls(FlowReleases releases, CallStore store, CallLanes lanes, Timers timers, Clock clock,
                     Calld calld, LookupService lookups, WazoTargets targets, PromptMedia media, CallJournal journal,
                     Duration ringTimeout, String musicOnHold) {
        this.releases = releases;
        this.store = store;
        this.lanes = lanes;
        this.timers = timers;
        this.clock = clock;
        this.calld = calld;
        this.lookups = lookups;
        this.targets = targets;
        this.media = media;
        this.journal = journal;
        this.ringTimeout = ringTimeout;
        this.musicOnHold = musicOnHold == null || musicOnHold.isBlank() ? null : musicOnHold;
    }

    // ---------------------------------------------------------------- bus events

    /**
     * Hands an event to its call's lane; {@code done} is told, on that lane, whether it was handled (true) or
     * made the adapter fail (false), so the message is acknowledged only then.
     *
     * @param flowId the flow of the application the event came for
     */
    public void dispatch(BusEvent event, String flowId, Consumer<Boolean> done) {
        String owner = event.callId() == null ? "" : legOwners.getOrDefault(event.callId(), event.callId());
        long arrived = System.nanoTime();
        lanes.run(owner, () -> {
            boolean ok = false;
            try {
                handle(event, flowId, owner);
                ok = true;
            } catch (RuntimeException e) {
                LOG.error("call {}: {} could not be handled", event.callId(), event.name(), e);
                store.get(owner).ifPresent(c -> fail(c, "adapter-error"));
            } finally {
                handled.incrementAndGet();
                journal.getMetrics().event(event.name(), System.nanoTime() - arrived);
                done.accept(ok);
            }
        });
    }

    /** Events handled since start (tests and benchmarks wait on it). */
    public long handled() {
        return handled.get();
    }

    private void handle(BusEvent e, String flowId, String owner) {
        if (!owner.equals(e.callId()) && !owner.isEmpty()) {
            store.get(owner).ifPresent(c -> {
                leg(c, e);
                save(c);
            });
            return;
        }
        switch (e.name()) {
            case "application_call_entered" -> enter(e, flowId);
            case "application_node_updated", "application_playback_created" ->
                    LOG.debug("call {}: {}", e.callId(), e.name());
            default -> {
                WazoCall c = store.get(e.callId()).orElse(null);
                if (c == null) {
                    unknown(e, flowId);
                    return;
                }
                c.touched = clock.instant();
                switch (e.name()) {
                    case "application_call_dtmf_received" -> {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("call {}: key {}", c.callId,
                                    c.state.collectingSensitive(flows(c)) ? "*" : e.dtmf());
                        }
                        feed(c, new Event.Digits(e.dtmf(), false));
                    }
                    case "application_playback_deleted" -> playbackDeleted(c, e.playbackUuid(), e.playbackState());
                    case "application_call_deleted" -> deleted(c);
                    case "application_call_answered" -> c.answered = true;
                    default -> LOG.debug("call {}: {} ignored", c.callId, e.name());
                }
                save(c);
            }
        }
    }

    private void enter(BusEvent e, String flowId) {
        if (store.get(e.callId()).isPresent() || ended.containsKey(e.callId())) {
            LOG.debug("call {}: entered again (redelivered), ignored", e.callId());
            return;
        }
        Instant now = clock.instant();
        String caller = e.call("caller_id_number");
        WazoCall c = new WazoCall(e.callId(), e.applicationUuid(), flowId, releases.current().id(), caller, now);
        store.put(c);
        Map<String, String> variables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e.callVariables().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            variables.put(v.getKey(), v.getValue().asText());
        }
        // X_WAZO_IVR_LANGUAGE / X_WAZO_IVR_START on the channel (set by the incall's dialplan or an originate)
        String language = variables.remove("IVR_LANGUAGE");
        String start = variables.remove("IVR_START");
        LOG.debug("call {} from {} entered application {} (flow {})", c.callId, caller, c.application, flowId);
        calld.answer(c.application, c.callId).whenComplete((r, error) -> on(c.callId, call -> {
            if (error != null) {
                LOG.error("call {}: calld did not answer the call ({}); hanging up", call.callId,
                        WazoHttp.describe(error));
                hangUp(call);
            } else if (!r.ok()) {
                LOG.warn("call {}: calld answered {} to answering the call", call.callId, r.status());
                if (r.status() != 404) {
                    hangUp(call);
                }
            } else {
                call.answered = true;
                pump(call);
            }
        }));
        Event.CallStarted started = new Event.CallStarted(c.callId, caller, e.call("dialed_extension"), "wazo",
                language, variables);
        apply(c, started, engine(c).startAt(flowId, start == null || start.isBlank() ? null : start, started, now));
        store.put(c);
    }

    /** An event of a call this instance does not know. */
    private void unknown(BusEvent e, String flowId) {
        String id = e.callId();
        if (id == null || ended.containsKey(id)) {
            LOG.debug("call {}: {} after the call ended, ignored", id, e.name());
            return;
        }
        switch (e.name()) {
            case "application_call_initiated", "application_call_answered", "application_call_deleted" -> {
                // perhaps a call made into a node whose id calld has not returned yet: keep it for its owner
                unclaimed.compute(id, (k, u) -> {
                    List<BusEvent> events = new ArrayList<>(u == null ? List.of() : u.events());
                    events.add(e);
                    return new Unclaimed(u == null ? clock.instant() : u.since(), events);
                });
                // its owner may have learnt the id meanwhile, on its own lane: then hand the events over
                String owner = legOwners.get(id);
                Unclaimed mine = owner == null ? null : unclaimed.remove(id);
                if (mine != null) {
                    on(owner, c -> mine.events().forEach(ev -> leg(c, ev)));
                }
            }
            case "application_call_dtmf_received", "application_playback_deleted" -> {
                // a live call nobody drives (this instance restarted, or its state was lost): the caller would
                // hear silence forever, so it hears the flow's apology and the call ends
                LOG.warn("call {}: {} for a call this instance does not know; the caller hears an apology and "
                        + "the call ends", id, e.name());
                WazoCall c = new WazoCall(id, e.applicationUuid(), flowId, releases.current().id(), null,
                        clock.instant());
                c.answered = true;
                store.put(c);
                apply(c, null, engine(c).fail(id, flowId, null, "unknown-call", clock.instant()));
                store.put(c);
            }
            default -> LOG.debug("call {}: {} for an unknown call, ignored", id, e.name());
        }
    }

    private void deleted(WazoCall c) {
        if (!c.state.ended()) {
            feed(c, new Event.HangUp());
        }
        LOG.debug("call {} ended: {}", c.callId, c.state.outcome() == null ? "?" : c.state.outcome().label());
        c.cancelTimers();
        if (c.leg != null) {
            legOwners.remove(c.leg);
            if (!c.handedOff) {
                // nobody is left to connect: stop ringing the destination
                calld.hangUp(c.application, c.leg);
            }
        }
        store.remove(c.callId);
        ended.put(c.callId, clock.instant());
    }

    // ---------------------------------------------------------------- the engine

    /** The flows of the call's release (a call that began before a flow changed keeps the version it began on). */
    private FlowCatalog flows(WazoCall c) {
        return releases.pinned(c.release).catalog();
    }

    private Engine engine(WazoCall c) {
        return new Engine(flows(c));
    }

    private void feed(WazoCall c, Event event) {
        apply(c, event, engine(c).handle(c.state, event, clock.instant()));
    }

    /** Carries out the engine's answer to {@code event} (null: the adapter's own failure). */
    private void apply(WazoCall c, Event event, Step step) {
        CallState before = c.state;
        c.state = step.state();
        journal.record(new CallStep("wazo", c.flowId, c.release, before, event, step, clock.instant(), flows(c)));
        for (Action a : step.actions()) {
            act(c, a);
        }
        if (c.timer != null) {
            c.timer.cancel();
            c.timer = null;
        }
        Instant wake = c.state.wakeAt();
        if (wake != null && !c.state.ended()) {
            c.timer = timers.at(wake, () -> on(c.callId, call -> feed(call, new Event.TimerFired())));
        }
    }

    private void act(WazoCall c, Action a) {
        if (a instanceof Action.Say say) {
            c.queue.addAll(media.playbacks(say.prompt()));
            pump(c);
        } else if (a instanceof Action.StopPlayback) {
            c.queue.clear();
            if (WazoCall.STARTING.equals(c.playing)) {
                c.stopWhenStarted = true;
            } else if (c.playing != null) {
                stop(c, c.playing);
                c.playing = null;
            }
        } else if (a instanceof Action.HangUp) {
            if (c.playing != null || !c.queue.isEmpty()) {
                c.hangUpAfterPrompts = true;
            } else {
                hangUp(c);
            }
        } else if (a instanceof Action.Lookup l) {
            CompletableFuture<Event.LookupResult> answer;
            try {
                answer = lookups.lookup(l);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            // the engine's own timer takes the failure exit at the node's timeout; a late answer is ignored
            answer.whenComplete((r, e) -> on(c.callId, call -> feed(call, r != null ? r
                    : new Event.LookupResult(l.requestId(), Event.LookupStatus.FAILED, Map.of()))));
        } else if (a instanceof Action.RecordControl r) {
            record(c, r.operation());
        } else if (a instanceof Action.Enqueue || a instanceof Action.Transfer || a instanceof Action.Voicemail) {
            handOff(c, a);
        }
    }

    // ---------------------------------------------------------------- prompts

    /** Starts the next prompt when the call is answered and nothing plays. */
    private void pump(WazoCall c) {
        if (!c.answered || c.playing != null || c.hangingUp || c.queue.isEmpty()) {
            return;
        }
        CompletableFuture<WazoCall.Playback> next = c.queue.peek();
        if (!next.isDone()) {
            next.whenComplete((pb, e) -> on(c.callId, this::pump));
            return;
        }
        c.queue.poll();
        WazoCall.Playback p = next.exceptionally(e -> null).join();
        if (p == null) {
            pump(c); // cannot happen (the media mapping always answers), but a broken prompt must not stall the call
            return;
        }
        c.playing = WazoCall.STARTING;
        calld.play(c.application, c.callId, p.uri(), p.language())
                .whenComplete((r, e) -> on(c.callId, call -> started(call, p, r, e)));
    }

    private void started(WazoCall c, WazoCall.Playback p, WazoHttp.Response r, Throwable error) {
        if (!WazoCall.STARTING.equals(c.playing)) {
            return;
        }
        if (error != null) {
            LOG.error("call {}: calld could not play {} ({}); hanging up rather than leaving the caller in silence",
                    c.callId, p.uri(), WazoHttp.describe(error));
            c.playing = null;
            hangUp(c);
            return;
        }
        if (!r.ok()) {
            LOG.error("call {}: calld refused to play {} ({} {}); going on without it", c.callId, p.uri(),
                    r.status(), r.body().path("message").asText(""));
            c.playing = null;
            if (r.status() != 404) {
                playbackEnded(c);
            }
            return;
        }
        String uuid = r.body().path("uuid").asText("");
        if (c.stopWhenStarted) {
            c.stopWhenStarted = false;
            c.playing = null;
            stop(c, uuid);
            pump(c);
        } else if (c.finishedEarly.remove(uuid)) {
            c.playing = null;
            playbackEnded(c);
        } else {
            c.playing = uuid;
        }
    }

    private void playbackDeleted(WazoCall c, String uuid, String state) {
        if (uuid.equals(c.playing)) {
            if ("failed".equals(state)) {
                LOG.warn("call {}: a prompt could not be played (missing sound file?)", c.callId);
            }
            c.playing = null;
            playbackEnded(c);
        } else if (WazoCall.STARTING.equals(c.playing)) {
            if (c.finishedEarly.size() > 32) {
                c.finishedEarly.clear();
            }
            c.finishedEarly.add(uuid);
        }
    }

    /** The prompt under way is over: the next one, or the engine learns that all have been played. */
    private void playbackEnded(WazoCall c) {
        if (!c.queue.isEmpty()) {
            pump(c);
        } else if (c.hangUpAfterPrompts) {
            hangUp(c);
        } else {
            feed(c, new Event.PlaybackFinished());
        }
    }

    private void stop(WazoCall c, String playback) {
        calld.stopPlayback(c.application, playback).whenComplete((r, e) -> {
            if (e != null) {
                LOG.warn("call {}: calld did not stop a prompt ({})", c.callId, WazoHttp.describe(e));
            }
        });
    }

    private void hangUp(WazoCall c) {
        if (c.hangingUp) {
            return;
        }
        c.hangingUp = true;
        c.queue.clear();
        calld.hangUp(c.application, c.callId).whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("call {}: calld did not hang up the call ({})", c.callId, WazoHttp.describe(e));
            }
        });
    }

    /** The adapter cannot carry on: the caller hears the flow's apology, then the call ends. */
    private void fail(WazoCall c, String reason) {
        if (c.state == null || c.state.ended()) {
            hangUp(c);
            return;
        }
        c.queue.clear();
        apply(c, null, engine(c).fail(c.callId, c.flowId, c.state.language(), reason, clock.instant()));
    }

    // ---------------------------------------------------------------- recording

    private void record(WazoCall c, Action.RecordOperation operation) {
        String op = operation.name().toLowerCase(Locale.ROOT);
        calld.record(c.callId, op).whenComplete((r, e) -> on(c.callId, call -> {
            Event.RecordingChanged result;
            if (e != null) {
                LOG.warn("call {}: recording {} not done: calld unavailable ({}); the flow takes its fallback",
                        call.callId, op, WazoHttp.describe(e));
                result = new Event.RecordingChanged(false, "calld unavailable");
            } else if (r.ok()) {
                result = new Event.RecordingChanged(true, "ok");
            } else if (r.status() == 403) {
                LOG.warn("call {}: calld refused to {} the recording (403 {}): on-demand recording is not enabled "
                        + "for this call (WAZO_USER_DTMF_RECORD_TOGGLE_ENABLED=1 on the channel turns it on); the "
                        + "flow takes its fallback", call.callId, op, r.body().path("message").asText(""));
                result = new Event.RecordingChanged(false, "403 recording not enabled");
            } else {
                LOG.warn("call {}: calld answered {} to recording {}; the flow takes its fallback", call.callId,
                        r.status(), op);
                result = new Event.RecordingChanged(false, "HTTP " + r.status());
            }
            feed(call, result);
        }));
    }

    // ---------------------------------------------------------------- hand-offs

    private record LegStarted(String node, WazoHttp.Response response) {
    }

    private void handOff(WazoCall c, Action a) {
        Duration ring = a instanceof Action.Transfer t && t.timeout() != null ? t.timeout() : ringTimeout;
        targets.resolve(a).whenComplete((res, e) -> on(c.callId, call -> {
            if (call.state.phase() != CallState.Phase.CONNECTING) {
                return;
            }
            WazoTargets.Resolution resolution = e == null ? res : WazoTargets.Resolution.fail(
                    Event.FailureReason.FAILED, WazoHttp.describe(e));
            if (resolution.failure() != null) {
                LOG.info("call {}: hand-off not possible: {}", call.callId, resolution.failure().detail());
                feed(call, resolution.failure());
                return;
            }
            callInto(call, resolution.target(), ring);
        }));
    }

    private void callInto(WazoCall c, Confd.Extension target, Duration ring) {
        if (musicOnHold != null) {
            c.musicOnHold = true;
            calld.startMusicOnHold(c.application, c.callId, musicOnHold);
        }
        CompletableFuture<String> node = c.node != null ? CompletableFuture.completedFuture(c.node)
                : calld.createNode(c.application, c.callId).thenApply(r -> {
                    if (!r.ok()) {
                        throw new WazoHttp.Unavailable("calld answered " + r.status() + " to creating a node");
                    }
                    return r.body().path("uuid").asText();
                });
        node.thenCompose(n -> calld.callIntoNode(c.application, n, target.context(), target.exten(), c.caller)
                        .thenApply(r -> new LegStarted(n, r)))
                .whenComplete((started, e) -> on(c.callId, call -> legStarted(call, target, started, e, ring)));
    }

    private void legStarted(WazoCall c, Confd.Extension target, LegStarted started, Throwable error, Duration ring) {
        if (started != null) {
            c.node = started.node();
        }
        if (error != null || !started.response().ok()) {
            String why = error != null ? WazoHttp.describe(error)
                    : "calld answered " + started.response().status() + " "
                    + started.response().body().path("message").asText("");
            LOG.warn("call {}: could not call {}@{}: {}", c.callId, target.exten(), target.context(), why);
            handOffFailed(c, new Event.TransferFailed(Event.FailureReason.FAILED, why));
            return;
        }
        String leg = started.response().body().path("id").asText();
        c.leg = leg;
        legOwners.put(leg, c.callId);
        c.ringTimer = timers.at(clock.instant().plus(ring), () -> on(c.callId, call -> {
            if (leg.equals(call.leg) && !call.handedOff) {
                LOG.info("call {}: {}@{} did not answer within {} s", call.callId, target.exten(), target.context(),
                        ring.toSeconds());
                calld.hangUp(call.application, leg);
                legOwners.remove(leg);
                call.leg = null;
                handOffFailed(call, new Event.TransferFailed(Event.FailureReason.NO_ANSWER, "no answer"));
            }
        }));
        Unclaimed early = unclaimed.remove(leg);
        if (early != null) {
            early.events().forEach(e -> leg(c, e));
        }
    }

    /** An event of the call made into the caller's node. */
    private void leg(WazoCall c, BusEvent e) {
        String leg = e.callId();
        if (!leg.equals(c.leg)) {
            return;
        }
        switch (e.name()) {
            case "application_call_initiated", "application_call_answered" -> {
                if (!c.handedOff) {
                    c.handedOff = true;
                    cancelRing(c);
                    if (c.musicOnHold) {
                        c.musicOnHold = false;
                        calld.stopMusicOnHold(c.application, c.callId);
                    }
                    feed(c, new Event.TransferCompleted());
                }
            }
            case "application_call_deleted" -> {
                legOwners.remove(leg);
                c.leg = null;
                cancelRing(c);
                if (c.handedOff) {
                    // the other side hung up: nothing is left for the caller in the node
                    LOG.debug("call {}: the other party left; hanging up", c.callId);
                    hangUp(c);
                } else {
                    handOffFailed(c, new Event.TransferFailed(Event.FailureReason.BUSY, "the call was not taken"));
                }
            }
            default -> {
            }
        }
    }

    private void cancelRing(WazoCall c) {
        if (c.ringTimer != null) {
            c.ringTimer.cancel();
            c.ringTimer = null;
        }
    }

    /** The caller leaves the node (so prompts play to them alone again) and the flow takes its failure exit. */
    private void handOffFailed(WazoCall c, Event.TransferFailed failure) {
        if (c.musicOnHold) {
            c.musicOnHold = false;
            calld.stopMusicOnHold(c.application, c.callId);
        }
        if (c.node != null) {
            calld.leaveNode(c.application, c.node, c.callId);
            c.node = null;
        }
        feed(c, failure);
    }

    // ---------------------------------------------------------------- housekeeping

    /** Runs {@code task} on the call's lane if the call is still known there. */
    private void on(String callId, Consumer<WazoCall> task) {
        lanes.run(callId, () -> store.get(callId).ifPresent(c -> {
            c.touched = clock.instant();
            task.accept(c);
            save(c);
        }));
    }

    /** Stores the call's changes, unless the call ended (and was removed) meanwhile. */
    private void save(WazoCall c) {
        if (store.get(c.callId).isPresent()) {
            store.put(c);
        }
    }

    /**
     * Drops calls with no event for {@code maxIdle} (their deletion event was missed: a broker outage, a
     * restart of calld) and forgets old tombstones and unclaimed events. Returns how many calls were dropped.
     */
    public int expire(Duration maxIdle) {
        Instant now = clock.instant();
        List<WazoCall> idle = store.idleSince(now.minus(maxIdle));
        for (WazoCall idleCall : idle) {
            lanes.run(idleCall.callId, () -> store.get(idleCall.callId).ifPresent(c -> {
                if (c.touched.isAfter(now.minus(maxIdle))) {
                    return;
                }
                LOG.warn("call {}: no event for {} min; dropped as if its deletion event had come", c.callId,
                        maxIdle.toMinutes());
                c.cancelTimers();
                if (c.leg != null) {
                    legOwners.remove(c.leg);
                }
                store.remove(c.callId);
                ended.put(c.callId, now);
            }));
        }
        ended.values().removeIf(t -> t.isBefore(now.minus(TOMBSTONE)));
        unclaimed.values().removeIf(u -> u.since().isBefore(now.minus(UNCLAIMED)));
        return idle.size();
    }
}
