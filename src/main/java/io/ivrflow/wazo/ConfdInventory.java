package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.flow.PlatformInventory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A Wazo stack's inventory, read from wazo-confd with the service account: queue names and labels
 * ({@code GET /queues}), extensions as {@code exten} and {@code exten@context} ({@code GET /extensions}),
 * voicemail boxes by number, {@code number@context} and name ({@code GET /voicemails}), agent numbers
 * ({@code GET /agents}), each list read page by page; with the names {@code ivr.wazo.destinations} maps, which the
 * adapter takes before confd's ({@code queue:sales}, {@code mailbox:general}, and plain names for extensions).
 */
public final class ConfdInventory {

    private static final int PAGE = 500;

    private ConfdInventory() {
    }

    /**
     * Reads the inventory with the settings the service would use ({@code WAZO_CONFD_URL}, {@code WAZO_AUTH_URL},
     * {@code WAZO_USERNAME}, {@code WAZO_PASSWORD}, {@code WAZO_TENANT}); {@code confdUrl} replaces the first.
     *
     * @throws IllegalStateException what went wrong, in a sentence (no credentials, confd refused or did not answer)
     */
    public static PlatformInventory read(String confdUrl, WazoSettings settings) {
        if (!settings.hasCredentials()) {
            throw new IllegalStateException("reading confd needs the service account: set WAZO_USERNAME and "
                    + "WAZO_PASSWORD (and WAZO_AUTH_URL when wazo-auth is not at " + settings.authUrl() + ")");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ivrflow-inventory-retries");
            t.setDaemon(true);
            return t;
        });
        try {
            Clock clock = Clock.systemUTC();
            WazoHttp http = new WazoHttp(client, new WazoAuth(client, settings.authUrl(), settings.username(),
                    settings.password(), Duration.ofMinutes(10), settings.requestTimeout(), clock),
                    settings.tenant(), settings.requestTimeout(), settings.retries(), settings.retryBackoff(),
                    Timers.on(retries, clock), clock);
            return read(http, confdUrl, settings.destinations().keySet());
        } finally {
            retries.shutdownNow();
        }
    }

    static PlatformInventory read(WazoHttp http, String confdUrl, Set<String> destinations) {
        String base = confdUrl.replaceAll("/+$", "");
        Map<String, Set<String>> kinds = new LinkedHashMap<>();
        kinds.put("queues", names(http, base, "/queues", (q, out) -> {
            add(out, q.path("name"));
            add(out, q.path("label"));
        }));
        kinds.put("extensions", names(http, base, "/extensions", (e, out) -> {
            add(out, e.path("exten"));
            if (e.path("exten").isTextual() && e.path("context").isTextual()) {
                out.add(e.path("exten").asText() + "@" + e.path("context").asText());
            }
        }));
        kinds.put("mailboxes", names(http, base, "/voicemails", (v, out) -> {
            add(out, v.path("number"));
            add(out, v.path("name"));
            if (v.path("number").isTextual() && v.path("context").isTextual()) {
                out.add(v.path("number").asText() + "@" + v.path("context").asText());
            }
        }));
        kinds.put("agents", names(http, base, "/agents", (a, out) -> add(out, a.path("number"))));
        for (String name : destinations) {
            if (name.startsWith("queue:")) {
                kinds.get("queues").add(name.substring("queue:".length()));
            } else if (name.startsWith("mailbox:")) {
                kinds.get("mailboxes").add(name.substring("mailbox:".length()));
            } else {
                kinds.get("extensions").add(name);
            }
        }
        return new PlatformInventory(URI.create(base).getHost() + " (confd)", kinds);
    }

    private interface Names {
        void of(JsonNode item, Set<String> out);
    }

    private static Set<String> names(WazoHttp http, String base, String path, Names names) {
        Set<String> out = new TreeSet<>();
        for (int offset = 0; ; offset += PAGE) {
            String url = base + path + "?limit=" + PAGE + "&offset=" + offset;
            WazoHttp.Response r;
            try {
                r = http.get(url).join();
            } catch (RuntimeException e) {
                throw new IllegalStateException("confd did not answer " + path + ": " + WazoHttp.describe(e));
            }
            if (!r.ok()) {
                throw new IllegalStateException("confd answered " + r.status() + " to GET " + path
                        + (r.status() == 401 || r.status() == 403 ? " (the service account needs confd."
                        + path.substring(1) + ".read)" : ""));
            }
            JsonNode items = r.body().path("items");
            items.forEach(item -> names.of(item, out));
            if (items.size() < PAGE || offset + PAGE >= r.body().path("total").asInt(0)) {
                return out;
            }
        }
    }

    private static void add(Set<String> out, JsonNode name) {
        if (name.isTextual() && !name.asText().isBlank()) {
            out.add(name.asText());
        } else if (name.isIntegralNumber()) {
            out.add(name.asText());
        }
    }
}
