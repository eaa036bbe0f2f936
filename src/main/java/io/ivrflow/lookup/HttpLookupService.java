package io.ivrflow.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Lookups of {@code source: http}: a GET or POST to the node's URL. 2xx is found, 404 is not found, anything
 * else (or no answer) failed. The JSON answer is offered to the flow's {@code assign} as JSON pointers
 * ({@code /status}) and, for top-level fields, by name ({@code status}).
 *
 * <p>{@code source: directory} needs a caller directory (Wazo dird); without one it fails at once, so the
 * flow takes its failure edge instead of waiting for a timeout.
 */
public final class HttpLookupService implements LookupService {

    private static final Logger LOG = LoggerFactory.getLogger(HttpLookupService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    /** @param http a client that follows no redirect (a lookup's answer comes from the URL the flow names) */
    public HttpLookupService(HttpClient http) {
        this.http = http;
    }

    /** With a client of its own (tools and tests). */
    public HttpLookupService() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    @Override
    public CompletableFuture<Event.LookupResult> lookup(Action.Lookup request) {
        if (!"http".equals(request.source())) {
            return CompletableFuture.completedFuture(failed(request, "no " + request.source() + " service configured"));
        }
        HttpRequest httpRequest;
        try {
            String method = "POST".equalsIgnoreCase(request.params().get("method")) ? "POST" : "GET";
            httpRequest = HttpRequest.newBuilder(URI.create(request.params().get("url")))
                    .timeout(request.timeout())
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody())
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.completedFuture(failed(request, "bad lookup URL"));
        }
        return http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> answer(request, response.statusCode(), response.body()))
                .exceptionally(e -> failed(request, e.getClass().getSimpleName()));
    }

    static Event.LookupResult answer(Action.Lookup request, int status, String body) {
        if (status == 404) {
            return new Event.LookupResult(request.requestId(), Event.LookupStatus.NOT_FOUND, Map.of());
        }
        if (status < 200 || status > 299) {
            return failed(request, "HTTP " + status);
        }
        Map<String, String> fields = new HashMap<>();
        try {
            JsonNode root = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (root != null) {
                flatten("", root, fields, true);
            }
        } catch (java.io.IOException e) {
            return failed(request, "answer is not JSON");
        }
        return new Event.LookupResult(request.requestId(), Event.LookupStatus.FOUND, fields);
    }

    private static void flatten(String pointer, JsonNode node, Map<String, String> fields, boolean top) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                flatten(child, e.getValue(), fields, false);
                if (top && e.getValue().isValueNode()) {
                    fields.put(e.getKey(), e.getValue().asText());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(pointer + "/" + i, node.get(i), fields, false);
            }
        } else if (!node.isNull()) {
            fields.put(pointer, node.asText());
        }
    }

    private static Event.LookupResult failed(Action.Lookup request, String why) {
        LOG.debug("lookup {} at node {} failed: {}", request.requestId(), request.nodeId(), why);
        return new Event.LookupResult(request.requestId(), Event.LookupStatus.FAILED, Map.of());
    }
}
