package io.ivrflow.plivo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as it starts on a laptop: no Plivo credentials, no caller id, no API token. It must start, serve
 * the page, and answer {@code POST /api/calls} with a 503 that names the variables to set, asking no token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundCallsUnconfiguredRouteTest extends CallsRouteTestSupport {

    private static final FakePlivoApi PLIVO = FakePlivoApi.start();

    @Override
    void plivoProperties(Properties p) {
        // pointed at the fake only to prove that nothing is sent to Plivo
        p.put("ivr.plivo.api-url", PLIVO.url());
        p.put("ivr.plivo.auth-id", "");
        p.put("ivr.plivo.auth-token", "");
        p.put("ivr.plivo.caller-id", "");
        p.put("ivr.api.token", "");
    }

    @AfterAll
    static void stopFake() {
        PLIVO.close();
    }

    @Test
    void withoutCredentialsACallIs503NamingTheVariables() throws Exception {
        HttpResponse<String> r = post("/api/calls", "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}",
                "Authorization", "Bearer whatever-the-caller-sends");

        assertEquals(503, r.statusCode(), r.body());
        assertEquals("Plivo credentials are not configured (PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN)",
                json(r).get("error").asText());
        assertEquals(0, PLIVO.requests().size());
    }

    @Test
    void theCallPageStillLoads() throws Exception {
        HttpResponse<String> r = get("/call");

        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(">Call me</button>"), r.body());
    }
}
