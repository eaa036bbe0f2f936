package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.Node;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.sim.Scenario;
import io.ivrflow.sim.SimulatedCall;
import io.ivrflow.sim.World;
import io.ivrflow.wazo.fake.FakeWazo;
import io.ivrflow.wazo.fake.VirtualTime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays a {@link Scenario}'s caller against the service through {@link FakeWazo}, on virtual time: keys become
 * DTMF events on the bus, and the scenario's {@link World} becomes what the fake services answer (agents in
 * queues, destinations that answer or not, recording refused, dird and HTTP lookups with their latency).
 * Between two moves it waits until the service is quiet: every event published handled, no request under way.
 * The caller behaves as in {@link SimulatedCall}, so the two can be compared.
 */
final class ScenarioCaller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);

    private final FakeWazo wazo;
    private final VirtualTime time;
    private final WazoEvents events;
    private final CallJournal journal;
    private final FlowCatalog flows;
    private final Map<String, String> applications;
    private final RecordingPromptMedia media;
    private final Map<String, String> queueExtens = new LinkedHashMap<>();

    private World world = World.DEFAULT;
    private String callId;
    private final Map<String, Integer> lookupsDone = new ConcurrentHashMap<>();

    /** @param applications calld application uuid by flow id */
    ScenarioCaller(FakeWazo wazo, VirtualTime time, WazoEvents events, CallJournal journal, FlowCatalog flows,
                   Map<String, String> applications, RecordingPromptMedia media) {
        this.wazo = wazo;
        this.time = time;
        this.events = events;
        this.journal = journal;
        this.flows = flows;
        this.applications = applications;
        this.media = media;
        TreeSet<String> names = new TreeSet<>();
        for (Flow f : flows.all()) {
            for (Node n : f.nodes().values()) {
                if (n instanceof Node.Queue q) {
                    names.add(q.queue());
                }
            }
        }
        int i = 0;
        for (String q : names) {
            queueExtens.put(q, String.valueOf(3001 + i++));
        }
        wazo.playbackLength = uri -> {
            RenderedPrompt p = media.prompt(uri);
            return p == null ? SimulatedCall.AUDIO_LENGTH : SimulatedCall.length(p);
        };
        wazo.queues = name -> queueExtens.containsKey(name) ? FakeWazo.queue(name, queueExtens.get(name), "queues")
                : JSON.createArrayNode();
        wazo.agents = this::agents;
        wazo.legs = this::leg;
        wazo.recordingAllowed = id -> !world.recordingFails();
        wazo.dird = (profile, term) -> {
            World.LookupAnswer a = nextLookup();
            return switch (a.status()) {
                case FOUND -> new FakeWazo.DirdAnswer(200, FakeWazo.lookupResult(term, a.fields()), a.latency());
                case NOT_FOUND -> new FakeWazo.DirdAnswer(200, FakeWazo.lookupResult(term, Map.of()), a.latency());
                case FAILED -> new FakeWazo.DirdAnswer(404, JSON.createObjectNode().put("message", "no such profile"),
                        a.latency());
            };
        };
    }

    /** HTTP lookups (payments) answered from the world, on virtual time. */
    LookupService httpLookups() {
        return request -> {
            World.LookupAnswer a = nextLookup();
            CompletableFuture<Event.LookupResult> f = new CompletableFuture<>();
            time.at(time.instant().plus(a.latency()), () -> f.complete(new Event.LookupResult(request.requestId(),
                    a.status(), a.fields())));
            return f;
        };
    }

    /** The answer to the lookup of the node the call is at, counting lookups per node as the simulator does. */
    private World.LookupAnswer nextLookup() {
        String node = state().map(CallState::nodeId).orElse("");
        return world.lookup(node, lookupsDone.merge(node, 1, Integer::sum) - 1);
    }

    private ArrayNode agents() {
        ArrayNode all = JSON.createArrayNode();
        int n = 0;
        for (String q : queueExtens.keySet()) {
            for (int i = 0; i < world.agents(q); i++) {
                all.add(FakeWazo.agent(String.valueOf(5000 + n++), true, false, q));
            }
        }
        // agents named in flows (agent nodes) are logged in, on a phone whose extension is their number
        for (Flow f : flows.all()) {
            for (Node node : f.nodes().values()) {
                if (node instanceof Node.Agent a) {
                    all.add(FakeWazo.agent(a.agent(), true, false));
                }
            }
        }
        return all;
    }

    private FakeWazo.Leg leg(String exten, String context) {
        String destination = exten;
        if ("queues".equals(context)) {
            String queue = queueExtens.entrySet().stream().filter(e -> e.getValue().equals(exten))
                    .map(Map.Entry::getKey).findFirst().orElse(exten);
            Event.FailureReason failure = world.queues().get(queue);
            return failure == null ? new FakeWazo.Answers(Duration.ofSeconds(1)) : outcome(failure);
        }
        if (exten.startsWith("*97")) {
            destination = exten.substring(3);
        }
        Event.FailureReason failure = world.transferFailure(destination);
        return failure == null ? new FakeWazo.Answers(Duration.ofSeconds(2)) : outcome(failure);
    }

    private static FakeWazo.Leg outcome(Event.FailureReason failure) {
        return failure == Event.FailureReason.FAILED ? new FakeWazo.Refused() : new FakeWazo.NeverAnswers();
    }

    // ---------------------------------------------------------------- one call

    /** Plays the scenario; returns the call id. */
    String play(Scenario s) {
        world = s.world() == null ? World.DEFAULT : s.world();
        lookupsDone.clear();
        time.clear();
        time.set(s.at());
        Map<String, String> variables = new HashMap<>(s.variables());
        if (s.language() != null) {
            variables.put("IVR_LANGUAGE", s.language());
        }
        if (s.start() != null) {
            variables.put("IVR_START", s.start());
        }
        callId = wazo.enter(applications.get(s.flow()), s.caller(), s.called(), variables);
        settle();
        for (Scenario.Step step : s.steps()) {
            if (ended()) {
                break;
            }
            if (step instanceof Scenario.Press p) {
                press(p);
            } else if (step instanceof Scenario.Wait w) {
                advanceTo(time.instant().plus(w.duration()));
            } else if (step instanceof Scenario.HangUp) {
                wazo.hangUp(callId);
                settle();
            }
        }
        Instant limit = s.at().plus(SimulatedCall.MAX_CALL);
        while (!ended() && time.runNext(limit)) {
            settle();
        }
        return callId;
    }

    /** Hangs up what is left of the call and runs what the fake still had planned, so the next call starts clean. */
    void cleanUp() {
        if (callId != null && wazo.alive(callId)) {
            wazo.hangUp(callId);
            settle();
        }
        while (time.runNext(Instant.MAX)) {
            settle();
        }
        time.clear();
    }

    private void press(Scenario.Press p) {
        if (!p.interrupt()) {
            while (!ended() && !collecting() && time.next() != null) {
                time.runNext(Instant.MAX);
                settle();
            }
        }
        Duration gap = p.gap() == null ? SimulatedCall.KEY_GAP : p.gap();
        for (int i = 0; i < p.keys().length() && !ended(); i++) {
            if (i > 0) {
                advanceTo(time.instant().plus(gap));
            }
            wazo.press(callId, p.keys().charAt(i));
            settle();
        }
    }

    private void advanceTo(Instant target) {
        while (!ended() && time.runNext(target)) {
            settle();
        }
        if (target.isAfter(time.instant())) {
            time.set(target);
        }
    }

    private Optional<CallState> state() {
        if (callId == null) {
            return Optional.empty();
        }
        return journal.find(callId).map(CallJournal.Entry::last);
    }

    private boolean ended() {
        return state().map(CallState::ended).orElse(true);
    }

    private boolean collecting() {
        return state().map(st -> st.phase() == CallState.Phase.COLLECTING).orElse(false);
    }

    /** Waits until every event published has been handled and nobody has a request under way, twice in a row. */
    void settle() {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int quiet = 0;
        while (quiet < 3) {
            boolean now = wazo.busy() == 0 && events.lanesPending() == 0
                    && events.requestsInFlight() == wazo.held()
                    && wazo.publishedHandled() == events.calls().handled();
            quiet = now ? quiet + 1 : 0;
            if (events.calls().handled() > wazo.publishedHandled()) {
                // handled only grows: the counts can never meet again, and every later scenario would wait its
                // whole limit too
                throw new AssertionError("the service handled " + events.calls().handled() + " events but the fake"
                        + " published " + wazo.publishedHandled() + ": something else publishes on this application");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the service never settled: published " + wazo.publishedHandled()
                        + ", handled " + events.calls().handled() + ", fake busy " + wazo.busy() + ", lanes " + events.lanesPending()
                        + ", requests " + events.requestsInFlight());
            }
            Thread.onSpinWait();
            if (quiet > 0) {
                try {
                    Thread.sleep(0, 200_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Every record command of the flow as the engine asked for it. */
    static long recordActions(Iterable<Action> actions) {
        long n = 0;
        for (Action a : actions) {
            if (a instanceof Action.RecordControl) {
                n++;
            }
        }
        return n;
    }
}
