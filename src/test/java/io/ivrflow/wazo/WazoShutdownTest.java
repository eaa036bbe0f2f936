package io.ivrflow.wazo;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the service (as SIGTERM does) while the bus delivers: every event taken is handled and acknowledged
 * before the consumer's channel closes, the others stay in the queue for the next instance, none is lost and none is
 * handled twice; and once Camel has stopped, no thread of the service is left.
 */
class WazoShutdownTest extends WazoTestSupport {

    static final FakeWazo WAZO = realTimeFake();
    private static final int EVENTS = 3000;

    @AfterAll
    static void stopFake() {
        WAZO.close();
    }

    @Override
    FakeWazo wazo() {
        return WAZO;
    }

    /** A store that takes 2 ms to read a call, as a database would: events take long enough to be caught in flight. */
    private final CallStore slowStore = new CallStore() {
        private final CallStore calls = new InMemoryCallStore();

        @Override
        public java.util.Optional<WazoCall> get(String callId) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return calls.get(callId);
        }

        @Override
        public void put(WazoCall call) {
            calls.put(call);
        }

        @Override
        public void remove(String callId) {
            calls.remove(callId);
        }

        @Override
        public List<WazoCall> idleSince(java.time.Instant before) {
            return calls.idleSince(before);
        }

        @Override
        public int size() {
            return calls.size();
        }
    };

    @Override
    protected io.ivrflow.Collaborators collaborators() {
        return io.ivrflow.Collaborators.none().withWazoStore(slowStore);
    }

    @Override
    void moreProperties(Properties p) {
        p.put("ivr.shutdown.timeout", "20");
    }

    @Test
    void eventsInFlightAreHandledAndAcknowledgedTheRestStayQueuedAndNoThreadIsLeft() throws Exception {
        WazoCalls calls = events().calls();
        for (int i = 0; i < EVENTS; i++) {
            // an event the adapter handles (it looks the call up, then keeps the event for a call it may learn of)
            // and acknowledges without asking calld anything
            String body = "{\"name\": \"application_call_deleted\", \"data\": {\"application_uuid\": \"" + APP
                    + "\", \"call\": {\"id\": \"shutdown-" + i + "\"}}}";
            WAZO.publishRaw(Map.of("name", "application_call_deleted", "application_uuid", APP),
                    body.getBytes(StandardCharsets.UTF_8));
        }
        await(() -> calls.handled() >= 50, "the first events to be handled");
        List<String> running = serviceThreads();
        for (String kind : List.of("ivrflow-wazo-lane-0", " amqp-", "_Worker")) {
            assertTrue(running.stream().anyMatch(n -> n.contains(kind)), kind + " not among " + running);
        }

        context.stop();

        long handled = calls.handled();
        long queued = queueDepth();
        assertTrue(handled >= 50 && queued > 0, "handled " + handled + ", queued " + queued);
        assertEquals(EVENTS, handled + queued, "an event acknowledged after handling is never back in the queue, "
                + "and one not handled is never lost: handled " + handled + ", queued " + queued);

        // every thread the service started has ended (the JDK's HTTP client has no close() on Java 17: its selector
        // thread ends by itself once the client is unreachable, and is the JDK's, not one of the service's)
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!serviceThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), serviceThreads(), "threads of the service left after it stopped");
    }

    /**
     * This service's threads, by name: its pools from Camel, its AMQP client's and Quartz's all carry the context's
     * name. (Not there: the JDK HTTP client's selector thread, as Java 17's client has no close() and that thread ends
     * by itself once the client is unreachable; and Vert.x's, which Camel's platform-http server owns.)
     */
    private List<String> serviceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(contextName))
                .sorted().collect(Collectors.toList());
    }

    private static long queueDepth() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive("ivrflow.wazo." + APP).getMessageCount();
        }
    }
}
