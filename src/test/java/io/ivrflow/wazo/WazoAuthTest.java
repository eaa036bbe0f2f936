package io.ivrflow.wazo;

import io.ivrflow.wazo.fake.FakeWazo;
import io.ivrflow.wazo.fake.VirtualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service account's token against a wazo-auth (the fake, spec-checked) that gives tokens a shorter life than
 * asked: renewal follows the expiry wazo-auth returned, so no request goes out with a lapsed token.
 */
class WazoAuthTest {

    private final VirtualTime time = new VirtualTime(Instant.parse("2026-12-04T09:00:00Z"));
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private FakeWazo wazo;

    @BeforeEach
    void start() throws Exception {
        wazo = FakeWazo.start(time, time);
    }

    @AfterEach
    void stop() {
        wazo.close();
    }

    private WazoAuth auth(Duration asked) {
        return new WazoAuth(client, wazo.url("auth"), FakeWazo.USERNAME, FakeWazo.PASSWORD, asked,
                Duration.ofSeconds(5), time);
    }

    @Test
    void aTokenIsRenewedAtFourFifthsOfTheLifeWazoAuthGaveNotTheOneAskedFor() {
        wazo.maxTokenLife = Duration.ofSeconds(60);
        WazoAuth auth = auth(Duration.ofHours(1));
        String first = auth.token().join();
        assertEquals(1, wazo.tokensIssued());

        time.set(Instant.parse("2026-12-04T09:00:47Z"));
        assertEquals(first, auth.token().join(), "renewed before 80 % of its 60 s");
        time.set(Instant.parse("2026-12-04T09:00:48Z"));
        String second = auth.token().join();
        assertNotEquals(first, second, "still the token that lapses at 60 s");
        assertEquals(2, wazo.tokensIssued());
        assertTrue(wazo.requests().stream().allMatch(r -> r.body().equals("{\"expiration\":3600}")),
                "the life asked for is the configured one: " + wazo.requests());
        assertEquals(List.of(), wazo.violations());
    }

    @Test
    void tenMinutesOfRequestsWithOneMinuteTokensMeetNoRefusal() {
        wazo.maxTokenLife = Duration.ofSeconds(60);
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        wazo.requestListener = (service, method, path, callId, nanos, status) -> {
            if (service.equals("confd")) {
                statuses.add(status);
            }
        };
        WazoHttp http = new WazoHttp(client, auth(Duration.ofHours(1)), "", Duration.ofSeconds(5), 0,
                Duration.ofMillis(10), time, time);
        for (int s = 0; s <= 600; s += 10) {
            time.set(Instant.parse("2026-12-04T09:00:00Z").plusSeconds(s));
            assertEquals(200, http.get(wazo.url("confd") + "/queues?search=sales").join().status(), "at " + s + " s");
        }
        assertEquals(61, statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s == 200), "a lapsed token went out: " + statuses);
        // a new token at the first request past 80 % of 60 s: at 0, 50, 100 ... 600 s; a 401 would add one
        assertEquals(13, wazo.tokensIssued());
        assertEquals(List.of(), wazo.violations());
    }

    @Test
    void theFakeRefusesALapsedTokenAsWazoAuthWould() {
        wazo.maxTokenLife = Duration.ofSeconds(60);
        WazoAuth stale = auth(Duration.ofHours(1));
        String token = stale.token().join();
        time.set(Instant.parse("2026-12-04T09:01:00Z"));
        int status = client.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(wazo.url("confd") + "/queues")).header("X-Auth-Token", token).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).join().statusCode();
        assertEquals(401, status, "a test that renewal works needs a fake where a lapsed token fails");
    }
}
