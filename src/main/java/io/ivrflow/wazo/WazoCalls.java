package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowReleases;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.observe.CallStep;
import io.ivrflow.wazo.WazoCall.Calling;
import io.ivrflow.wazo.WazoCall.Connected;
import io.ivrflow.wazo.WazoCall.Ending;
import io.ivrflow.wazo.WazoCall.Idle;
import io.ivrflow.wazo.WazoCall.Making;
import io.ivrflow.wazo.WazoCall.Media;
import io.ivrflow.wazo.WazoCall.NoHandOff;
import io.ivrflow.wazo.WazoCall.Playback;
import io.ivrflow.wazo.WazoCall.Player;
import io.ivrflow.wazo.WazoCall.Playing;
import io.ivrflow.wazo.WazoCall.Queued;
import io.ivrflow.wazo.WazoCall.Ready;
import io.ivrflow.wazo.WazoCall.Ringing;
import io.ivrflow.wazo.WazoCall.Starting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Wazo bus events in, calld commands out. calld sends one event per key and only plays files, so this adapter
 * does what Plivo's GetDigits does for the other platform: it plays a node's prompts one after the other, stops
 * them on a key when the node allows barge-in, and wakes the engine when its input timers run out
 * (docs/input-semantics.md), with {@link Timers} rather than a waiting thread.
 *
 * <p>Everything about one call runs on its lane ({@link CallLanes}): bus events, timers and calld's answers, in
 * the order they come. Each of them takes the call's {@link WazoCall} (plain data) and stores the next one. Nothing
 * here blocks.
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
    /** Playbacks remembered as finished before calld said which one it started. */
    private static final int FINISHED_EARLY = 32;

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

    // What this instance knows besides the calls themselves: derived or in-flight, never needed to go on with a call.
    /** Calls made into a node, by their id: the caller they belong to. */
    private final Map<String, String> legOwners = new ConcurrentHashMap<>();
    /** Events of calls nobody knows yet (a call made into a node whose id calld has not yet returned). */
    private final Map<String, Unclaimed> unclaimed = new ConcurrentHashMap<>();
    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    /** The scheduled tasks behind each call's {@link CallState#wakeAt()} and {@link Ringing#deadline()}. */
    private final Map<String, Timers.Timer> wakeTimers = new ConcurrentHashMap<>();
    private final Map<String, Timers.Timer> ringTimers = new ConcurrentHashMap<>();
    private final AtomicLong tickets = new AtomicLong();
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
                store.get(owner).ifPresent(c -> commit(fail(c, "adapter-error")));
            } finally {
                handled.incrementAndGet();
                journal.metrics().event(event.name(), System.nanoTime() - arrived);
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
            store.get(owner).ifPresent(c -> commit(leg(c, e)));
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
                c = c.touched(clock.instant());
                switch (e.name()) {
                    case "application_call_dtmf_received" -> {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("call {}: key {}", c.callId(),
                                    c.state().collecting(flows(c)) ? "*" : e.dtmf());
                        }
                        c = feed(c, new Event.Digits(e.dtmf(), false));
                    }
                    case "application_playback_deleted" -> c = playbackDeleted(c, e.playbackUuid(), e.playbackState());
                    case "application_call_deleted" -> {
                        deleted(c);
                        return;
                    }
                    case "application_call_answered" -> c = c.markAnswered();
                    default -> LOG.debug("call {}: {} ignored", c.callId(), e.name());
                }
                commit(c);
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
        WazoCall c = WazoCall.entered(e.callId(), e.applicationUuid(), flowId, releases.current().id(), caller, now);
        store.put(c);
        Map<String, String> variables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e.callVariables().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            variables.put(v.getKey(), v.getValue().asText());
        }
        // X_WAZO_IVR_LANGUAGE / X_WAZO_IVR_START on the channel (set by the incall's dialplan or an originate)
        String language = variables.remove("IVR_LANGUAGE");
        String start = variables.remove("IVR_START");
        LOG.debug("call {} entered application {} (flow {})", c.callId(), c.application(), flowId);
        calld.answer(c.application(), c.callId()).whenComplete((r, error) -> on(e.callId(), call -> {
            if (error != null) {
                LOG.error("call {}: calld did not answer the call ({}); hanging up", call.callId(),
                        WazoHttp.describe(error));
                return hangUp(call);
            }
            if (!r.ok()) {
                LOG.warn("call {}: calld answered {} to answering the call", call.callId(), r.status());
                return r.status() != 404 ? hangUp(call) : call;
            }
            return pump(call.markAnswered());
        }));
        Event.CallStarted started = new Event.CallStarted(c.callId(), caller, e.call("dialed_extension"), "wazo",
                language, variables);
        commit(apply(c, started, engine(c).startAt(flowId, start == null || start.isBlank() ? null : start, started,
                now)));
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
                    on(owner, c -> {
                        for (BusEvent ev : mine.events()) {
                            c = leg(c, ev);
                        }
                        return c;
                    });
                }
            }
            case "application_call_dtmf_received", "application_playback_deleted" -> {
                // a live call nobody drives (this instance restarted, or its state was lost): the caller would
                // hear silence forever, so it hears the flow's apology and the call ends
                LOG.warn("call {}: {} for a call this instance does not know; the caller hears an apology and "
                        + "the call ends", id, e.name());
                WazoCall c = WazoCall.entered(id, e.applicationUuid(), flowId, releases.current().id(), null,
                        clock.instant()).markAnswered();
                store.put(c);
                commit(apply(c, null, engine(c).fail(id, flowId, null, "unknown-call", clock.instant())));
            }
            default -> LOG.debug("call {}: {} for an unknown call, ignored", id, e.name());
        }
    }

    /** calld deleted the call: the caller hung up, or the call ended. */
    private void deleted(WazoCall c) {
        if (!c.state().ended()) {
            c = feed(c, new Event.HangUp());
        }
        LOG.debug("call {} ended: {}", c.callId(), c.state().outcome() == null ? "?" : c.state().outcome().label());
        cancelTimers(c.callId());
        String leg = c.leg();
        if (leg != null) {
            legOwners.remove(leg);
            if (!(c.handOff() instanceof Connected)) {
                // nobody is left to connect: stop ringing the destination
                calld.hangUp(c.application(), leg);
            }
        }
        store.remove(c.callId());
        ended.put(c.callId(), clock.instant());
    }

    // ---------------------------------------------------------------- the engine

    /** The flows of the call's release (a call that began before a flow changed keeps the version it began on). */
    private FlowCatalog flows(WazoCall c) {
        return releases.pinned(c.release()).catalog();
    }

    private Engine engine(WazoCall c) {
        return new Engine(flows(c));
    }

    private WazoCall feed(WazoCall c, Event event) {
        return apply(c, event, engine(c).handle(c.state(), event, clock.instant()));
    }

    /** Carries out the engine's answer to {@code event} (null: the adapter's own failure). */
    private WazoCall apply(WazoCall c, Event event, Step step) {
        CallState before = c.state();
        c = c.state(step.state());
        journal.record(new CallStep("wazo", c.flowId(), c.release(), before, event, step, clock.instant(), flows(c)));
        for (Action a : step.actions()) {
            c = a.accept(new Acting(c));
        }
        Timers.Timer previous = wakeTimers.remove(c.callId());
        if (previous != null) {
            previous.cancel();
        }
        Instant wake = c.state().wakeAt();
        if (wake != null && !c.state().ended()) {
            String id = c.callId();
            wakeTimers.put(id, timers.at(wake, () -> on(id, call -> feed(call, new Event.TimerFired()))));
        }
        return c;
    }

    /** What each engine action does to the call on Wazo. */
    private final class Acting implements Action.Visitor<WazoCall> {

        private final WazoCall c;

        Acting(WazoCall c) {
            this.c = c;
        }

        @Override
        public WazoCall say(Action.Say say) {
            return pump(c.media(c.media().enqueue(queued(c.callId(), say))));
        }

        @Override
        public WazoCall stopPlayback(Action.StopPlayback stop) {
            Player player = c.media().player();
            if (player instanceof Starting s) {
                return c.media(new Media(List.of(), new Starting(true, s.finishedEarly())));
            }
            if (player instanceof Playing p) {
                stop(c, p.playback());
            }
            return c.media(new Media(List.of(), new Idle()));
        }

        @Override
        public WazoCall collectDigits(Action.CollectDigits collect) {
            // calld sends keys one by one: the engine's own timers (wakeAt) end the entry
            return c;
        }

        @Override
        public WazoCall transfer(Action.Transfer transfer) {
            return handOff(c, transfer, transfer.timeout() != null ? transfer.timeout() : ringTimeout);
        }

        @Override
        public WazoCall enqueue(Action.Enqueue enqueue) {
            return handOff(c, enqueue, ringTimeout);
        }

        @Override
        public WazoCall voicemail(Action.Voicemail voicemail) {
            return handOff(c, voicemail, ringTimeout);
        }

        @Override
        public WazoCall recordControl(Action.RecordControl record) {
            return WazoCalls.this.record(c, record.operation());
        }

        @Override
        public WazoCall lookup(Action.Lookup l) {
            CompletableFuture<Event.LookupResult> answer;
            try {
                answer = lookups.lookup(l);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            // the engine's own timer takes the failure exit at the node's timeout; a late answer is ignored
            answer.whenComplete((r, e) -> on(c.callId(), call -> feed(call, r != null ? r
                    : new Event.LookupResult(l.requestId(), Event.LookupStatus.FAILED, Map.of()))));
            return c;
        }

        @Override
        public WazoCall setVariable(Action.SetVariable set) {
            return c;
        }

        @Override
        public WazoCall hangUp(Action.HangUp hangUp) {
            boolean prompting = !c.media().idle() || !c.media().queue().isEmpty();
            return prompting ? c.ending(Ending.AFTER_PROMPTS) : WazoCalls.this.hangUp(c);
        }
    }

    // ---------------------------------------------------------------- prompts

    /** A prompt's playbacks: ready ones, and a ticket for each one whose audio is still being made. */
    private List<Queued> queued(String callId, Action.Say say) {
        List<Queued> out = new ArrayList<>();
        for (CompletableFuture<Playback> f : media.playbacks(say.prompt())) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.add(new Ready(f.join()));
            } else if (!f.isDone()) {
                long ticket = tickets.incrementAndGet();
                out.add(new Making(ticket));
                f.whenComplete((pb, e) -> on(callId, call -> made(call, ticket, e == null ? pb : null)));
            }
        }
        return out;
    }

    /** A prompt's audio is ready (or could not be made: it is skipped rather than stall the call). */
    private WazoCall made(WazoCall c, long ticket, Playback playback) {
        List<Queued> queue = new ArrayList<>();
        for (Queued q : c.media().queue()) {
            if (q instanceof Making m && m.ticket() == ticket) {
                if (playback != null) {
                    queue.add(new Ready(playback));
                }
            } else {
                queue.add(q);
            }
        }
        return pump(c.media(new Media(queue, c.media().player())));
    }

    /** Starts the next prompt when the call is answered and nothing plays. */
    private WazoCall pump(WazoCall c) {
        List<Queued> queue = c.media().queue();
        if (!c.answered() || !c.media().idle() || c.ending() == Ending.HANGING_UP || queue.isEmpty()
                || !(queue.get(0) instanceof Ready next)) {
            return c;
        }
        Playback p = next.playback();
        String id = c.callId();
        calld.play(c.application(), id, p.uri(), p.language())
                .whenComplete((r, e) -> on(id, call -> started(call, p, r, e)));
        return c.media(new Media(queue.subList(1, queue.size()), new Starting(false, Set.of())));
    }

    private WazoCall started(WazoCall c, Playback p, WazoHttp.Response r, Throwable error) {
        if (!(c.media().player() instanceof Starting s)) {
            return c;
        }
        WazoCall idle = c.media(c.media().player(new Idle()));
        if (error != null) {
            LOG.error("call {}: calld could not play {} ({}); hanging up rather than leaving the caller in silence",
                    c.callId(), p.uri(), WazoHttp.describe(error));
            return hangUp(idle);
        }
        if (!r.ok()) {
            LOG.error("call {}: calld refused to play {} ({} {}); going on without it", c.callId(), p.uri(),
                    r.status(), r.body().path("message").asText(""));
            return r.status() != 404 ? playbackEnded(idle) : idle;
        }
        String uuid = r.body().path("uuid").asText("");
        if (s.stopWhenStarted()) {
            stop(c, uuid);
            return pump(idle);
        }
        if (s.finishedEarly().contains(uuid)) {
            return playbackEnded(idle);
        }
        return c.media(c.media().player(new Playing(uuid)));
    }

    private WazoCall playbackDeleted(WazoCall c, String uuid, String state) {
        Player player = c.media().player();
        if (player instanceof Playing p && p.playback().equals(uuid)) {
            if ("failed".equals(state)) {
                LOG.warn("call {}: a prompt could not be played (missing sound file?)", c.callId());
            }
            return playbackEnded(c.media(c.media().player(new Idle())));
        }
        if (player instanceof Starting s) {
            Set<String> early = new HashSet<>(s.finishedEarly().size() >= FINISHED_EARLY ? Set.of() : s.finishedEarly());
            early.add(uuid);
            return c.media(c.media().player(new Starting(s.stopWhenStarted(), early)));
        }
        return c;
    }

    /** The prompt under way is over: the next one, or the engine learns that all have been played. */
    private WazoCall playbackEnded(WazoCall c) {
        if (!c.media().queue().isEmpty()) {
            return pump(c);
        }
        if (c.ending() == Ending.AFTER_PROMPTS) {
            return hangUp(c);
        }
        return feed(c, new Event.PlaybackFinished());
    }

    private void stop(WazoCall c, String playback) {
        calld.stopPlayback(c.application(), playback).whenComplete((r, e) -> {
            if (e != null) {
                LOG.warn("call {}: calld did not stop a prompt ({})", c.callId(), WazoHttp.describe(e));
            }
        });
    }

    private WazoCall hangUp(WazoCall c) {
        if (c.ending() == Ending.HANGING_UP) {
            return c;
        }
        calld.hangUp(c.application(), c.callId()).whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("call {}: calld did not hang up the call ({})", c.callId(), WazoHttp.describe(e));
            }
        });
        return c.ending(Ending.HANGING_UP).media(c.media().cleared());
    }

    /** The adapter cannot carry on: the caller hears the flow's apology, then the call ends. */
    private WazoCall fail(WazoCall c, String reason) {
        if (c.state() == null || c.state().ended()) {
            return hangUp(c);
        }
        c = c.media(c.media().cleared());
        return apply(c, null, engine(c).fail(c.callId(), c.flowId(), c.state().language(), reason, clock.instant()));
    }

    // ---------------------------------------------------------------- recording

    private WazoCall record(WazoCall c, Action.RecordOperation operation) {
        String op = operation.name().toLowerCase(Locale.ROOT);
        calld.record(c.callId(), op).whenComplete((r, e) -> on(c.callId(), call -> {
            Event.RecordingChanged result;
            if (e != null) {
                LOG.warn("call {}: recording {} not done: calld unavailable ({}); the flow takes its fallback",
                        call.callId(), op, WazoHttp.describe(e));
                result = new Event.RecordingChanged(false, "calld unavailable");
            } else if (r.ok()) {
                result = new Event.RecordingChanged(true, "ok");
            } else if (r.status() == 403) {
                LOG.warn("call {}: calld refused to {} the recording (403 {}): on-demand recording is not enabled "
                        + "for this call (WAZO_USER_DTMF_RECORD_TOGGLE_ENABLED=1 on the channel turns it on); the "
                        + "flow takes its fallback", call.callId(), op, r.body().path("message").asText(""));
                result = new Event.RecordingChanged(false, "403 recording not enabled");
            } else {
                LOG.warn("call {}: calld answered {} to recording {}; the flow takes its fallback", call.callId(),
                        r.status(), op);
                result = new Event.RecordingChanged(false, "HTTP " + r.status());
            }
            return feed(call, result);
        }));
        return c;
    }

    // ---------------------------------------------------------------- hand-offs

    private record LegStarted(String node, WazoHttp.Response response) {
    }

    private WazoCall handOff(WazoCall c, Action a, Duration ring) {
        targets.resolve(a).whenComplete((res, e) -> on(c.callId(), call -> {
            if (call.state().phase() != CallState.Phase.CONNECTING) {
                return call;
            }
            WazoTargets.Resolution resolution = e == null ? res : WazoTargets.Resolution.fail(
                    Event.FailureReason.FAILED, WazoHttp.describe(e));
            if (resolution.failure() != null) {
                LOG.info("call {}: hand-off not possible: {}", call.callId(), resolution.failure().detail());
                return feed(call, resolution.failure());
            }
            return callInto(call, resolution.target(), ring);
        }));
        return c;
    }

    private WazoCall callInto(WazoCall c, Confd.Extension target, Duration ring) {
        boolean moh = musicOnHold != null;
        if (moh) {
            calld.startMusicOnHold(c.application(), c.callId(), musicOnHold);
        }
        String existing = c.handOff().node();
        CompletableFuture<String> node = existing != null ? CompletableFuture.completedFuture(existing)
                : calld.createNode(c.application(), c.callId()).thenApply(r -> {
                    if (!r.ok()) {
                        throw new WazoHttp.Unavailable("calld answered " + r.status() + " to creating a node");
                    }
                    return r.body().path("uuid").asText();
                });
        String id = c.callId();
        String application = c.application();
        node.thenCompose(n -> calld.callIntoNode(application, n, target.context(), target.exten(), c.caller())
                        .thenApply(r -> new LegStarted(n, r)))
                .whenComplete((started, e) -> lanes.run(id, () -> store.get(id).ifPresentOrElse(
                        call -> commit(legStarted(call.touched(clock.instant()), target, started, e, ring)),
                        () -> abandoned(application, started))));
        return c.handOff(new Calling(existing, moh));
    }

    /** The caller left while the destination was being called: it must not ring for nobody. */
    private void abandoned(String application, LegStarted started) {
        if (started != null && started.response().ok()) {
            calld.hangUp(application, started.response().body().path("id").asText());
        }
    }

    private WazoCall legStarted(WazoCall c, Confd.Extension target, LegStarted started, Throwable error,
                                Duration ring) {
        if (!(c.handOff() instanceof Calling calling)) {
            abandoned(c.application(), started);
            return c;
        }
        c = c.handOff(new Calling(started != null ? started.node() : calling.node(), calling.musicOnHold()));
        if (error != null || !started.response().ok()) {
            String why = error != null ? WazoHttp.describe(error)
                    : "calld answered " + started.response().status() + " "
                    + started.response().body().path("message").asText("");
            LOG.warn("call {}: could not call {}@{}: {}", c.callId(), target.exten(), target.context(), why);
            return handOffFailed(c, new Event.TransferFailed(Event.FailureReason.FAILED, why));
        }
        String leg = started.response().body().path("id").asText();
        legOwners.put(leg, c.callId());
        Instant deadline = clock.instant().plus(ring);
        c = c.handOff(new Ringing(c.handOff().node(), leg, deadline, calling.musicOnHold()));
        String id = c.callId();
        ringTimers.put(id, timers.at(deadline, () -> on(id, call -> ringTimedOut(call, leg, target, ring))));
        Unclaimed early = unclaimed.remove(leg);
        if (early != null) {
            for (BusEvent e : early.events()) {
                c = leg(c, e);
            }
        }
        return c;
    }

    private WazoCall ringTimedOut(WazoCall c, String leg, Confd.Extension target, Duration ring) {
        if (!(c.handOff() instanceof Ringing r) || !r.leg().equals(leg)) {
            return c;
        }
        LOG.info("call {}: {}@{} did not answer within {} s", c.callId(), target.exten(), target.context(),
                ring.toSeconds());
        calld.hangUp(c.application(), leg);
        legOwners.remove(leg);
        return handOffFailed(c.handOff(new Calling(r.node(), r.musicOnHold())),
                new Event.TransferFailed(Event.FailureReason.NO_ANSWER, "no answer"));
    }

    /** An event of the call made into the caller's node. */
    private WazoCall leg(WazoCall c, BusEvent e) {
        String leg = e.callId();
        if (!leg.equals(c.leg())) {
            return c;
        }
        switch (e.name()) {
            case "application_call_initiated", "application_call_answered" -> {
                if (c.handOff() instanceof Ringing r) {
                    cancelRing(c.callId());
                    if (r.musicOnHold()) {
                        calld.stopMusicOnHold(c.application(), c.callId());
                    }
                    return feed(c.handOff(new Connected(r.node(), r.leg())), new Event.TransferCompleted());
                }
                return c;
            }
            case "application_call_deleted" -> {
                legOwners.remove(leg);
                cancelRing(c.callId());
                if (c.handOff() instanceof Connected) {
                    // the other side hung up: nothing is left for the caller in the node
                    LOG.debug("call {}: the other party left; hanging up", c.callId());
                    return hangUp(c.handOff(new NoHandOff()));
                }
                Ringing r = (Ringing) c.handOff();
                return handOffFailed(c.handOff(new Calling(r.node(), r.musicOnHold())),
                        new Event.TransferFailed(Event.FailureReason.BUSY, "the call was not taken"));
            }
            default -> {
                return c;
            }
        }
    }

    /** The caller leaves the node (so prompts play to them alone again) and the flow takes its failure exit. */
    private WazoCall handOffFailed(WazoCall c, Event.TransferFailed failure) {
        if (c.handOff().musicOnHold()) {
            calld.stopMusicOnHold(c.application(), c.callId());
        }
        if (c.handOff().node() != null) {
            calld.leaveNode(c.application(), c.handOff().node(), c.callId());
        }
        return feed(c.handOff(new NoHandOff()), failure);
    }

    // ---------------------------------------------------------------- housekeeping

    /** Runs {@code task} on the call's lane if the call is still known there, and stores what it makes. */
    private void on(String callId, UnaryOperator<WazoCall> task) {
        lanes.run(callId, () -> store.get(callId).ifPresent(c -> commit(task.apply(c.touched(clock.instant())))));
    }

    private void commit(WazoCall c) {
        store.put(c);
    }

    private void cancelRing(String callId) {
        Timers.Timer t = ringTimers.remove(callId);
        if (t != null) {
            t.cancel();
        }
    }

    private void cancelTimers(String callId) {
        cancelRing(callId);
        Timers.Timer t = wakeTimers.remove(callId);
        if (t != null) {
            t.cancel();
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
            lanes.run(idleCall.callId(), () -> store.get(idleCall.callId()).ifPresent(c -> {
                if (c.touched().isAfter(now.minus(maxIdle))) {
                    return;
                }
                LOG.warn("call {}: no event for {} min; dropped as if its deletion event had come", c.callId(),
                        maxIdle.toMinutes());
                cancelTimers(c.callId());
                if (c.leg() != null) {
                    legOwners.remove(c.leg());
                }
                store.remove(c.callId());
                ended.put(c.callId(), now);
            }));
        }
        ended.values().removeIf(t -> t.isBefore(now.minus(TOMBSTONE)));
        unclaimed.values().removeIf(u -> u.since().isBefore(now.minus(UNCLAIMED)));
        return idle.size();
    }
}
