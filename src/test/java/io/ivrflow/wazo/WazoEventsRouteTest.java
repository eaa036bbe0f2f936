package io.ivrflow.wazo;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.ivrflow.Collaborators;
import io.ivrflow.engine.CallState;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wazo-events route on the real broker, in real time: the queue's binding delivers the application's events
 * and only those, a call's keys are handled in order while calls go in parallel, messages that are not events
 * go to the dead-letter queue without stopping the consumer, an event of a call nobody drives gets the caller
 * an apology, and a refused token is renewed.
 */
class WazoEventsRouteTest extends WazoTestSupport {

    static final FakeWazo WAZO;
    static final String OTHER_APP = "0b7c6d5e-4f3a-4b2c-9d1e-0f1e2d3c4b5a";
    static final String DEAD_LETTERS = "ivrflow.wazo.dead";

    static {
        WAZO = realTimeFake();
        WAZO.playbackLength = uri -> Duration.ofMillis(100);
    }

    @AfterAll
    static void stopFake() {
        WAZO.close();
    }

    @Override
    FakeWazo wazo() {
        return WAZO;
    }

    /** The calls in progress, where a test can lose one as a restarted instance would. */
    private final CallStore store = new InMemoryCallStore();

    @Override
    protected Collaborators collaborators() {
        return Collaborators.none().withWazoStore(store);
    }

    @Override
    void moreProperties(Properties p) {
        p.put("ivr.wazo.retry-backoff", "50");
    }

    @BeforeEach
    void agents() {
        WAZO.agents = oneAgentInSalesAndSupport();
    }

    @Test
    void theQueueBindingDeliversTheApplicationsEventsAndNoOthers() throws Exception {
        String mine = WAZO.enter(APP, "+15551230001", "1000", Map.of());
        await(() -> !WAZO.requests(mine).isEmpty(), "a command for the call of our application");
        assertTrue(WAZO.requests(mine).get(0).path().endsWith("/calls/" + mine + "/answer"), WAZO.requests(mine).toString());

        WAZO.hangUp(mine);
        await(() -> journal().find(mine).map(e -> e.last().ended()).orElse(false), "our call to end");
        String theirs = WAZO.enter(OTHER_APP, "+15551230002", "1000", Map.of());
        // a call of ours published after theirs: once it is answered, theirs would have been taken before it
        String after = WAZO.enter(APP, "+15551230007", "1000", Map.of());
        await(() -> !WAZO.requests(after).isEmpty(), "the call of ours after theirs to be answered");
        assertTrue(WAZO.requests(theirs).isEmpty(), "a call of another application was driven");
        assertTrue(journal().find(theirs).isEmpty(), "a call of another application was journaled");
        WAZO.hangUp(after);
    }

    @Test
    void aCallsKeysAreHandledInOrderAndCallsGoInParallel() {
        List<String> calls = new ArrayList<>();
        Map<String, String> numbers = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            String id = WAZO.enter(APP, "+1555000" + i, "1000", Map.of("IVR_START", "support_callback"));
            calls.add(id);
            numbers.put(id, "55512300" + String.format("%02d", i));
        }
        // every caller types at once, over the prompt: the keys of the twelve calls interleave on the bus
        for (int k = 0; k < 11; k++) {
            for (String id : calls) {
                String keys = numbers.get(id) + "#";
                WAZO.press(id, keys.charAt(k));
            }
        }
        for (String id : calls) {
            await(() -> journal().find(id).map(e -> e.last().ended()).orElse(false), "call " + id + " to end");
            CallState last = journal().find(id).orElseThrow().last();
            assertEquals(numbers.get(id), last.variables().get("callback_number"), "keys of call " + id);
            assertEquals(List.of("support_callback", "callback_confirm", "goodbye"), nodes(id));
        }
    }

    @Test
    void messagesThatAreNotEventsAreDeadLetteredAndTheConsumerCarriesOn() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.queuePurge(DEAD_LETTERS);
            WAZO.publishRaw(Map.of("application_uuid", APP, "name", "application_call_dtmf_received"),
                    "not json {".getBytes(StandardCharsets.UTF_8));
            WAZO.publishRaw(Map.of("application_uuid", APP), "{\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            WAZO.publishRaw(Map.of("application_uuid", APP, "name", "application_call_dtmf_received"),
                    ("{\"data\":{\"application_uuid\":\"" + APP + "\",\"call_id\":\"1.1\",\"dtmf\":\"12\"}}")
                            .getBytes(StandardCharsets.UTF_8));
            List<String> dead = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (dead.size() < 3 && System.nanoTime() < deadline) {
                GetResponse r = ch.basicGet(DEAD_LETTERS, true);
                if (r == null) {
                    Thread.sleep(50);
                } else {
                    dead.add(new String(r.getBody(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(3, dead.size(), "dead letters: " + dead);
            assertTrue(dead.get(0).startsWith("not json"), dead.toString());
        }
        // the consumer still runs
        String id = WAZO.enter(APP, "+15551230003", "1000", Map.of());
        await(() -> !WAZO.requests(id).isEmpty(), "the next call to be answered");
        WAZO.hangUp(id);
    }

    @Test
    void anEventOfACallNobodyDrivesGetsTheCallerAnApologyAndAHangup() {
        // a call this instance lost track of (it restarted meanwhile): the caller presses a key
        String id = WAZO.enter(APP, "+15551230004", "1000", Map.of());
        await(() -> WAZO.requests(id).stream().anyMatch(r -> r.path().endsWith("/playbacks")), "the first prompt");
        store.remove(id);
        WAZO.clearRequests();
        WAZO.press(id, '1');
        await(() -> !WAZO.alive(id), "the call to be hung up");
        List<FakeWazo.Request> seen = WAZO.requests(id);
        assertTrue(seen.stream().anyMatch(r -> r.path().endsWith("/playbacks")), "no apology was played: " + seen);
        assertEquals("DELETE", seen.get(seen.size() - 1).method(), seen.toString());
        assertEquals(List.of(), WAZO.violations());
    }

    @Test
    void aRefusedTokenIsRenewedOnceAndTheCommandRetried() {
        String first = WAZO.enter(APP, "+15551230005", "1000", Map.of());
        await(() -> !WAZO.requests(first).isEmpty(), "the first call to be answered");
        int tokens = WAZO.tokensIssued();
        WAZO.revokeTokens();
        String second = WAZO.enter(APP, "+15551230006", "1000", Map.of());
        await(() -> WAZO.requests(second).stream().anyMatch(r -> r.path().endsWith("/playbacks")),
                "the second call to hear its first prompt");
        assertEquals(tokens + 1, WAZO.tokensIssued(), "tokens asked for");
        WAZO.hangUp(first);
        WAZO.hangUp(second);
    }

    private List<String> nodes(String callId) {
        return journal().find(callId).orElseThrow().trace().stream().map(TraceEntry::nodeId).toList();
    }

}
