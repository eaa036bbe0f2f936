package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import io.ivrflow.lookup.LookupService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Lookups of {@code source: directory} through wazo-dird ({@code GET /directories/lookup/{profile}?term=}); the
 * first result's columns become fields by column header (as written and in lower case). Other sources go to
 * {@code others}. Answers are kept for a while (a caller who calls back within the minute is not looked up
 * twice); failures are not. The adapter's timer gives up at the node's timeout whatever dird does.
 */
public final class DirdLookups implements LookupService {

    private static final Logger LOG = LoggerFactory.getLogger(DirdLookups.class);

    private final WazoHttp http;
    private final String base;
    private final LookupService others;
    private final TtlCache<String, Event.LookupResult> cache;

    public DirdLookups(WazoHttp http, String base, LookupService others, Duration cacheTtl, Clock clock) {
        this.http = http;
        this.base = base;
        this.others = others;
        this.cache = new TtlCache<>(cacheTtl, clock, 10_000);
    }

    @Override
    public CompletableFuture<Event.LookupResult> lookup(Action.Lookup request) {
        if (!"directory".equals(request.source())) {
            return others.lookup(request);
        }
        String profile = request.params().getOrDefault("profile", "default");
        String term = request.params().getOrDefault("term", "");
        if (term.isBlank()) {
            return CompletableFuture.completedFuture(result(request, Event.LookupStatus.NOT_FOUND, Map.of()));
        }
        return cache.get(profile + "\n" + term, k -> fetch(profile, term),
                        r -> r.status() != Event.LookupStatus.FAILED)
                .thenApply(r -> result(request, r.status(), r.fields()))
                .exceptionally(e -> {
                    LOG.debug("directory lookup at node {} failed: {}", request.nodeId(), WazoHttp.describe(e));
                    return result(request, Event.LookupStatus.FAILED, Map.of());
                });
    }

    private CompletableFuture<Event.LookupResult> fetch(String profile, String term) {
        return http.get(base + "/directories/lookup/" + Calld.seg(profile) + "?term=" + Calld.seg(term)).thenApply(r -> {
            if (!r.ok()) {
                throw new WazoHttp.Unavailable("dird answered " + r.status());
            }
            JsonNode first = r.body().path("results").path(0);
            if (first.isMissingNode()) {
                return new Event.LookupResult("", Event.LookupStatus.NOT_FOUND, Map.of());
            }
            JsonNode headers = r.body().path("column_headers");
            JsonNode values = first.path("column_values");
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; i < headers.size() && i < values.size(); i++) {
                if (!values.get(i).isNull()) {
                    String header = headers.get(i).asText();
                    fields.put(header, values.get(i).asText());
                    fields.putIfAbsent(header.toLowerCase(Locale.ROOT), values.get(i).asText());
                }
            }
            return new Event.LookupResult("", Event.LookupStatus.FOUND, fields);
        });
    }

    private static Event.LookupResult result(Action.Lookup request, Event.LookupStatus status, Map<String, String> f) {
        return new Event.LookupResult(request.requestId(), status, f);
    }
}
