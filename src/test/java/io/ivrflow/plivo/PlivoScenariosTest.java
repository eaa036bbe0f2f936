package io.ivrflow.plivo;

import io.ivrflow.EventKinds;
import io.ivrflow.LogCapture;
import io.ivrflow.LogPrivacy;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.sim.Heard;
import io.ivrflow.sim.Scenario;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.ScenarioRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example scenario, driven through the real Plivo webhooks by {@link FakePlivo}: the node trace, the
 * outcome and what the caller hears equal the offline simulator's, no call falls off the end of a document,
 * and every document obeys Plivo's XML rules and can be written with the official SDK's XML classes.
 */
class PlivoScenariosTest extends PlivoTestSupport {

    /** Recording commands go to Plivo's API (the fake), where the test counts them. */
    @Override
    CallRecorder recorder() {
        return null;
    }

    /** Every line the scenarios make, at every level, for the privacy check that ends them. */
    private LogCapture log;

    @AfterAll
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleScenarioRunsThroughPlivoAsInTheSimulator() throws Exception {
        log = LogCapture.atEveryLevel();
        LogPrivacy privacy = new LogPrivacy();
        privacy.secret(AUTH_TOKEN, "the Plivo auth token");
        privacy.secret(TOKEN_SECRET, "the state token secret");
        CallJournal journal = context.getRegistry().lookupByNameAndType("callJournal", CallJournal.class);
        ScenarioRunner simulator = new ScenarioRunner(FlowFiles.load(new io.ivrflow.flow.FlowLoader(), Path.of("flows")).catalog());
        List<String> xmlProblems = new ArrayList<>();
        FakePlivo plivo = new FakePlivo(base(), AUTH_TOKEN, clock, "queue-",
                xml -> {
                    xmlProblems.addAll(PlivoXmlRules.violations(xml));
                    PlivoSdkXml.assertEquivalent(xml, PlivoSdkXml.express(xml));
                });
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : ScenarioFiles.list(Path.of("flows"))) {
            for (Scenario s : ScenarioFiles.read(file)) {
                tests.add(DynamicTest.dynamicTest(s.flow() + ": " + s.name(), () -> {
                    ScenarioRunner.Result offline = simulator.run(s);
                    assertTrue(offline.passed(), "the simulator itself fails: " + offline.failures());
                    privacy.scenario(s, FakePlivo.DEFAULT_CALLER, FakePlivo.DEFAULT_CALLED);
                    xmlProblems.clear();
                    FakePlivo.Call call = plivo.play(s, world, plivoApi, offline.call().actions().stream()
                            .filter(a -> a instanceof io.ivrflow.engine.Action.Voicemail)
                            .map(a -> ((io.ivrflow.engine.Action.Voicemail) a).mailbox()).toList());
                    privacy.stateTokensIn(call.documents());
                    CallJournal.Entry seen = journal.find(call.callId()).orElseThrow();
                    String where = "\nXML:\n" + String.join("\n", call.documents());
                    assertEquals(offline.call().nodes(), seen.trace().stream().map(TraceEntry::nodeId).toList(),
                            "node trace" + where);
                    assertEquals(offline.call().outcome().label(), seen.last().outcome().label(), "outcome" + where);
                    assertEquals(offline.call().heard().stream().map(Heard::text).toList(), call.heard(),
                            "what the caller heard" + where);
                    assertTrue(!"end-of-xml".equals(call.end()), "the call fell off the end of a document" + where);
                    assertEquals(List.of(), xmlProblems, "Plivo XML rules" + where);
                    long recordCommands = plivoApi.requests().stream()
                            .filter(r -> r.path().endsWith("/Call/" + call.callId() + "/Record/")).count();
                    long recordNodes = offline.call().actions().stream()
                            .filter(a -> a instanceof io.ivrflow.engine.Action.RecordControl).count();
                    assertEquals(recordNodes, recordCommands, "recording commands sent to Plivo's API");
                }));
            }
        }
        assertTrue(tests.size() >= 80, "scenarios found: " + tests.size());
        // the call log names each step's event: every kind must have come from the platform's side
        tests.add(EventKinds.seenOn("plivo", java.util.Map.of()));
        tests.add(privacy.check("plivo", log));
        return tests.stream();
    }
}
