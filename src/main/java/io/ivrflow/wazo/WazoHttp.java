package io.ivrflow.wazo;

import io.ivrflow.ops.Faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Requests to the Wazo services, asynchronous end to end: the token header, a time limit per attempt, retries
 * with exponential backoff when a service answers 5xx or does not answer in time, and one new token and retry on
 * 401. Answers that are final (2xx, 4xx) are returned as they are for the caller to interpret; after the last
 * retry the future fails with {@link Unavailable}.
 */
public final class WazoHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A service's answer; {@code body} is a missing node when it was empty or not JSON. */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The service did not answer usefully after every retry. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    private final Faults faults;
    private final Map<String, String> peers;
    private final HttpClient http;
    private final WazoAuth auth;
    private final String tenant;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final Timers timers;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** @param timers real time: the delays between retries */
    public WazoHttp(HttpClient http, WazoAuth auth, String tenant, Duration timeout, int retries, Duration backoff,
                    Timers timers, Clock clock) {
        this(http, auth, tenant, timeout, retries, backoff, timers, clock, Faults.unwatched(), Map.of());
    }

    /**
     * @param faults told of each failed attempt: a 5xx, no answer in time, no connection, no token
     * @param peers  base URL → the name faults are recorded under ({@code calld}, {@code confd} ...)
     */
    public WazoHttp(HttpClient http, WazoAuth auth, String tenant, Duration timeout, int retries, Duration backoff,
                    Timers timers, Clock clock, Faults faults, Map<String, String> peers) {
        this.faults = faults;
        this.peers = Map.copyOf(peers);
        this.http = http;
        this.timers = timers;
        this.clock = clock;
        this.auth = auth;
        this.tenant = tenant == null || tenant.isBlank() ? null : tenant;
        this.timeout = timeout;
        this.retries = retries;
        this.backoff = backoff;
    }

    public CompletableFuture<Response> get(String url) {
        return send("GET", url, null);
    }

    /** @param body an object Jackson can write, or null for no body */
    public CompletableFuture<Response> send(String method, String url, Object body) {
        String json;
        try {
            json = body == null ? null : JSON.writeValueAsString(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(method, url, json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    /** A body of any type (a sound file for confd), with the same token, retries and time limits. */
    public CompletableFuture<Response> send(String method, String url, byte[] body, String contentType) {
        inFlight.incrementAndGet();
        CompletableFuture<Response> answered = new CompletableFuture<>();
        attempt(method, url, body, contentType, 0, false).whenComplete((r, e) -> {
            // completing runs the caller's continuations in this thread (queueing the result on the call's lane,
            // starting the next request of a chain) before the request stops counting: "nothing in flight" then
            // means nothing is about to happen either
            try {
                if (e != null) {
                    answered.completeExceptionally(e);
                } else {
                    answered.complete(r);
                }
            } finally {
                inFlight.decrementAndGet();
            }
        });
        return answered;
    }

    /** Requests not yet answered and acted on, retries included (tests and benchmarks wait for none). */
    public int inFlight() {
        return inFlight.get();
    }

    private CompletableFuture<Response> attempt(String method, String url, byte[] body, String contentType,
                                                int attempt, boolean renewed) {
        CompletableFuture<String> token = auth.token();
        // a token that cannot be had counts like a service that does not answer: retried, then Unavailable
        return token.thenCompose(t -> http.sendAsync(request(method, url, body, contentType, t), HttpResponse.BodyHandlers.ofString()))
                .handle((response, error) -> {
                    if (error == null && response.statusCode() == 401 && !renewed) {
                        auth.refused(token.join());
                        return attempt(method, url, body, contentType, attempt, true);
                    }
                    boolean retryable = error != null || response.statusCode() >= 500;
                    if (!retryable) {
                        return CompletableFuture.completedFuture(new Response(response.statusCode(),
                                parse(response.body())));
                    }
                    String why = error != null ? describe(error) : "HTTP " + response.statusCode();
                    String kind = error == null ? "5xx" : kind(error);
                    // no token: wazo-auth's fault, whichever service the request was for
                    faults.record(kind.equals("token") ? "wazo-auth" : peer(url), kind.equals("token") ? "unavailable"
                            : kind, method + " " + path(url) + ": " + why);
                    if (attempt >= retries) {
                        return CompletableFuture.<Response>failedFuture(new Unavailable(
                                method + " " + path(url) + ": " + why + " after " + (attempt + 1) + " attempt(s)"));
                    }
                    CompletableFuture<Void> waited = new CompletableFuture<>();
                    timers.at(clock.instant().plusMillis(backoff.toMillis() << attempt), () -> waited.complete(null));
                    return waited.thenCompose(x -> attempt(method, url, body, contentType, attempt + 1, renewed));
                }).thenCompose(f -> f);
    }

    private HttpRequest request(String method, String url, byte[] body, String contentType, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("X-Auth-Token", token)
                .header("Accept", "application/json");
        if (tenant != null) {
            b.header("Wazo-Tenant", tenant);
        }
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The peer a URL is of, by its base; else its host and port. */
    private String peer(String url) {
        for (Map.Entry<String, String> p : peers.entrySet()) {
            if (url.startsWith(p.getKey())) {
                return p.getValue();
            }
        }
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    private static String kind(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof java.net.http.HttpTimeoutException ? "timeout"
                : t instanceof java.net.ConnectException ? "unreachable"
                : t instanceof IllegalStateException ? "token" : "failed";
    }

    /** The path only: query strings may carry a caller's number. */
    private static String path(String url) {
        return URI.create(url).getPath();
    }

    static String describe(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                : t instanceof java.net.ConnectException ? "connection refused"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
