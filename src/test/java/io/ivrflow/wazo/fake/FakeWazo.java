package io.ivrflow.wazo.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ivrflow.wazo.BusEvent;
import io.ivrflow.wazo.Timers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wazo as ivrflow sees it, at the HTTP and bus level: wazo-auth, wazo-calld (applications API and call
 * recording), wazo-confd (queues), wazo-agentd (agents) and wazo-dird (lookups), each on its own port with its
 * real base path. Every request is checked against the service's OpenAPI spec (src/test/resources/wazo-openapi)
 * and its token; what calld does is published on the {@code wazo-headers} exchange with the headers and body
 * wazo-bus gives it (shared reference wazo.md §2-3): answered, playback created and deleted when the prompt
 * has played (after {@link #playbackLength}), call deleted on hangup, the call made into a node initiated when
 * its destination answers.
 *
 * <p>Time comes from the {@link Timers} and clock it is given: a {@link VirtualTime} in scenario tests, real
 * time in fault tests and benchmarks.
 */
public final class FakeWazo implements AutoCloseable {

    public static final String USERNAME = "ivrflow-service";
    public static final String PASSWORD = "s3cret-wazo-password";
    public static final String TENANT = "2c34c282-433e-4bb8-8d56-fec14ff7e1e9";
    public static final String ORIGIN = "a1f0b6b0-0000-4000-8000-00000000cafe";
    public static final String EXCHANGE = "wazo-headers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SPECS = Path.of("src/test/resources/wazo-openapi");

    /** One request as received, for assertions. */
    public record Request(String service, String method, String path, String query, String body, Instant at) {
    }

    /** What happens to a call made into a node ({@code exten@context}). */
    public sealed interface Leg {
    }

    /** The destination answers after {@code ring}: the new call enters the application. */
    public record Answers(Duration ring) implements Leg {
    }

    /** Nobody answers (or busy): like Asterisk, the originated channel never enters the application. */
    public record NeverAnswers() implements Leg {
    }

    /** calld refuses the originate (400: no such extension). */
    public record Refused() implements Leg {
    }

    /**
     * Told of each event put on the bus: its name, the call it is about (or null), its {@code data} (not to be
     * changed), and {@link System#nanoTime()} now, just before it is handed to the broker (so before anything can
     * come of it). Called on the publishing thread, holding the channel's lock: keep it short.
     */
    @FunctionalInterface
    public interface PublishListener {
        void published(String name, String callId, JsonNode data, long nanoTime);
    }

    /**
     * Told of each request once answered: the call it is about (from the path; for
     * {@code DELETE .../playbacks/{uuid}}, the call of that playback if it still plays; else null),
     * {@link System#nanoTime()} when the fake began to serve it, and the status it answered. Called on the fake's
     * HTTP thread: keep it short.
     */
    @FunctionalInterface
    public interface RequestListener {
        void served(String service, String method, String path, String callId, long receivedNanoTime, int status);
    }

    /** What dird answers and after how long; the HTTP answer is held until then. */
    public record DirdAnswer(int status, JsonNode body, Duration latency) {
    }

    private final Clock clock;
    private final Timers timers;
    /** The timer thread of a real-time fake ({@link #startRealTime}), stopped with it. */
    private java.util.concurrent.ScheduledExecutorService ownedScheduler;
    private final ConnectionFactory rabbit = new ConnectionFactory();
    private Connection connection;
    private Channel channel;
    private final Map<String, SwaggerRequestValidator> validators = new HashMap<>();
    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "fake-wazo-http");
        t.setDaemon(true);
        return t;
    });

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /** Tokens issued and when each expires, by the fake's clock. */
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong publishedHandled = new AtomicLong();
    private final AtomicLong callSeq = new AtomicLong(1700000000L);
    /**
     * Set by {@link #close()}. A real-time fake still has timers pending when its test class ends (a ring, a
     * playback end); without this they would reconnect and publish into the next test class's queues.
     */
    private volatile boolean closed;
    private final Object publishing = new Object();

    private final Map<String, FakeCall> calls = new ConcurrentHashMap<>();
    private final Map<String, Playback> playbacks = new ConcurrentHashMap<>();
    private final Map<String, String> nodeOfCall = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- behaviour, set by tests
    public volatile Function<String, Duration> playbackLength = uri -> Duration.ofSeconds(1);
    public volatile BiFunction<String, String, Leg> legs = (exten, context) -> new Answers(Duration.ofSeconds(2));
    public volatile Supplier<ArrayNode> agents = JSON::createArrayNode;
    public volatile Function<String, ArrayNode> queues = name -> queue(name, "3000", "queues");
    public volatile BiFunction<String, String, DirdAnswer> dird =
            (profile, term) -> new DirdAnswer(200, lookupResult(term, Map.of()), Duration.ZERO);
    public volatile Predicate<String> recordingAllowed = callId -> true;
    /** calld answers 503 to this many requests whose path matches {@link #failingPaths}, then behaves. */
    public final AtomicInteger calldFailures = new AtomicInteger();
    public volatile Pattern failingPaths = Pattern.compile(".*");
    /** What confd lists (queues, extensions, voicemails, agents: arrays of confd's items), without a search. */
    public final Map<String, ArrayNode> confdItems = new ConcurrentHashMap<>();
    /** wazo-auth gives tokens at most this life, whatever is asked (as its configuration can); null: as asked. */
    public volatile Duration maxTokenLife;
    /** calld answers this late (real time), to make clients time out. */
    public volatile Duration calldDelay = Duration.ZERO;

    // ---------------------------------------------------------------- hooks, set by benchmarks
    /** Keep every request for {@link #requests()}; off in benchmarks, where the list would grow without bound. */
    public volatile boolean keepRequests = true;
    public volatile PublishListener publishListener;
    public volatile RequestListener requestListener;

    private final class FakeCall {
        final String id;
        final String app;
        final ObjectNode json;
        volatile boolean alive = true;

        FakeCall(String id, String app, ObjectNode json) {
            this.id = id;
            this.app = app;
            this.json = json;
        }
    }

    private record Playback(String uuid, String callId, String app, ObjectNode json, Timers.Timer end) {
    }

    public FakeWazo(Clock clock, Timers timers) {
        this.clock = clock;
        this.timers = timers;
    }

    /** A fake on real time, with a timer thread of its own that {@link #close()} stops. */
    public static FakeWazo startRealTime(String timerThread) throws Exception {
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, timerThread);
                    t.setDaemon(true);
                    return t;
                });
        FakeWazo w = start(Clock.systemUTC(), Timers.on(scheduler, Clock.systemUTC()));
        w.ownedScheduler = scheduler;
        return w;
    }

    public static FakeWazo start(Clock clock, Timers timers) throws Exception {
        // without it the JDK server's replies wait out the client's delayed ACK (~40 ms each)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        FakeWazo w = new FakeWazo(clock, timers);
        w.rabbit.setHost("localhost");
        w.rabbit.setPort(5672);
        w.rabbit.setUsername("guest");
        w.rabbit.setPassword("guest");
        w.connect();
        for (String service : List.of("auth", "calld", "confd", "agentd", "dird")) {
            w.validators.put(service, SwaggerRequestValidator.load(SPECS.resolve(service + ".yml")));
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            server.setExecutor(w.httpThreads);
            server.createContext("/", ex -> w.serve(service, ex));
            server.start();
            w.servers.put(service, server);
        }
        return w;
    }

    /** Base URL of a service including its version prefix, e.g. {@code http://127.0.0.1:41234/1.0}. */
    public String url(String service) {
        return "http://127.0.0.1:" + servers.get(service).getAddress().getPort() + validators.get(service).basePath();
    }

    // ---------------------------------------------------------------- what the caller does

    /** A call enters the application (a trunk call through an incall whose destination is the application). */
    public String enter(String app, String caller, String dialed, Map<String, String> variables) {
        String id = nextCallId();
        ObjectNode call = callJson(id, caller, dialed, "Ring");
        ObjectNode vars = call.putObject("variables");
        variables.forEach(vars::put);
        calls.put(id, new FakeCall(id, app, call));
        publish("application_call_entered", app, "applications." + app + ".calls.created", false,
                data(app).set("call", call.deepCopy()));
        return id;
    }

    /** The caller presses one key. */
    public void press(String callId, char key) {
        FakeCall c = calls.get(callId);
        if (c == null || !c.alive) {
            return;
        }
        ObjectNode d = data(c.app);
        d.put("call_id", callId).put("conversation_id", callId).put("dtmf", String.valueOf(key));
        publish("application_call_dtmf_received", c.app, "applications." + c.app + ".calls." + esc(callId) + ".dtmf.created",
                true, d);
    }

    /** The caller hangs up. */
    public void hangUp(String callId) {
        FakeCall c = calls.get(callId);
        if (c != null && c.alive) {
            end(c);
        }
    }

    public boolean alive(String callId) {
        FakeCall c = calls.get(callId);
        return c != null && c.alive;
    }

    /** Publishes a raw message on the exchange (malformed-message tests). */
    public void publishRaw(Map<String, Object> headers, byte[] body) {
        send(headers, body, null);
    }

    // ---------------------------------------------------------------- what tests look at

    public List<Request> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Request> requests(String callId) {
        return requests.stream().filter(r -> r.path().contains("/calls/" + callId)).toList();
    }

    public List<String> violations() {
        return Collections.unmodifiableList(violations);
    }

    /** Every wazo-auth token issued so far. */
    public Set<String> issuedTokens() {
        return Set.copyOf(tokens.keySet());
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Every token issued so far stops being valid (as after wazo-auth expired them). */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Requests being answered now, not counting the ones held on purpose (slow dird). */
    public int busy() {
        return inFlight.get() - held.get();
    }

    /** Requests held on purpose until their (virtual) latency has passed. */
    public int held() {
        return held.get();
    }

    /** Events published that ivrflow acts on (what it must have handled before the system is quiet). */
    public long publishedHandled() {
        return publishedHandled.get();
    }

    public void clearRequests() {
        requests.clear();
    }

    private static final Pattern SOUND_FILE = Pattern.compile("/sounds/([^/]+)/files/([^/]+)");
    private final Set<String> soundCategories = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> soundFiles = new ConcurrentHashMap<>();

    /** Sound files uploaded to confd, by {@code category/name.format}. */
    public Map<String, byte[]> soundFiles() {
        return soundFiles;
    }

    // ---------------------------------------------------------------- HTTP

    private void serve(String service, HttpExchange ex) throws IOException {
        long received = System.nanoTime();
        RequestListener listener = requestListener;
        String callOfRequest = listener == null ? null : callOf(service, ex.getRequestURI().getRawPath());
        inFlight.incrementAndGet();
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (keepRequests) {
                requests.add(new Request(service, method, path, query, new String(body, StandardCharsets.UTF_8),
                        clock.instant()));
            }
            for (String v : validators.get(service).validate(method, path, query, ex.getRequestHeaders(), body)) {
                violations.add(service + ": " + v);
            }
            if (service.equals("auth")) {
                auth(ex, method, path, body);
                return;
            }
            String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
            Instant expires = token == null ? null : tokens.get(token);
            if (expires == null || !clock.instant().isBefore(expires)) {
                reply(ex, 401, error("Unauthorized", "unauthorized"));
                return;
            }
            if (service.equals("calld")) {
                if (failingPaths.matcher(path).matches() && calldFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    reply(ex, 503, error("Service temporarily unavailable", "service-unavailable"));
                    return;
                }
                if (!calldDelay.isZero()) {
                    sleep(calldDelay);
                }
            }
            String rel = path.substring(validators.get(service).basePath().length());
            Map<String, String> q = query(query);
            switch (service) {
                case "calld" -> calld(ex, method, rel, body);
                case "confd" -> confd(ex, method, rel, q, body);
                case "agentd" -> agentd(ex, rel);
                case "dird" -> dird(ex, rel, q);
                default -> reply(ex, 404, error("not found", "not-found"));
            }
        } catch (RuntimeException e) {
            violations.add(service + ": the fake failed on " + ex.getRequestURI() + ": " + e);
            reply(ex, 500, error(String.valueOf(e), "fake-error"));
        } finally {
            inFlight.decrementAndGet();
            if (listener != null) {
                listener.served(service, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), callOfRequest,
                        received, ex.getResponseCode());
            }
        }
    }

    /** The call a calld request is about, for {@link #requestListener}: from its path, or its playback's call. */
    private String callOf(String service, String rawPath) {
        if (!service.equals("calld")) {
            return null;
        }
        String rel = rawPath.substring(Math.min(rawPath.length(), validators.get(service).basePath().length()));
        Matcher m;
        if ((m = APP_CALL.matcher(rel)).matches()) {
            return dec(m.group(2));
        }
        if ((m = RECORD.matcher(rel)).matches()) {
            return dec(m.group(1));
        }
        if ((m = APP_PLAYBACK.matcher(rel)).matches()) {
            Playback p = playbacks.get(dec(m.group(2)));
            return p == null ? null : p.callId();
        }
        return null;
    }

    private void auth(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((USERNAME + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(method) || !path.equals("/0.1/token")) {
            reply(ex, 404, "[\"not found\"]");
            return;
        }
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, "{\"reason\":[\"Authentication Failed\"],\"timestamp\":[\"" + clock.instant() + "\"],\"status_code\":401}");
            return;
        }
        JsonNode req = JSON.readTree(body.length == 0 ? "{}".getBytes() : body);
        long expiration = req.path("expiration").asLong(7200);
        Duration cap = maxTokenLife;
        if (cap != null) {
            expiration = Math.min(expiration, cap.toSeconds());
        }
        String token = UUID.randomUUID().toString();
        Instant now = clock.instant();
        tokens.put(token, now.plusSeconds(expiration));
        tokensIssued.incrementAndGet();
        // as wazo-auth writes them: UTC without a zone, microseconds
        String issued = LocalDateTime.ofInstant(now, ZoneOffset.UTC).toString();
        String expires = LocalDateTime.ofInstant(now.plusSeconds(expiration), ZoneOffset.UTC).toString();
        ObjectNode data = JSON.createObjectNode();
        data.put("token", token).put("auth_id", UUID.randomUUID().toString()).put("xivo_uuid", ORIGIN)
                .put("issued_at", issued).put("expires_at", expires)
                .put("utc_issued_at", issued).put("utc_expires_at", expires)
                .put("session_uuid", UUID.randomUUID().toString());
        data.putArray("acl").add("calld.applications.#").add("confd.queues.read").add("agentd.agents.read")
                .add("dird.directories.lookup.#");
        ObjectNode root = JSON.createObjectNode();
        root.set("data", data);
        reply(ex, 200, root.toString());
    }

    private static final Pattern APP_CALL = Pattern.compile("/applications/([^/]+)/calls/([^/]+)(/.*)?");
    private static final Pattern APP_PLAYBACK = Pattern.compile("/applications/([^/]+)/playbacks/([^/]+)");
    private static final Pattern APP_NODES = Pattern.compile("/applications/([^/]+)/nodes");
    private static final Pattern NODE_CALLS = Pattern.compile("/applications/([^/]+)/nodes/([^/]+)/calls(/([^/]+))?");
    private static final Pattern RECORD = Pattern.compile("/calls/([^/]+)/record/(start|stop|pause|resume)");

    private void calld(HttpExchange ex, String method, String rel, byte[] body) throws IOException {
        Matcher m;
        if ((m = RECORD.matcher(rel)).matches() && method.equals("PUT")) {
            FakeCall c = calls.get(dec(m.group(1)));
            if (c == null || !c.alive) {
                reply(ex, 404, error("No such call", "no-such-call"));
            } else if (!recordingAllowed.test(c.id)) {
                reply(ex, 403, error("On demand call recording is not enabled", "call-record-forbidden"));
            } else {
                reply(ex, 204, null);
            }
            return;
        }
        if ((m = APP_PLAYBACK.matcher(rel)).matches() && method.equals("DELETE")) {
            Playback p = playbacks.remove(dec(m.group(2)));
            if (p == null) {
                reply(ex, 404, error("No such playback", "no-such-playback"));
                return;
            }
            p.end().cancel();
            reply(ex, 204, null);
            playbackDeleted(p, "done");
            return;
        }
        if ((m = NODE_CALLS.matcher(rel)).matches()) {
            String app = dec(m.group(1));
            String node = dec(m.group(2));
            if (method.equals("POST") && m.group(3) == null) {
                JsonNode req = JSON.readTree(body);
                originate(ex, app, node, req.path("exten").asText(), req.path("context").asText());
            } else if (method.equals("DELETE") && m.group(4) != null) {
                nodeOfCall.remove(dec(m.group(4)));
                reply(ex, 204, null);
            } else {
                reply(ex, 405, error("method not allowed", "method-not-allowed"));
            }
            return;
        }
        if ((m = APP_NODES.matcher(rel)).matches() && method.equals("POST")) {
            String node = UUID.randomUUID().toString();
            ObjectNode n = JSON.createObjectNode().put("uuid", node);
            ArrayNode members = n.putArray("calls");
            for (JsonNode call : JSON.readTree(body).path("calls")) {
                nodeOfCall.put(call.path("id").asText(), node);
                members.addObject().put("id", call.path("id").asText());
            }
            reply(ex, 201, n.toString());
            return;
        }
        if ((m = APP_CALL.matcher(rel)).matches()) {
            FakeCall c = calls.get(dec(m.group(2)));
            String rest = m.group(3) == null ? "" : m.group(3);
            if (c == null || !c.alive) {
                reply(ex, 404, error("No such call", "no-such-call"));
                return;
            }
            if (method.equals("PUT") && rest.equals("/answer")) {
                reply(ex, 204, null);
                c.json.put("status", "Up");
                publish("application_call_answered", c.app, "applications." + c.app + ".calls." + esc(c.id) + ".answered",
                        false, data(c.app).set("call", c.json.deepCopy()));
            } else if (method.equals("POST") && rest.equals("/playbacks")) {
                play(ex, c, JSON.readTree(body));
            } else if (method.equals("DELETE") && rest.isEmpty()) {
                reply(ex, 204, null);
                end(c);
            } else if (method.equals("PUT") && (rest.matches("/moh/[^/]+/start") || rest.equals("/moh/stop"))) {
                reply(ex, 204, null);
            } else {
                reply(ex, 404, error("not implemented in the fake: " + method + " " + rest, "not-found"));
            }
            return;
        }
        reply(ex, 404, error("not found", "not-found"));
    }

    private void play(HttpExchange ex, FakeCall c, JsonNode req) throws IOException {
        String uuid = UUID.randomUUID().toString();
        ObjectNode pb = JSON.createObjectNode().put("uuid", uuid).put("uri", req.path("uri").asText())
                .put("language", req.path("language").asText("en_US")).put("state", "playing");
        Duration length = playbackLength.apply(req.path("uri").asText());
        Timers.Timer end = timers.at(clock.instant().plus(length), () -> {
            Playback p = playbacks.remove(uuid);
            if (p != null) {
                playbackDeleted(p, "done");
            }
        });
        Playback p = new Playback(uuid, c.id, c.app, pb, end);
        playbacks.put(uuid, p);
        reply(ex, 200, pb.toString());
        ObjectNode d = data(c.app).put("call_id", c.id).put("conversation_id", c.id);
        d.set("playback", pb.deepCopy());
        publish("application_playback_created", c.app, "applications." + c.app + ".playbacks." + uuid + ".created",
                true, d);
    }

    private void playbackDeleted(Playback p, String state) {
        ObjectNode pb = p.json().deepCopy().put("state", state);
        ObjectNode d = data(p.app()).put("call_id", p.callId()).put("conversation_id", p.callId());
        d.set("playback", pb);
        publish("application_playback_deleted", p.app(), "applications." + p.app() + ".playbacks." + p.uuid()
                + ".deleted", true, d);
    }

    private void originate(HttpExchange ex, String app, String node, String exten, String context) throws IOException {
        Leg leg = legs.apply(exten, context);
        if (leg instanceof Refused) {
            reply(ex, 400, error("Extension does not exist", "invalid-extension"));
            return;
        }
        String id = nextCallId();
        ObjectNode call = callJson(id, "", exten, "Down");
        call.put("is_caller", false);
        FakeCall c = new FakeCall(id, app, call);
        calls.put(id, c);
        reply(ex, 201, call.toString());
        if (leg instanceof Answers a) {
            timers.at(clock.instant().plus(a.ring()), () -> {
                if (!c.alive) {
                    return;
                }
                c.json.put("status", "Up").put("node_uuid", node);
                nodeOfCall.put(id, node);
                publish("application_call_initiated", app, "applications." + app + ".calls.created", false,
                        data(app).set("call", c.json.deepCopy()));
                ObjectNode n = JSON.createObjectNode().put("uuid", node);
                ArrayNode members = n.putArray("calls");
                nodeOfCall.forEach((callId, in) -> {
                    if (in.equals(node)) {
                        members.addObject().put("id", callId);
                    }
                });
                publish("application_node_updated", app, "applications." + app + ".nodes." + node + ".updated", true,
                        data(app).set("node", n));
            });
        }
    }

    private void end(FakeCall c) {
        c.alive = false;
        playbacks.values().removeIf(p -> {
            if (p.callId().equals(c.id)) {
                p.end().cancel();
                return true;
            }
            return false;
        });
        nodeOfCall.remove(c.id);
        publish("application_call_deleted", c.app, "applications." + c.app + ".calls." + esc(c.id) + ".deleted", false,
                data(c.app).set("call", c.json.deepCopy().put("status", "Down")));
    }

    private void confd(HttpExchange ex, String method, String rel, Map<String, String> q, byte[] body)
            throws IOException {
        Matcher sound = SOUND_FILE.matcher(rel);
        if (method.equals("POST") && rel.equals("/sounds")) {
            String name = JSON.readTree(body).path("name").asText();
            soundCategories.add(name);
            reply(ex, 201, JSON.createObjectNode().put("name", name).toString());
        } else if (method.equals("PUT") && sound.matches()) {
            if (!soundCategories.contains(dec(sound.group(1)))) {
                reply(ex, 404, error("Resource Not Found - Sound was not found ('name': '" + dec(sound.group(1))
                        + "')", "not-found"));
                return;
            }
            soundFiles.put(dec(sound.group(1)) + "/" + dec(sound.group(2)) + "." + q.getOrDefault("format", "wav"), body);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        } else if (List.of("/queues", "/extensions", "/voicemails", "/agents").contains(rel) && !q.containsKey("search")) {
            // a listing, page by page, of what a test put in the inventory
            List<JsonNode> all = new ArrayList<>();
            confdItems.getOrDefault(rel.substring(1), JSON.createArrayNode()).forEach(all::add);
            int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
            int limit = Integer.parseInt(q.getOrDefault("limit", String.valueOf(all.size())));
            ArrayNode items = JSON.createArrayNode();
            all.stream().skip(offset).limit(limit).forEach(items::add);
            ObjectNode root = JSON.createObjectNode();
            root.set("items", items);
            root.put("total", all.size());
            reply(ex, 200, root.toString());
        } else if (rel.equals("/queues")) {
            ArrayNode items = queues.apply(q.getOrDefault("search", ""));
            ObjectNode root = JSON.createObjectNode();
            root.set("items", items);
            root.put("total", items.size());
            reply(ex, 200, root.toString());
        } else {
            reply(ex, 404, "[\"Resource Not Found\"]");
        }
    }

    private void agentd(HttpExchange ex, String rel) throws IOException {
        ArrayNode all = agents.get();
        if (rel.equals("/agents")) {
            reply(ex, 200, all.toString());
            return;
        }
        if (rel.startsWith("/agents/by-number/")) {
            String number = dec(rel.substring("/agents/by-number/".length()));
            for (JsonNode a : all) {
                if (number.equals(a.path("number").asText())) {
                    reply(ex, 200, a.toString());
                    return;
                }
            }
            reply(ex, 404, error("No such agent", "no-such-agent"));
            return;
        }
        reply(ex, 404, error("not found", "not-found"));
    }

    private void dird(HttpExchange ex, String rel, Map<String, String> q) throws IOException {
        if (!rel.startsWith("/directories/lookup/")) {
            reply(ex, 404, error("not found", "not-found"));
            return;
        }
        DirdAnswer a = dird.apply(dec(rel.substring("/directories/lookup/".length())), q.getOrDefault("term", ""));
        if (!a.latency().isZero()) {
            // held until the (virtual) time has passed; not counted as busy, so the test clock can move on
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean holding = new AtomicBoolean(true);
            Runnable letGo = () -> {
                if (holding.compareAndSet(true, false)) {
                    held.decrementAndGet();
                }
            };
            // the release is due before the request counts as held: otherwise the test clock could see a quiet
            // system and run a later timer (the lookup's timeout) first. The timer itself stops the holding, so
            // the request counts as busy from the instant it is due, not from when this thread wakes up: in
            // between, the clock would see a quiet system and could run the lookup's timeout before the answer.
            timers.at(clock.instant().plus(a.latency()), () -> {
                letGo.run();
                release.countDown();
            });
            held.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                letGo.run();
            }
        }
        reply(ex, a.status(), a.body() == null ? null : a.body().toString());
    }

    // ---------------------------------------------------------------- bus

    private void connect() throws Exception {
        connection = rabbit.newConnection("fake-wazo");
        channel = connection.createChannel();
        channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.HEADERS, true);
    }

    /**
     * Publishes an event as wazo-bus does: headers {@code name, origin_uuid, timestamp, required_access,
     * required_acl, tenant_uuid, application_uuid} (+ {@code user_uuid:*} for tenant events), body = the headers
     * plus {@code data}.
     */
    private void publish(String name, String app, String routingKey, boolean tenantEvent, ObjectNode data) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("name", name);
        headers.put("origin_uuid", ORIGIN);
        headers.put("timestamp", clock.instant().toString());
        headers.put("required_access", "event." + name);
        headers.put("required_acl", "events." + routingKey);
        headers.put("tenant_uuid", TENANT);
        if (tenantEvent) {
            headers.put("user_uuid:*", true);
        }
        headers.put("application_uuid", app);
        ObjectNode body = JSON.createObjectNode();
        headers.forEach((k, v) -> body.putPOJO(k, v));
        body.set("data", data);
        if (closed) {
            return;
        }
        if (BusEvent.HANDLED.contains(name)) {
            publishedHandled.incrementAndGet();
        }
        PublishListener listener = publishListener;
        String callId = listener == null ? null : data.path("call_id").isTextual() ? data.path("call_id").asText()
                : data.path("call").path("id").isTextual() ? data.path("call").path("id").asText() : null;
        send(headers, body.toString().getBytes(StandardCharsets.UTF_8),
                listener == null ? null : at -> listener.published(name, callId, data, at));
    }

    /**
     * Publishes, reconnecting while the broker is away (up to 60 s), as calld's bus publisher retries.
     * {@code beforePublish} (may be null) is given {@link System#nanoTime()} just before the message goes.
     */
    private void send(Map<String, Object> headers, byte[] body, LongConsumer beforePublish) {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .headers(headers).deliveryMode(1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // one publisher at a time keeps calld's order while the broker is away; the connection itself is guarded
        // by this, so that close() waits for one attempt, not for a whole minute of retries
        synchronized (publishing) {
            while (true) {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    try {
                        if (channel == null || !channel.isOpen()) {
                            if (connection != null && connection.isOpen()) {
                                connection.close();
                            }
                            connect();
                        }
                        if (beforePublish != null) {
                            beforePublish.accept(System.nanoTime());
                            beforePublish = null;
                        }
                        channel.basicPublish(EXCHANGE, "", props, body);
                        return;
                    } catch (Exception e) {
                        channel = null;
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("cannot publish on the bus", e);
                        }
                    }
                }
                sleep(Duration.ofMillis(250));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** wazo-bus escapes dots in routing-key values (call {@code 1.2} becomes {@code 1__DOT__2}). */
    private static String esc(String value) {
        return value.replace(".", "__DOT__").replace("#", "__HASH__").replace("*", "__STAR__");
    }

    private ObjectNode data(String app) {
        return JSON.createObjectNode().put("application_uuid", app);
    }

    private ObjectNode callJson(String id, String caller, String dialed, String status) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id).put("caller_id_name", caller).put("caller_id_number", caller)
                .put("creation_time", clock.instant().toString()).put("conversation_id", id).put("status", status)
                .put("on_hold", false).put("is_caller", true).put("dialed_extension", dialed);
        c.putObject("variables");
        c.putNull("node_uuid");
        c.putNull("moh_uuid");
        c.put("muted", false);
        c.putObject("snoops");
        c.putNull("user_uuid");
        c.put("tenant_uuid", TENANT);
        return c;
    }

    private String nextCallId() {
        return callSeq.incrementAndGet() + "." + (callSeq.get() % 1000);
    }

    /** A confd queue list item with one extension. */
    public static ArrayNode queue(String name, String exten, String context) {
        ArrayNode items = JSON.createArrayNode();
        if (name == null || name.isEmpty()) {
            return items;
        }
        ObjectNode q = items.addObject();
        q.put("id", Math.abs(name.hashCode() % 1000)).put("tenant_uuid", TENANT).put("name", name).put("label", name);
        q.putArray("extensions").addObject().put("id", 1).put("exten", exten).put("context", context);
        return items;
    }

    /** An agentd status: logged in and paused or not, in the given queues. */
    public static ObjectNode agent(String number, boolean logged, boolean paused, String... queueNames) {
        ObjectNode a = JSON.createObjectNode();
        a.put("id", Integer.parseInt(number.replaceAll("\\D", "0").substring(0, Math.min(4, number.length()))))
                .put("tenant_uuid", TENANT).put("origin_uuid", ORIGIN).put("number", number).put("logged", logged)
                .put("paused", paused).put("paused_reason", "").put("extension", number).put("context", "agents")
                .put("state_interface", "PJSIP/agent-" + number);
        ArrayNode qs = a.putArray("queues");
        for (String q : queueNames) {
            qs.addObject().put("id", Math.abs(q.hashCode() % 1000)).put("name", q).put("display_name", q)
                    .put("logged", logged).put("paused", paused).put("paused_reason", "");
        }
        return a;
    }

    /** A dird lookup answer with one result when {@code fields} is not empty. */
    public static ObjectNode lookupResult(String term, Map<String, String> fields) {
        ObjectNode root = JSON.createObjectNode().put("term", term);
        ArrayNode headers = root.putArray("column_headers");
        ArrayNode types = root.putArray("column_types");
        ArrayNode results = root.putArray("results");
        if (!fields.isEmpty()) {
            ObjectNode r = results.addObject();
            ArrayNode values = r.putArray("column_values");
            fields.forEach((k, v) -> {
                headers.add(k);
                types.addNull();
                values.add(v);
            });
            r.putObject("relations").putNull("xivo_id").putNull("user_id").putNull("user_uuid")
                    .putNull("endpoint_id").putNull("agent_id").putNull("source_entry_id");
            r.put("source", "crm").put("backend", "csv");
        }
        return root;
    }

    private static String error(String message, String id) {
        return JSON.createObjectNode().put("message", message).put("error_id", id).putNull("details")
                .put("timestamp", System.currentTimeMillis() / 1000.0).toString();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    q.put(dec(p.substring(0, eq)), dec(p.substring(eq + 1)));
                }
            }
        }
        return q;
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        servers.values().forEach(s -> s.stop(0));
        httpThreads.shutdownNow();
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Unused-state guard for tests: the ids of calls the fake still has alive. */
    public List<String> aliveCalls() {
        List<String> alive = new ArrayList<>();
        calls.values().forEach(c -> {
            if (c.alive) {
                alive.add(c.id);
            }
        });
        return alive;
    }
}
