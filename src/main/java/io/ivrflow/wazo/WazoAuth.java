package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * A wazo-auth token for the service account ({@code POST /0.1/token} with Basic credentials), shared by every
 * request and renewed before it expires: at 80 % of the life wazo-auth gave it ({@code utc_expires_at} less
 * {@code utc_issued_at}, which may be shorter than the one asked for), so a request never goes out with a token
 * about to lapse. One renewal at a time; requests that need the token meanwhile wait for the same answer. The token
 * and the password never reach a log line.
 */
public final class WazoAuth {

    private static final Logger LOG = LoggerFactory.getLogger(WazoAuth.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String tokenUrl;
    private final String basic;
    private final Duration lifetime;
    private final Duration timeout;
    private final Clock clock;

    private CompletableFuture<String> current;
    private Instant renewAt = Instant.MIN;

    /** @param authUrl wazo-auth's base, e.g. {@code http://localhost:9497/0.1} */
    public WazoAuth(HttpClient http, String authUrl, String username, String password, Duration lifetime,
                    Duration timeout, Clock clock) {
        this.http = http;
        this.tokenUrl = authUrl + "/token";
        this.basic = username == null || username.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.lifetime = lifetime;
        this.timeout = timeout;
        this.clock = clock;
    }

    public boolean configured() {
        return basic != null;
    }

    /** The current token, renewing it first when it is old or was refused. */
    public synchronized CompletableFuture<String> token() {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(renewAt) || current.isCompletedExceptionally()) {
            renewAt = now.plus(renewalAfter(lifetime));
            CompletableFuture<String> asked = new CompletableFuture<>();
            current = asked;
            fetch().whenComplete((issued, e) -> {
                if (e != null) {
                    asked.completeExceptionally(e);
                    return;
                }
                synchronized (this) {
                    if (current == asked) {
                        renewAt = now.plus(renewalAfter(issued.life()));
                    }
                }
                asked.complete(issued.token());
            });
        }
        return current;
    }

    /** When a token given for {@code life} is renewed: at 80 % of it, and not more often than every second. */
    private static Duration renewalAfter(Duration life) {
        Duration at = life.multipliedBy(8).dividedBy(10);
        return at.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : at;
    }

    /** A token and how long wazo-auth said it lives. */
    private record Issued(String token, Duration life) {
    }

    /** A service answered 401 with this token: the next {@link #token()} asks for a new one. */
    public synchronized void refused(String token) {
        if (current != null && current.isDone() && !current.isCompletedExceptionally()
                && token.equals(current.getNow(null))) {
            LOG.info("wazo-auth token refused by a service; asking for a new one");
            current = null;
        }
    }

    private CompletableFuture<Issued> fetch() {
        if (basic == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no Wazo credentials: set WAZO_USERNAME and WAZO_PASSWORD"));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(timeout)
                .header("Authorization", basic)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expiration\":" + lifetime.toSeconds() + "}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("wazo-auth answered " + response.statusCode()
                        + " to the token request (check WAZO_USERNAME / WAZO_PASSWORD)");
            }
            JsonNode data;
            try {
                data = JSON.readTree(response.body()).path("data");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("wazo-auth answered something that is not JSON");
            }
            JsonNode token = data.path("token");
            if (!token.isTextual() || token.asText().isEmpty()) {
                throw new IllegalStateException("wazo-auth answered without data.token");
            }
            Duration life = life(data);
            LOG.debug("new wazo-auth token, valid {} s", life.toSeconds());
            return new Issued(token.asText(), life);
        }).whenComplete((t, e) -> {
            if (e != null) {
                LOG.warn("cannot get a wazo-auth token: {}", e.getMessage());
            }
        });
    }

    /**
     * The life wazo-auth gave the token: {@code utc_expires_at} less {@code utc_issued_at} (both its own clock, so
     * no skew with ours); the life asked for when either is missing or unreadable.
     */
    private Duration life(JsonNode data) {
        try {
            Duration life = Duration.between(utc(data.path("utc_issued_at").asText()),
                    utc(data.path("utc_expires_at").asText()));
            if (!life.isNegative()) {
                return life;
            }
        } catch (DateTimeParseException e) {
            // fall through
        }
        LOG.warn("wazo-auth gave no readable token expiry; renewing after the {} s asked for", lifetime.toSeconds());
        return lifetime;
    }

    /** wazo-auth writes {@code 2026-12-04T10:15:30.123456} (UTC, no zone); an offset is taken too. */
    private static Instant utc(String text) {
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }
}
