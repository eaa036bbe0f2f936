package io.ivrflow.sim;

import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest {

    private static FlowCatalog flows;
    private static final Instant MONDAY_10AM_NEW_YORK = Instant.parse("2026-11-23T15:00:00Z");

    @BeforeAll
    static void load() throws IOException {
        flows = FlowFiles.load(new FlowLoader(), Path.of("flows")).catalog();
    }

    private static SimulatedCall call(String flow, World world, Instant at) {
        return SimulatedCall.start(new Engine(flows), flows, world, flow, null,
                new Event.CallStarted("t", "+15550100000", "+15550199999", "sim", null, Map.of()), at);
    }

    @Test
    void aTenMinuteCallRunsOnTheVirtualClock() {
        SimulatedCall c = call("contact-centre", World.DEFAULT, MONDAY_10AM_NEW_YORK);
        c.press("1");            // English
        c.press("2");            // support
        c.press("1");            // technical support, recorded, queued
        c.waitFor(Duration.ofMinutes(10));
        c.finish();
        assertTrue(c.ended());
        assertEquals("queued:support", c.outcome().label());
        long wallStart = System.nanoTime();
        SimulatedCall silent = call("contact-centre", World.DEFAULT, MONDAY_10AM_NEW_YORK);
        silent.waitFor(Duration.ofMinutes(10));
        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        assertTrue(silent.elapsed().compareTo(Duration.ofMinutes(10)) >= 0, "virtual time: " + silent.elapsed());
        assertTrue(silent.ended(), "a silent caller is taken to an end");
        System.out.println("ten minutes of call time took " + wallMillis + " ms of wall time");
    }

    @Test
    void aSilentCallerIsNeverStuck() {
        for (String flow : List.of("contact-centre", "inspireworks", "wazo-ivr-plugin", "card-payment")) {
            SimulatedCall c = call(flow, World.DEFAULT, MONDAY_10AM_NEW_YORK);
            c.finish();
            assertTrue(c.ended(), flow + " left a silent caller with nowhere to go: " + c.timeline());
            assertFalse(c.stuck());
            assertFalse(c.heard().isEmpty(), flow + " said nothing");
        }
    }

    @Test
    void bargeInMarksThePromptInterrupted() {
        SimulatedCall c = call("inspireworks", World.DEFAULT, MONDAY_10AM_NEW_YORK);
        c.press("2", true, null);
        assertTrue(c.heard().get(0).interrupted(), "the welcome prompt was cut by the key");
        assertEquals("es-US", c.state().language());
    }

    @Test
    void sensitiveKeysAreMaskedInTheTimeline() {
        World approved = new World(Map.of("authorize", List.of(new World.LookupAnswer(Event.LookupStatus.FOUND,
                Map.of("/status", "approved", "/reference", "R1"), null))), Map.of(), Map.of(), Map.of(), false);
        SimulatedCall c = call("contact-centre", approved, MONDAY_10AM_NEW_YORK);
        c.press("1");
        c.press("3");
        c.press("4111111111111111#");
        c.press("1228");
        c.finish();
        assertEquals("hung-up:goodbye", c.outcome().label());
        String log = String.join("\n", c.timeline());
        assertFalse(log.contains("4111"), log);
        assertFalse(log.contains("1228"), log);
        assertTrue(log.contains("caller presses *"));
        assertTrue(c.heard().stream().anyMatch(h -> h.text().contains("Your reference is R1")));
    }

    @Test
    void scenarioFilesWithMistakesAreReportedWithTheirName(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path bad = dir.resolve("x.scenarios.json");
        Files.writeString(bad, "{\"flow\": \"inspireworks\", \"scenarios\": [{\"steps\": [{\"jump\": 1}]}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioFiles.read(bad));
        assertTrue(e.getMessage().contains("x.scenarios.json") && e.getMessage().contains("unknown step"),
                e.getMessage());
        Files.writeString(bad, "{\"flow\": ");
        assertThrows(IllegalArgumentException.class, () -> ScenarioFiles.read(bad));
    }

    @Test
    void failedExpectationsAreExplained() {
        Scenario s = new Scenario("t", "inspireworks", "wrong on purpose", "+1", "+2", null, MONDAY_10AM_NEW_YORK,
                null, Map.of(), World.DEFAULT, List.of(new Scenario.Press("1", false, null),
                new Scenario.Check("level1", null, null)),
                new Scenario.Expect("queued:nowhere", List.of("level1"), List.of("Bonjour"), List.of("Welcome"),
                        Map.of(), "fr-FR"));
        ScenarioRunner.Result r = new ScenarioRunner(flows).run(s);
        assertFalse(r.passed());
        String all = String.join("\n", r.failures());
        for (String expected : List.of("expected to be at node level1", "outcome: expected queued:nowhere",
                "trace: expected [level1]", "expected to hear \"Bonjour\"", "heard \"Welcome\"", "language: expected fr-FR")) {
            assertTrue(all.contains(expected), "missing <" + expected + "> in:\n" + all);
        }
    }
}
