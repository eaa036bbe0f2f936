package io.ivrflow.sim;

import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.flow.FlowCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs scenarios against flows in the simulator and checks their expectations. */
public final class ScenarioRunner {

    private final FlowCatalog flows;
    private final Engine engine;

    public ScenarioRunner(FlowCatalog flows) {
        this.flows = flows;
        this.engine = new Engine(flows);
    }

    /** A scenario's run: the call as it went, and every expectation it missed. */
    public record Result(Scenario scenario, SimulatedCall call, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    public Result run(Scenario s) {
        List<String> failures = new ArrayList<>();
        if (flows.find(s.flow()).isEmpty()) {
            failures.add("flow " + s.flow() + " is not loaded (or has errors)");
            return new Result(s, null, failures);
        }
        Event.CallStarted started = new Event.CallStarted("sim-" + Integer.toHexString(s.name().hashCode()),
                s.caller(), s.called(), "sim", s.language(), s.variables());
        SimulatedCall call = SimulatedCall.start(engine, flows, s.world(), s.flow(), s.start(), started, s.at());
        int heardBefore = 0;
        for (Scenario.Step step : s.steps()) {
            if (step instanceof Scenario.Press p) {
                if (call.ended()) {
                    failures.add("the call ended before the caller could press " + p.keys());
                    break;
                }
                call.press(p.keys(), p.interrupt(), p.gap());
            } else if (step instanceof Scenario.Wait w) {
                call.waitFor(w.duration());
            } else if (step instanceof Scenario.HangUp) {
                call.hangUp();
            } else if (step instanceof Scenario.Check c) {
                check(call, c, heardBefore, failures);
                heardBefore = call.heard().size();
            }
        }
        call.finish();
        expect(call, s.expect(), failures);
        return new Result(s, call, failures);
    }

    private static void check(SimulatedCall call, Scenario.Check c, int heardBefore, List<String> failures) {
        if (c.node() != null && !c.node().equals(call.state().nodeId())) {
            failures.add("at " + call.elapsed() + " expected to be at node " + c.node() + " but was at "
                    + call.state().nodeId());
        }
        if (c.heard() != null) {
            List<Heard> recent = call.heard().subList(heardBefore, call.heard().size());
            if (recent.stream().noneMatch(h -> h.text().contains(c.heard()))) {
                failures.add("expected to hear \"" + c.heard() + "\" by " + call.elapsed() + "; heard "
                        + recent.stream().map(Heard::text).toList());
            }
        }
        if (c.language() != null && !c.language().equals(call.state().language())) {
            failures.add("expected language " + c.language() + " but the call is in " + call.state().language());
        }
    }

    private static void expect(SimulatedCall call, Scenario.Expect e, List<String> failures) {
        if (call.stuck()) {
            failures.add("the call never ended: " + call.state().phase() + " at " + call.state().nodeId());
        }
        String outcome = call.outcome() == null ? null : call.outcome().label();
        if (e.outcome() != null && !e.outcome().equals(outcome)) {
            failures.add("outcome: expected " + e.outcome() + " but was " + outcome);
        }
        if (e.trace() != null && !e.trace().equals(call.nodes())) {
            failures.add("trace: expected " + e.trace() + " but was " + call.nodes());
        }
        int from = 0;
        for (String text : e.heard()) {
            int found = -1;
            for (int i = from; i < call.heard().size(); i++) {
                if (call.heard().get(i).text().contains(text)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                failures.add("expected to hear \"" + text + "\" (in order); heard "
                        + call.heard().stream().map(Heard::text).toList());
                break;
            }
            from = found + 1;
        }
        for (String text : e.notHeard()) {
            call.heard().stream().filter(h -> h.text().contains(text)).findFirst().ifPresent(h ->
                    failures.add("heard \"" + text + "\" which it must not: \"" + h.text() + "\""));
        }
        for (Map.Entry<String, String> v : e.variables().entrySet()) {
            String actual = call.state().variables().get(v.getKey());
            if (!v.getValue().equals(actual)) {
                failures.add("variable " + v.getKey() + ": expected " + v.getValue() + " but was " + actual);
            }
        }
        if (e.language() != null && !e.language().equals(call.state().language())) {
            failures.add("language: expected " + e.language() + " but was " + call.state().language());
        }
    }
}
