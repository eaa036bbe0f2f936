package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * wazo-confd: where a queue named in a flow is reached ({@code GET /queues?search=<name>}, then the queue's
 * first extension). Queues are configuration, so answers are kept for a while.
 */
public final class Confd {

    /** An extension in a dialplan context. */
    public record Extension(String exten, String context) {
    }

    private final WazoHttp http;
    private final String base;
    private final TtlCache<String, Optional<Extension>> queues;

    public Confd(WazoHttp http, String base, Duration cacheTtl, Clock clock) {
        this.http = http;
        this.base = base;
        this.queues = new TtlCache<>(cacheTtl, clock, 1_000);
    }

    /** The queue's extension; empty when confd knows no such queue or it has no extension. */
    public CompletableFuture<Optional<Extension>> queue(String name) {
        return queues.get(name, this::fetch, found -> true);
    }

    private CompletableFuture<Optional<Extension>> fetch(String name) {
        return http.get(base + "/queues?search=" + Calld.seg(name)).thenApply(r -> {
            if (!r.ok()) {
                throw new WazoHttp.Unavailable("confd answered " + r.status() + " for queue " + name);
            }
            for (JsonNode q : r.body().path("items")) {
                if (name.equals(q.path("name").asText()) || name.equals(q.path("label").asText())) {
                    JsonNode ext = q.path("extensions").path(0);
                    return ext.path("exten").isTextual()
                            ? Optional.of(new Extension(ext.path("exten").asText(), ext.path("context").asText()))
                            : Optional.<Extension>empty();
                }
            }
            return Optional.<Extension>empty();
        });
    }
}
