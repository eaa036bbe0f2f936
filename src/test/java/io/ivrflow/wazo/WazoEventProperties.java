package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import io.ivrflow.Collaborators;
import io.ivrflow.RunningService;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.wazo.fake.FakeWazo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bus messages made of anything, in any order: well-formed events of a few calls (entered, keys, playbacks,
 * hang-ups) mixed with duplicates, events out of order, unknown names, missing or mistyped fields, other
 * applications' events, bodies that are not JSON. Each message is settled exactly once (acknowledged, or rejected
 * to the dead-letter queue), none is left unsettled, and the call lanes drain: no lane is stuck.
 */
class WazoEventProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = WazoTestSupport.APP;
    private static final List<String> NAMES = List.of("application_call_entered", "application_call_initiated",
            "application_call_answered", "application_call_dtmf_received", "application_playback_created",
            "application_playback_deleted", "application_node_updated", "application_call_deleted",
            "application_call_updated", "call_created", "");

    private static FakeWazo wazo;
    private static RunningService service;
    private static WazoEvents events;
    private static final AtomicLong TAGS = new AtomicLong(1_000_000);

    @BeforeContainer
    static void start() throws Exception {
        wazo = FakeWazo.startRealTime("fake-wazo-fuzz-timers");
        wazo.playbackLength = uri -> java.time.Duration.ofMillis(50);
        WazoTestSupport.purge(APP);
        Properties p = new Properties();
        WazoTestSupport.wazoProperties(p, wazo);
        p.put("ivr.wazo.retry-backoff", "10");
        service = RunningService.start("wazo-fuzz", p, Collaborators.none());
        events = service.bean("wazoEvents", WazoEvents.class);
    }

    @AfterContainer
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (wazo != null) {
            wazo.close();
        }
    }

    /** One message: its body and AMQP headers. */
    record Message(byte[] body, Map<String, Object> headers) {
        @Override
        public String toString() {
            return headers + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 150, seed = "506597557444244448")
    void everyMessageIsSettledOnceAndTheLanesDrain(@ForAll("messages") List<Message> messages) throws Exception {
        Map<Long, List<String>> settled = new ConcurrentHashMap<>();
        Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "basicAck", "basicReject", "basicNack" -> settled
                                .computeIfAbsent((Long) args[0], t -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                .add(method.getName());
                        case "isOpen" -> {
                            return true;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "recording channel";
                        }
                        default -> {
                        }
                    }
                    return null;
                });
        Map<Long, Message> sent = new HashMap<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Message m : messages) {
            long tag = TAGS.incrementAndGet();
            sent.put(tag, m);
            done.add(events.handle(m.body(), m.headers(), channel, tag, APP, "contact-centre").toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (Map.Entry<Long, Message> e : sent.entrySet()) {
            assertEquals(1, settled.getOrDefault(e.getKey(), List.of()).size(),
                    "settled " + settled.get(e.getKey()) + ": " + e.getValue());
        }
        ServiceTestSupport.await(() -> events.lanesPending() == 0, "the call lanes to drain");
    }

    // ---------------------------------------------------------------- what messages are made of

    @Provide
    Arbitrary<List<Message>> messages() {
        return Arbitraries.oneOf(event(), event(), event(), garbage()).list().ofMinSize(1).ofMaxSize(25)
                // duplicates: some messages twice, anywhere
                .flatMap(list -> Arbitraries.integers().between(0, list.size()).list().ofMaxSize(3).map(again -> {
                    List<Message> out = new ArrayList<>(list);
                    again.forEach(i -> out.add(Math.min(i, out.size()), list.get(i % list.size())));
                    return out;
                }));
    }

    /** An event of one of three calls, its fields present, missing or of the wrong type. */
    private Arbitrary<Message> event() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<String> call = Arbitraries.of("1700000001.1", "1700000002.2", "1700000003.3");
        Arbitrary<String> dtmf = Arbitraries.of("1", "2", "#", "*", "12", "", "x");
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 9);
        Arbitrary<String> app = Arbitraries.of(APP, APP, APP, "0b7c6d5e-4f3a-4b2c-9d1e-0f1e2d3c4b5a");
        Arbitrary<Boolean> nameInHeader = Arbitraries.of(true, false);
        return Combinators.combine(name, call, dtmf, shape, app, nameInHeader).as((n, c, d, s, a, inHeader) -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("name", n);
            ObjectNode data = root.putObject("data");
            data.put("application_uuid", a);
            switch (s) {
                case 0 -> data.put("call_id", 12345);
                case 1 -> data.putArray("call");
                case 2 -> data.putObject("playback").put("uuid", 7);
                default -> {
                    ObjectNode callJson = data.putObject("call");
                    callJson.put("id", c).put("caller_id_number", "+1555000" + s).put("caller_id_name", "Fuzz")
                            .put("status", "Up").put("is_caller", true).putObject("variables");
                    data.put("call_id", c).put("dtmf", d);
                    data.putObject("playback").put("uuid", "pb-" + c + "-" + s).put("state", "done");
                }
            }
            Map<String, Object> headers = new HashMap<>();
            if (inHeader) {
                headers.put("name", n);
                headers.put("application_uuid", a);
            }
            return new Message(root.toString().getBytes(StandardCharsets.UTF_8), headers);
        });
    }

    /** Bodies that are no event at all. */
    private Arbitrary<Message> garbage() {
        Arbitrary<byte[]> body = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.of("", "{", "[]", "null", "{\"data\":{}}", "{\"name\":\"application_call_entered\"}",
                        "{\"name\":42,\"data\":[]}", "{\"name\":\"application_call_dtmf_received\",\"data\":"
                                + "{\"application_uuid\":\"" + APP + "\",\"call_id\":\"1.1\",\"dtmf\":\"12\"}}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ofMaxLength(3_000).map(s -> s.getBytes(StandardCharsets.UTF_8)));
        return body.map(b -> new Message(b, Map.of()));
    }
}
