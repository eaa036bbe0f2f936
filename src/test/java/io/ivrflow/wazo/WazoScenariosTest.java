package io.ivrflow.wazo;

import io.ivrflow.Collaborators;
import io.ivrflow.EventKinds;
import io.ivrflow.LogCapture;
import io.ivrflow.LogPrivacy;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.sim.Scenario;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.ScenarioRunner;
import io.ivrflow.wazo.fake.FakeWazo;
import io.ivrflow.wazo.fake.VirtualTime;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example scenario through Wazo: a fake calld publishes the call's events on the real RabbitMQ, the service
 * consumes them through the real routes and answers with calld commands the fake checks against Wazo's OpenAPI
 * specs. The node trace and the outcome equal the offline simulator's, the recording commands equal the flow's
 * record nodes, and no request breaks the specs.
 */
class WazoScenariosTest extends WazoTestSupport {

    static final VirtualTime TIME = new VirtualTime(Instant.parse("2026-11-23T15:00:00Z"));
    static final FakeWazo WAZO;

    static {
        try {
            WAZO = FakeWazo.start(TIME, TIME);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @AfterAll
    static void stopFake() {
        WAZO.close();
    }

    @Override
    FakeWazo wazo() {
        return WAZO;
    }

    private final RecordingPromptMedia media = new RecordingPromptMedia();
    /** Answers the flows' HTTP lookups once the scenario caller exists (it is made after the service starts). */
    private volatile LookupService lookups;

    @Override
    protected Collaborators collaborators() {
        return Collaborators.none().withClock(TIME).withWazoTimers(TIME).withWazoMedia(media)
                .withLookups(request -> lookups.lookup(request));
    }

    @Override
    void moreProperties(Properties p) {
        // each scenario has its own world: nothing may be remembered from the previous call
        p.put("ivr.wazo.directory-cache", "0");
        p.put("ivr.wazo.queue-cache", "0");
        p.put("ivr.wazo.agent-cache", "0");
        // time is virtual here: a request held by the fake (a slow dird) must not time out in real time on a
        // loaded machine, or the adapter's retry would count as a second lookup
        p.put("ivr.wazo.request-timeout", "20000");
        // the simulator rings a destination without a timeout of its own for 20 s
        p.put("ivr.wazo.ring-timeout", "20");
        // no synthesis backend at all, as on a machine without espeak-ng and Polly: prompts fall back to the
        // platform (this used to stall after the first prompt, until settling waited for calld continuations)
        p.put("ivr.prompts.backends", "");
    }

    /** Every line the scenarios make, at every level, for the privacy check that ends them. */
    private static LogCapture log;

    @AfterAll
    static void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExampleScenarioRunsThroughWazoAsInTheSimulator() throws Exception {
        log = LogCapture.atEveryLevel();
        LogPrivacy privacy = new LogPrivacy();
        privacy.secret(FakeWazo.PASSWORD, "the wazo-auth password");
        FlowCatalog catalog = FlowFiles.load(new FlowLoader(), Path.of("flows")).catalog();
        // one calld application per flow: the main one from the properties, the others from the same template
        Map<String, String> apps = new LinkedHashMap<>();
        for (var flow : catalog.all()) {
            String app = flow.id().equals("contact-centre") ? APP
                    : UUID.nameUUIDFromBytes(flow.id().getBytes()).toString();
            apps.put(flow.id(), app);
        }
        purge(apps.values().toArray(String[]::new));
        for (Map.Entry<String, String> e : apps.entrySet()) {
            if (!e.getValue().equals(APP)) {
                TemplatedRouteBuilder.builder(context, "wazo-events").routeId("wazo-events-" + e.getKey())
                        .parameter("application", e.getValue()).parameter("flow", e.getKey())
                        .parameter("enabled", "true").add();
                // routes added once the context runs are not started by the supervising route controller
                context.getRouteController().startRoute("wazo-events-" + e.getKey());
            }
        }
        WazoEvents events = events();
        CallJournal journal = journal();
        ScenarioCaller caller = new ScenarioCaller(WAZO, TIME, events, journal, catalog, apps, media);
        lookups = caller.httpLookups();
        ScenarioRunner simulator = new ScenarioRunner(catalog);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : ScenarioFiles.list(Path.of("flows"))) {
            for (Scenario s : ScenarioFiles.read(file)) {
                tests.add(DynamicTest.dynamicTest(s.flow() + ": " + s.name(), () -> {
                    ScenarioRunner.Result offline = simulator.run(s);
                    assertTrue(offline.passed(), "the simulator itself fails: " + offline.failures());
                    privacy.scenario(s, null, null);
                    WAZO.clearRequests();
                    String callId = caller.play(s);
                    try {
                        CallJournal.Entry seen = journal.find(callId).orElseThrow();
                        String where = "\nrequests:\n" + String.join("\n", WAZO.requests().stream()
                                .map(r -> r.method() + " " + r.path() + (r.body().isEmpty() ? "" : " " + r.body()))
                                .toList());
                        assertEquals(offline.call().nodes(), seen.trace().stream().map(TraceEntry::nodeId).toList(),
                                "node trace" + where);
                        assertEquals(offline.call().outcome().label(), seen.last().outcome().label(), "outcome" + where);
                        long recordCommands = WAZO.requests(callId).stream()
                                .filter(r -> r.path().contains("/record/")).count();
                        assertEquals(ScenarioCaller.recordActions(offline.call().actions()), recordCommands,
                                "recording commands sent to calld");
                        assertEquals(List.of(), WAZO.violations(), "requests that break Wazo's OpenAPI specs");
                    } finally {
                        caller.cleanUp();
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 80, "scenarios found: " + tests.size());
        // the call log names each step's event: every kind must have come from the platform's side
        tests.add(EventKinds.seenOn("wazo", java.util.Map.of("no-input", "calld gathers no keys: the adapter runs the input timers, and silence is a timer-fired")));
        tests.add(DynamicTest.dynamicTest("the wazo-auth tokens are among what is looked for",
                () -> WAZO.issuedTokens().forEach(t -> privacy.secret(t, "a wazo-auth token"))));
        tests.add(privacy.check("wazo", log));
        return tests.stream();
    }
}
