package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * wazo-agentd: can anyone answer? Agent status changes by the second, so answers are kept only briefly, just
 * enough that a burst of callers does not ask the same question a hundred times.
 */
public final class Agentd {

    /** One agent's state: logged in, paused, and where its phone is. */
    public record AgentStatus(String number, boolean logged, boolean paused, String extension, String context) {
        public boolean available() {
            return logged && !paused;
        }
    }

    private final WazoHttp http;
    private final String base;
    private final TtlCache<String, JsonNode> statuses;

    public Agentd(WazoHttp http, String base, Duration cacheTtl, Clock clock) {
        this.http = http;
        this.base = base;
        this.statuses = new TtlCache<>(cacheTtl, clock, 100);
    }

    /** Agents logged in, not paused, and logged in and not paused in the queue (by queue name). */
    public CompletableFuture<Integer> availableIn(String queue) {
        return statuses.get("all", k -> fetch(base + "/agents"), all -> true).thenApply(all -> {
            int count = 0;
            // agentd returns an array although its spec says an object (reference/wazo.md §11): accept both
            for (JsonNode agent : all.isArray() ? all : all.path("items")) {
                if (!agent.path("logged").asBoolean(false) || agent.path("paused").asBoolean(false)) {
                    continue;
                }
                for (JsonNode q : agent.path("queues")) {
                    if (queue.equals(q.path("name").asText()) && q.path("logged").asBoolean(true)
                            && !q.path("paused").asBoolean(false)) {
                        count++;
                        break;
                    }
                }
            }
            return count;
        });
    }

    /** The agent with this number; empty when agentd knows none. */
    public CompletableFuture<Optional<AgentStatus>> agent(String number) {
        return http.get(base + "/agents/by-number/" + Calld.seg(number)).thenApply(r -> {
            if (r.status() == 404) {
                return Optional.empty();
            }
            if (!r.ok()) {
                throw new WazoHttp.Unavailable("agentd answered " + r.status() + " for agent " + number);
            }
            JsonNode a = r.body();
            return Optional.of(new AgentStatus(number, a.path("logged").asBoolean(false),
                    a.path("paused").asBoolean(false), a.path("extension").asText(null), a.path("context").asText(null)));
        });
    }

    private CompletableFuture<JsonNode> fetch(String url) {
        return http.get(url).thenApply(r -> {
            if (!r.ok()) {
                throw new WazoHttp.Unavailable("agentd answered " + r.status());
            }
            return r.body();
        });
    }
}
