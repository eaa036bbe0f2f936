package io.ivrflow.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Amazon Polly's SynthesizeSpeech at the HTTP level ({@code POST /v1/speech}, JSON in, audio out), for the
 * endpoint override. It keeps every request, answers mp3 with an ID3-tagged body and pcm with real samples,
 * and can throttle as Polly does (400, {@code x-amzn-ErrorType: ThrottlingException}).
 */
final class FakePolly implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as Polly would see it. */
    record Request(String method, String path, String authorization, JsonNode body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttle = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    /** Requests per second Polly takes before it throttles (0: no limit); Polly's own is 80 for standard voices. */
    private volatile int perSecond;
    /** When each accepted request came, over the last second. */
    private final java.util.ArrayDeque<Long> accepted = new java.util.ArrayDeque<>();
    private int busiestSecond;
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);

    FakePolly() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Throttles past this many requests in any second, as Polly does past its transactions-per-second limit. */
    void rateLimit(int requestsPerSecond) {
        perSecond = requestsPerSecond;
    }

    /** Requests answered with a ThrottlingException so far. */
    int throttled() {
        return throttled.get();
    }

    /** The most requests accepted within one second so far. */
    synchronized int busiestSecond() {
        return busiestSecond;
    }

    /** Whether this request is within the rate; counts it when it is. */
    private synchronized boolean withinRate() {
        if (perSecond <= 0) {
            return true;
        }
        long now = System.nanoTime();
        while (!accepted.isEmpty() && now - accepted.peekFirst() >= 1_000_000_000L) {
            accepted.removeFirst();
        }
        if (accepted.size() >= perSecond) {
            return false;
        }
        accepted.addLast(now);
        busiestSecond = Math.max(busiestSecond, accepted.size());
        return true;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return requests;
    }

    /** The next {@code n} requests are throttled. */
    void throttle(int n) {
        throttle.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] in = ex.getRequestBody().readAllBytes();
        JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Authorization"), body));
        if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/v1/speech")) {
            send(ex, 404, "application/json", "{\"message\":\"no such operation\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || !withinRate()) {
            throttled.incrementAndGet();
            ex.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
            send(ex, 400, "application/json", "{\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String text = body.path("Text").asText();
        ex.getResponseHeaders().add("x-amzn-RequestCharacters", Integer.toString(text.length()));
        if (body.path("OutputFormat").asText().equals("pcm")) {
            int rate = Integer.parseInt(body.path("SampleRate").asText("16000"));
            // 100 ms of a 440 Hz tone per word, as raw little-endian 16-bit mono
            int words = text.replaceAll("<[^>]*>", " ").trim().split("\\s+").length;
            short[] s = WavTest.tone(440, rate, 0.1 * words, 8000).samples();
            byte[] raw = new byte[s.length * 2];
            for (int i = 0; i < s.length; i++) {
                raw[2 * i] = (byte) s[i];
                raw[2 * i + 1] = (byte) (s[i] >> 8);
            }
            send(ex, 200, "audio/pcm", raw);
        } else {
            send(ex, 200, "audio/mpeg", ("ID3 fake mp3 for " + text).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", "fake-" + System.nanoTime());
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
