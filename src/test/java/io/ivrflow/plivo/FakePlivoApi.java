package io.ivrflow.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for Plivo's Call API (make a call, start and stop a recording), strict the way Plivo is:
 * Basic authentication with the account's auth id and token, the account id in the path, the trailing slash,
 * a JSON body with the required parameters. It answers with Plivo's bodies and status codes, records every
 * request it receives (rejected ones too) and can be told to fail, to be slow, or to refuse recording a call.
 *
 * <p>For any test that needs Plivo: {@code try (FakePlivoApi plivo = FakePlivoApi.start()) { ... plivo.url() ... }}.
 */
public final class FakePlivoApi implements AutoCloseable {

    public static final String DEFAULT_AUTH_ID = "MAFAKEACCOUNT0000001";
    public static final String DEFAULT_AUTH_TOKEN = "fake-auth-token-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CALL = Pattern.compile("/v1/Account/([^/]+)/Call/");
    private static final Pattern RECORD = Pattern.compile("/v1/Account/([^/]+)/Call/([^/]+)/Record/");

    /** One request as received: headers by lower-case name. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The body as JSON (a missing node when it is empty or not JSON). */
        public JsonNode json() {
            try {
                return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    /** A canned answer that replaces the normal one. */
    private record Canned(int status, String body) {
    }

    private final String authId;
    private final String authToken;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> requestUuids = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Canned> failures = new ConcurrentLinkedDeque<>();
    private final Map<String, String> refusedRecordings = new ConcurrentHashMap<>();
    private volatile Duration delay = Duration.ZERO;

    private FakePlivoApi(String authId, String authToken) throws IOException {
        this.authId = authId;
        this.authToken = authToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // daemon threads, interrupted on close: a handler sleeping for delay() must not outlive the test
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-plivo-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fake for the account {@link #DEFAULT_AUTH_ID} / {@link #DEFAULT_AUTH_TOKEN}, on a free port. */
    public static FakePlivoApi start() {
        return start(DEFAULT_AUTH_ID, DEFAULT_AUTH_TOKEN);
    }

    public static FakePlivoApi start(String authId, String authToken) {
        try {
            return new FakePlivoApi(authId, authToken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code ivr.plivo.api-url} should be: {@code http://127.0.0.1:<port>} (no trailing slash). */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String authId() {
        return authId;
    }

    public String authToken() {
        return authToken;
    }

    /** Every request received, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("the fake Plivo API received no request");
        }
        return requests.get(requests.size() - 1);
    }

    /** The {@code request_uuid} of every call accepted (201), oldest first. */
    public List<String> requestUuids() {
        return List.copyOf(requestUuids);
    }

    /** Forgets requests and every instruction (failures, delay, refused recordings). */
    public void reset() {
        requests.clear();
        requestUuids.clear();
        failures.clear();
        refusedRecordings.clear();
        delay = Duration.ZERO;
    }

    /** The next {@code count} requests get this status and raw body, whatever they are. */
    public void failNext(int count, int status, String body) {
        for (int i = 0; i < count; i++) {
            failures.add(new Canned(status, body));
        }
    }

    /** The next request gets Plivo's error shape: {@code {"api_id": ..., "error": error}} with this status. */
    public void failNextWithError(int status, String error) {
        failNext(1, status, errorBody(error));
    }

    /** Every answer waits this long first (zero: answer at once). */
    public void delay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    /** Start and stop recording of this call answer 403 with this error. */
    public void refuseRecording(String callUuid, String error) {
        refusedRecordings.put(callUuid, error);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    headers, body);
            requests.add(request);

            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Canned canned = failures.poll();
            if (canned == null) {
                canned = answer(request);
            }
            send(exchange, canned);
        }
    }

    /** What Plivo answers to this request. */
    private Canned answer(Request request) {
        if (!authorized(request.header("Authorization"))) {
            return new Canned(401, errorBody("authentication failed"));
        }
        Matcher record = RECORD.matcher(request.path());
        Matcher call = CALL.matcher(request.path());
        String account = record.matches() ? record.group(1) : call.matches() ? call.group(1) : null;
        if (account == null) {
            // Plivo's resources all end with a slash; without it (or elsewhere) there is nothing
            return new Canned(404, errorBody("not found: " + request.path()));
        }
        if (!account.equals(authId)) {
            return new Canned(401, errorBody("authentication failed: the account in the URL is not yours"));
        }
        if (record.matches()) {
            return recording(request, record.group(2));
        }
        if (!"POST".equals(request.method())) {
            return new Canned(405, errorBody("method not allowed"));
        }
        return makeCall(request);
    }

    private Canned makeCall(Request request) {
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return new Canned(400, errorBody("Content-Type must be application/json"));
        }
        JsonNode json = request.json();
        if (!json.isObject()) {
            return new Canned(400, errorBody("invalid JSON body"));
        }
        for (String required : List.of("from", "to", "answer_url")) {
            JsonNode v = json.get(required);
            boolean present = v != null && ((v.isTextual() && !v.asText().isBlank()) || (v.isArray() && !v.isEmpty()));
            if (!present) {
                return new Canned(400, errorBody(required + " parameter is missing"));
            }
        }
        for (String url : List.of("answer_url", "hangup_url")) {
            JsonNode v = json.get(url);
            if (v != null && !v.asText().matches("https?://\\S+")) {
                return new Canned(400, errorBody(url + " is not a valid URL"));
            }
        }
        for (String method : List.of("answer_method", "hangup_method")) {
            JsonNode v = json.get(method);
            if (v != null && !Set.of("GET", "POST").contains(v.asText())) {
                return new Canned(400, errorBody(method + " must be GET or POST"));
            }
        }
        String requestUuid = UUID.randomUUID().toString();
        requestUuids.add(requestUuid);
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("api_id", UUID.randomUUID().toString());
        ok.put("message", "call fired");
        ok.put("request_uuid", requestUuid);
        return new Canned(201, write(ok));
    }

    private Canned recording(Request request, String callUuid) {
        String refusal = refusedRecordings.get(callUuid);
        if (refusal != null) {
            return new Canned(403, errorBody(refusal));
        }
        if ("DELETE".equals(request.method())) {
            return new Canned(204, "");
        }
        if (!"POST".equals(request.method())) {
            return new Canned(405, errorBody("method not allowed"));
        }
        JsonNode format = request.json().path("file_format");
        if (!format.isMissingNode() && !Set.of("mp3", "wav").contains(format.asText())) {
            return new Canned(400, errorBody("file_format must be mp3 or wav"));
        }
        String recordingId = UUID.randomUUID().toString();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("api_id", UUID.randomUUID().toString());
        started.put("message", "call recording started");
        started.put("recording_id", recordingId);
        started.put("url", "https://media.plivo.com/v1/Account/" + authId + "/Recording/" + recordingId + "."
                + (format.isMissingNode() ? "mp3" : format.asText()));
        return new Canned(202, write(started));
    }

    private boolean authorized(String header) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((authId + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static String errorBody(String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_id", UUID.randomUUID().toString());
        body.put("error", error);
        return write(body);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, Canned canned) throws IOException {
        byte[] bytes = canned.body() == null ? new byte[0] : canned.body().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type",
                    canned.body().stripLeading().startsWith("{") ? "application/json" : "text/html");
        }
        // 204 (and an empty body) must be sent with -1: no body at all
        exchange.sendResponseHeaders(canned.status(), canned.status() == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && canned.status() != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public String toString() {
        return "FakePlivoApi[" + url() + ", " + requests.size() + " request(s)]";
    }
}
