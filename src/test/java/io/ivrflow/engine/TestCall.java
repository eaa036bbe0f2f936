package io.ivrflow.engine;

import io.ivrflow.engine.CallState.Phase;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowLoader;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Drives one call through the {@link Engine} on an explicit clock: keeps the current state and the
 * instant, and collects every action and trace entry. Flows are built from inline JSON.
 */
final class TestCall {

    /** A Monday, 10:00 in New York. */
    static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");

    private static final FlowLoader LOADER = new FlowLoader();

    final FlowCatalog catalog;
    final Engine engine;
    CallState state;
    Instant now = T0;
    Step last;
    final List<Step> steps = new ArrayList<>();
    final List<Action> allActions = new ArrayList<>();
    final List<TraceEntry> allTrace = new ArrayList<>();

    private TestCall(FlowCatalog catalog) {
        this.catalog = catalog;
        this.engine = new Engine(catalog);
    }

    // ------------------------------------------------------------------ flows

    /** Loads a flow document; fails the test if the loader reports any error. */
    static Flow load(String json) {
        FlowLoader.Loaded loaded = LOADER.load(Path.of("test.json"), json.getBytes(UTF_8));
        assertFalse(loaded.hasErrors(), () -> "flow has errors: " + loaded.diagnostics());
        assertNotNull(loaded.flow());
        return loaded.flow();
    }

    static FlowCatalog catalog(String... jsons) {
        return FlowCatalog.of(Arrays.stream(jsons).map(TestCall::load).toList());
    }

    /** A full-format flow in one language (en-US, voice Polly.Joanna, New York time). */
    static String flow(String id, String start, String nodes) {
        return """
                {"ivrflow": 1, "id": "%s", "start": "%s", "languages": ["en-US"],
                 "voices": {"en-US": "Polly.Joanna"}, "timezone": "America/New_York",
                 "nodes": {%s}}
                """.formatted(id, start, nodes);
    }

    /** A full-format flow in en-US (default) and es-US, with a voice for each. */
    static String bilingual(String id, String start, String nodes) {
        return """
                {"ivrflow": 1, "id": "%s", "start": "%s", "languages": ["en-US", "es-US"],
                 "defaultLanguage": "en-US", "voices": {"en-US": "Polly.Joanna", "es-US": "Polly.Lupe"},
                 "timezone": "America/New_York", "nodes": {%s}}
                """.formatted(id, start, nodes);
    }

    static Event.CallStarted call() {
        return call(null, Map.of());
    }

    static Event.CallStarted call(String language, Map<String, String> variables) {
        return new Event.CallStarted("c1", "+15550001", "+15550002", "test", language, variables);
    }

    // ------------------------------------------------------------------ starting

    static TestCall start(FlowCatalog catalog, String flowId) {
        return start(catalog, flowId, call(), T0);
    }

    static TestCall start(String flowJson) {
        Flow f = load(flowJson);
        return start(FlowCatalog.of(List.of(f)), f.id());
    }

    static TestCall start(FlowCatalog catalog, String flowId, Event.CallStarted started, Instant at) {
        TestCall c = new TestCall(catalog);
        c.now = at;
        c.record(c.engine.start(flowId, started, at));
        return c;
    }

    /** A call resumed from a given state (for states the public API cannot reach directly). */
    static TestCall resume(FlowCatalog catalog, CallState state, Instant at) {
        TestCall c = new TestCall(catalog);
        c.state = state;
        c.now = at;
        return c;
    }

    private Step record(Step step) {
        last = step;
        state = step.state();
        steps.add(step);
        allActions.addAll(step.actions());
        allTrace.addAll(step.trace());
        return step;
    }

    // ------------------------------------------------------------------ clock and events

    /** Sets the clock to {@code T0 + millis}. */
    TestCall at(long millis) {
        now = T0.plusMillis(millis);
        return this;
    }

    TestCall after(long millis) {
        now = now.plusMillis(millis);
        return this;
    }

    Step send(Event event) {
        return record(engine.handle(state, event, now));
    }

    Step played() {
        return send(new Event.PlaybackFinished());
    }

    /** Keys as they are pressed (engine runs the timers). */
    Step keys(String keys) {
        return send(new Event.Digits(keys, false));
    }

    /** A whole entry gathered by the platform. */
    Step entry(String keys) {
        return send(new Event.Digits(keys, true));
    }

    Step noInput() {
        return send(new Event.NoInput());
    }

    Step timer() {
        return send(new Event.TimerFired());
    }

    /** Moves the clock to {@code state.wakeAt()} and fires the timer. */
    Step timerAtWake() {
        assertNotNull(state.wakeAt(), "the engine asked for no timer");
        now = state.wakeAt();
        return timer();
    }

    Step hangUp() {
        return send(new Event.HangUp());
    }

    // ------------------------------------------------------------------ views of the last step

    List<Action> actions() {
        return last.actions();
    }

    <T extends Action> List<T> actions(Class<T> type) {
        return last.actions().stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Action.Say> says() {
        return actions(Action.Say.class);
    }

    /** What the caller hears in the last step, in order. */
    List<String> heard() {
        return says().stream().map(s -> s.prompt().heard()).toList();
    }

    /** Everything heard since the call started. */
    List<String> heardAll() {
        return allActions.stream().filter(a -> a instanceof Action.Say).map(a -> ((Action.Say) a).prompt().heard())
                .toList();
    }

    /** The nodes entered in the last step, as {@code from -edge-> node}. */
    List<String> moves() {
        return last.trace().stream().map(TestCall::move).toList();
    }

    List<String> movesAll() {
        return allTrace.stream().map(TestCall::move).toList();
    }

    static String move(TraceEntry t) {
        return t.from() + " -" + t.edge() + "-> " + t.nodeId();
    }

    String node() {
        return state.nodeId();
    }

    Phase phase() {
        return state.phase();
    }

    String outcome() {
        return state.outcome() == null ? null : state.outcome().label();
    }

    String var(String name) {
        return state.variables().get(name);
    }

    Instant t(long millis) {
        return T0.plusMillis(millis);
    }
}
