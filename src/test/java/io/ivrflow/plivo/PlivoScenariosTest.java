package io.ivrflow.plivo;

import io.ivrflow.IvrflowApplication;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.sim.Heard;
import io.ivrflow.sim.Scenario;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.ScenarioRunner;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example scenario, driven through the real Plivo webhooks by {@link FakePlivo}: the node trace, the
 * outcome and what the caller hears equal the offline simulator's, no call falls off the end of a document,
 * and every document obeys Plivo's XML rules and can be written with the official SDK's XML classes.
 */
class PlivoScenariosTest extends CamelMainTestSupport {

    static final int HTTP_PORT = AvailablePortFinder.getNextAvailable();
    static final String AUTH_TOKEN = "MzY0YTk1ZjQ0ZmQ3ODI5OGY5ZTM2N2Y1NmVh";
    static final String SIP_DOMAIN = "test.sip.example";
    /** Plivo's REST API, for recording commands: the same account as the webhooks' signatures. */
    static final FakePlivoApi PLIVO_API = FakePlivoApi.start(FakePlivoApi.DEFAULT_AUTH_ID, AUTH_TOKEN);

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T15:00:00Z"));
    private final WorldServices world = new WorldServices();

    @Override
    protected Class<?> getMainClass() {
        return IvrflowApplication.class;
    }

    @Override
    public void configureContext(CamelContextConfiguration c) {
        super.configureContext(c);
        c.withUseOverridePropertiesWithPropertiesComponent(properties());
    }

    static Properties properties() {
        Properties p = new Properties();
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("camel.server.port", String.valueOf(HTTP_PORT));
        p.put("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("ivr.flows.reload-enabled", "false");
        io.ivrflow.PromptTestSettings.noSynthesis(p);
        p.put("ivr.plivo.public-url", "http://localhost:" + HTTP_PORT);
        p.put("ivr.plivo.auth-token", AUTH_TOKEN);
        p.put("ivr.plivo.auth-id", FakePlivoApi.DEFAULT_AUTH_ID);
        p.put("ivr.plivo.api-url", PLIVO_API.url());
        p.put("ivr.plivo.token-secret", "test-secret-for-state-tokens");
        p.put("ivr.plivo.sip-domain", SIP_DOMAIN);
        p.put("ivr.plivo.destinations", "sales=sip:queue-sales@" + SIP_DOMAIN + ",support=sip:queue-support@" + SIP_DOMAIN);
        return p;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleScenarioRunsThroughPlivoAsInTheSimulator() throws Exception {
        PlivoWebhooks hooks = context.getRegistry().lookupByNameAndType("plivoWebhooks", PlivoWebhooks.class);
        hooks.setClock(clock);
        hooks.setLookupService(world);
        CallJournal journal = hooks.getJournal();
        ScenarioRunner simulator = new ScenarioRunner(FlowFiles.load(new io.ivrflow.flow.FlowLoader(), Path.of("flows")).catalog());
        List<String> xmlProblems = new ArrayList<>();
        FakePlivo plivo = new FakePlivo("http://localhost:" + HTTP_PORT, AUTH_TOKEN, clock, "queue-",
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
                    xmlProblems.clear();
                    FakePlivo.Call call = plivo.play(s, world, PLIVO_API);
                    CallJournal.Entry seen = journal.find(call.callId()).orElseThrow();
                    String where = "\nXML:\n" + String.join("\n", call.documents());
                    assertEquals(offline.call().nodes(), seen.trace().stream().map(TraceEntry::nodeId).toList(),
                            "node trace" + where);
                    assertEquals(offline.call().outcome().label(), seen.last().outcome().label(), "outcome" + where);
                    assertEquals(offline.call().heard().stream().map(Heard::text).toList(), call.heard(),
                            "what the caller heard" + where);
                    assertTrue(!"end-of-xml".equals(call.end()), "the call fell off the end of a document" + where);
                    assertEquals(List.of(), xmlProblems, "Plivo XML rules" + where);
                    long recordCommands = PLIVO_API.requests().stream()
                            .filter(r -> r.path().endsWith("/Call/" + call.callId() + "/Record/")).count();
                    long recordNodes = offline.call().actions().stream()
                            .filter(a -> a instanceof io.ivrflow.engine.Action.RecordControl).count();
                    assertEquals(recordNodes, recordCommands, "recording commands sent to Plivo's API");
                }));
            }
        }
        assertTrue(tests.size() >= 80, "scenarios found: " + tests.size());
        return tests.stream();
    }
}
