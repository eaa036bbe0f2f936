package io.ivrflow.wazo;

import io.ivrflow.engine.TraceEntry;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the caller gets when a peer misbehaves, in real time against the real broker: calld answering 5xx or
 * too late (retried with backoff, then the call is ended rather than left in silence), dird too slow (the flow's
 * failure exit at the node's timeout), and RabbitMQ restarting in the middle of a call (the consumer comes back,
 * the events published meanwhile wait in the durable queue, the call carries on).
 */
class WazoFaultsTest extends WazoTestSupport {

    static final FakeWazo WAZO;

    static {
        WAZO = realTimeFake();
    }

    @AfterAll
    static void stopFake() {
        WAZO.close();
    }

    @Override
    FakeWazo wazo() {
        return WAZO;
    }

    @Override
    void moreProperties(Properties p) {
        p.put("ivr.wazo.request-timeout", "400");
        p.put("ivr.wazo.retries", "3");
        p.put("ivr.wazo.retry-backoff", "50");
    }

    @BeforeEach
    void reset() {
        WAZO.playbackLength = uri -> Duration.ofMillis(150);
        WAZO.calldFailures.set(0);
        WAZO.failingPaths = Pattern.compile(".*");
        WAZO.calldDelay = Duration.ZERO;
        WAZO.agents = oneAgentInSalesAndSupport();
    }

    @AfterEach
    void quiet() {
        WAZO.calldDelay = Duration.ZERO;
        WAZO.calldFailures.set(0);
    }

    @Test
    void calldAnswering5xxIsRetriedWithBackoff() throws Exception {
        WAZO.calldFailures.set(2);
        String id = WAZO.enter(APP, "+15551110001", "1000", Map.of("IVR_START", "main_menu"));
        await(() -> WAZO.requests(id).stream().anyMatch(r -> r.path().endsWith("/playbacks")), "the menu prompt");
        long answers = WAZO.requests(id).stream().filter(r -> r.path().endsWith("/answer")).count();
        assertEquals(3, answers, "two 503s, then the answer went through");
        List<FakeWazo.Request> tries = WAZO.requests(id).stream().filter(r -> r.path().endsWith("/answer")).toList();
        assertTrue(Duration.between(tries.get(0).at(), tries.get(2).at()).toMillis() >= 150,
                "retries 50 ms then 100 ms apart: " + tries);
        assertTrue(faults("calld", "5xx") >= 2, "the 503s are counted");
        assertTrue(faultDetail("calld", "5xx").contains("/answer: HTTP 503"), faultDetail("calld", "5xx"));
        WAZO.hangUp(id);
    }

    @Test
    void aPromptCalldKeepsRefusingEndsTheCallInsteadOfLeavingTheCallerInSilence() {
        String id = WAZO.enter(APP, "+15551110002", "1000", Map.of("IVR_START", "main_menu"));
        await(() -> WAZO.requests(id).stream().anyMatch(r -> r.path().endsWith("/playbacks")), "the menu prompt");
        // the re-prompt after a silence cannot be played: four attempts fail
        WAZO.failingPaths = Pattern.compile(".*/playbacks");
        WAZO.calldFailures.set(4);
        WAZO.press(id, '7');
        await(() -> !WAZO.alive(id), "the call to be hung up");
        List<FakeWazo.Request> seen = WAZO.requests(id);
        assertEquals("DELETE", seen.get(seen.size() - 1).method(), seen.toString());
        assertTrue(seen.get(seen.size() - 1).path().endsWith("/calls/" + id));
    }

    @Test
    void calldTooSlowToAnswerIsRetriedThenTheCallIsEnded() throws Exception {
        WAZO.calldDelay = Duration.ofMillis(700);
        String id = WAZO.enter(APP, "+15551110003", "1000", Map.of());
        await(() -> WAZO.requests(id).stream().anyMatch(r -> r.method().equals("DELETE")), "a hangup");
        long answers = WAZO.requests(id).stream().filter(r -> r.path().endsWith("/answer")).count();
        assertEquals(4, answers, "the answer was tried once and retried three times");
        assertTrue(faults("calld", "timeout") >= 4, "each attempt without an answer is counted");
        assertTrue(faultDetail("calld", "timeout").contains("no answer in time"), faultDetail("calld", "timeout"));
        WAZO.calldDelay = Duration.ZERO;
        await(() -> !WAZO.alive(id), "the call to end");
    }

    @Test
    void aSlowDirectoryTakesTheFlowsFailureExitAtTheNodesTimeout() {
        WAZO.dird = (profile, term) -> new FakeWazo.DirdAnswer(200,
                FakeWazo.lookupResult(term, Map.of("name", "Ada", "vip", "true")), Duration.ofSeconds(6));
        String id = WAZO.enter(APP, "+15551110004", "1000", Map.of());
        await(() -> nodes(id).contains("hours"), "the flow to go on without the directory");
        List<TraceEntry> trace = journal().find(id).orElseThrow().trace();
        TraceEntry lookup = trace.stream().filter(t -> t.nodeId().equals("caller_lookup")).findFirst().orElseThrow();
        TraceEntry next = trace.get(trace.indexOf(lookup) + 1);
        assertEquals("hours", next.nodeId());
        assertEquals("failure", next.edge());
        long waited = Duration.between(lookup.at(), next.at()).toMillis();
        assertTrue(waited >= 1_900 && waited < 3_000, "the node's timeout is 2 s; waited " + waited + " ms");
        await(() -> faults("dird", "timeout") >= 1, "the directory's silence to be counted");
        WAZO.hangUp(id);
    }

    @Test
    void theCallCarriesOnWhenTheBrokerRestartsInTheMiddleOfIt() throws Exception {
        String id = WAZO.enter(APP, "+15551110005", "1000", Map.of("IVR_START", "main_menu"));
        await(() -> WAZO.requests(id).stream().anyMatch(r -> r.path().endsWith("/playbacks")), "the menu prompt");
        rabbitmqctl("stop_app");
        try {
            // the menu prompt ends while the broker is away (calld's event is published once it is back), and
            // the broker's health check says it is away
            await(() -> healthCheck("broker").path("status").asText(), "DOWN"::equals, "the broker check to go down");
        } finally {
            rabbitmqctl("start_app");
        }
        await(() -> healthCheck("broker").path("status").asText(), "UP"::equals, "the broker check to come back up");
        WAZO.press(id, '1');
        await(() -> journal().find(id).map(e -> e.last().ended()).orElse(false), "the call to reach the queue");
        assertEquals(List.of("main_menu", "tag_sales", "sales"), nodes(id));
        assertEquals("queued:sales", journal().find(id).orElseThrow().last().outcome().label());
        assertEquals(List.of(), WAZO.violations());
        WAZO.hangUp(id);
    }

    private List<String> nodes(String callId) {
        return journal().find(callId).map(e -> e.trace().stream().map(TraceEntry::nodeId).toList()).orElse(List.of());
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "rabbitmqctl " + command + ": " + out);
    }
}
