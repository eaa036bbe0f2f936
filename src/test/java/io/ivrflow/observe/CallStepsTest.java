package io.ivrflow.observe;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.engine.Step;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call log's line and the metrics, from real engine steps of the test flows. */
class CallStepsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T15:00:00Z");
    private final FlowCatalog flows = FlowCatalog.of(List.of(
            new FlowLoader().load(Path.of("src/test/resources/operate/hotline-v1.json")).flow(),
            new FlowLoader().load(Path.of("src/test/resources/operate/pin.json")).flow()));
    private final Engine engine = new Engine(flows);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CallMetrics metrics = new CallMetrics(registry);
    private final List<String> lines = new ArrayList<>();
    private CallState state;

    private void run(String flow, Event event) {
        Step step = state == null ? engine.startAt(flow, null, (Event.CallStarted) event, T0)
                : engine.handle(state, event, T0);
        CallStep s = new CallStep("wazo", flow, "r1", state, event, step, T0, flows);
        lines.add(CallLog.line(s));
        metrics.step(s);
        state = step.state();
        if (state.phase() == CallState.Phase.PLAYING && !state.ended()) {
            run(flow, new Event.PlaybackFinished());
        }
    }

    private static Event.CallStarted started() {
        return new Event.CallStarted("c1", "+15551230000", "1000", "wazo", null, Map.of());
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void noInputAndNoMatchAreCountedAtEachRepromptAndAtTheExit() {
        run("hotline", started());
        run("hotline", new Event.NoInput());
        run("hotline", new Event.Digits("7", true));
        run("hotline", new Event.Digits("8", true));
        // the second wrong key exhausts noMatch (max 2): the fallback takes the caller to bye
        assertEquals(1, count("ivr.menu.no.input", "flow", "hotline", "node", "menu"));
        assertEquals(2, count("ivr.menu.no.match", "flow", "hotline", "node", "menu"));
        assertEquals(1, count("ivr.node.visits", "flow", "hotline", "node", "menu"));
        assertEquals(1, count("ivr.node.visits", "flow", "hotline", "node", "bye"));
        assertEquals(1, count("ivr.calls.started", "flow", "hotline", "platform", "wazo"));
        assertEquals(1, count("ivr.calls.ended", "flow", "hotline", "platform", "wazo"));
        assertEquals(1, count("ivr.call.outcomes", "flow", "hotline", "platform", "wazo", "outcome", "hung-up"));
        assertTrue(lines.get(0).startsWith("call=c1 platform=wazo flow=hotline release=r1 node=menu event=call-started"),
                lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("event=digits:8") && l.contains("path=bye")), lines.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith("outcome=hung-up:bye"), lines.toString());
    }

    @Test
    void keysOfASensitiveNodeNeverReachTheLine() {
        run("pin", started());
        run("pin", new Event.Digits("1", false));
        run("pin", new Event.Digits("2", false));
        run("pin", new Event.Digits("3", false));
        run("pin", new Event.Digits("4", false));
        run("pin", new Event.Digits("#", false));
        assertTrue(lines.stream().anyMatch(l -> l.contains("event=digits:****")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("action=set:pin")), lines.toString());
        assertFalse(lines.stream().anyMatch(l -> l.matches(".*digits:[0-9#].*")), lines.toString());
        assertFalse(String.join("\n", lines).contains("1234"), lines.toString());
        assertEquals(1, count("ivr.call.outcomes", "flow", "pin", "platform", "wazo", "outcome", "hung-up"));
    }
}
