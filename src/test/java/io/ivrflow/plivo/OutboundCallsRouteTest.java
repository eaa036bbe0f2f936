package io.ivrflow.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/calls} and {@code GET /call} through the real routes, with Plivo credentials, a caller id and
 * an API token configured, and Plivo played by {@link FakePlivoApi}. One service for the whole class: starting
 * Camel Main per test would only test startup again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundCallsRouteTest extends CallsRouteTestSupport {

    private static final FakePlivoApi PLIVO = FakePlivoApi.start();
    private static final String API_TOKEN = "route-test-token-5f2c";
    private static final String BEARER = "Bearer " + API_TOKEN;
    private static final String CALL_INSPIREWORKS = "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}";

    @Override
    void plivoProperties(Properties p) {
        p.put("ivr.plivo.api-url", PLIVO.url());
        p.put("ivr.plivo.auth-id", PLIVO.authId());
        p.put("ivr.plivo.auth-token", PLIVO.authToken());
        p.put("ivr.plivo.api-timeout", "700");
        p.put("ivr.plivo.caller-id", "+15550001111");
        // empty: the webhooks are announced under http://localhost:<camel.server.port>
        p.put("ivr.plivo.public-url", "");
        p.put("ivr.api.token", API_TOKEN);
    }

    @AfterAll
    static void stopFake() {
        PLIVO.close();
    }

    @BeforeEach
    void resetFake() {
        PLIVO.reset();
    }

    @Test
    void postingACallAsksPlivoToCallAndRunTheFlowOnAnswer() throws Exception {
        HttpResponse<String> r = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER);

        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(PLIVO.requestUuids().get(0), body.get("requestUuid").asText());
        assertEquals("call fired", body.get("message").asText());
        assertEquals("inspireworks", body.get("flow").asText());
        assertEquals("+15551234567", body.get("to").asText());

        assertEquals(1, PLIVO.requests().size());
        FakePlivoApi.Request sent = PLIVO.lastRequest();
        assertEquals("/v1/Account/" + PLIVO.authId() + "/Call/", sent.path());
        JsonNode call = sent.json();
        assertEquals("http://localhost:" + httpPort + "/plivo/inspireworks/answer", call.get("answer_url").asText());
        assertEquals("POST", call.get("answer_method").asText());
        assertEquals("http://localhost:" + httpPort + "/plivo/hangup", call.get("hangup_url").asText());
        assertEquals("+15550001111", call.get("from").asText());
        assertEquals("+15551234567", call.get("to").asText());
        // our API token is ours: it never goes to Plivo
        assertFalse(sent.headers().toString().contains(API_TOKEN) || sent.body().contains(API_TOKEN));
    }

    @Test
    void aChosenLanguageTravelsInTheAnswerUrl() throws Exception {
        HttpResponse<String> r = post("/api/calls",
                "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\", \"language\": \"es-US\"}", "Authorization", BEARER);

        assertEquals(201, r.statusCode(), r.body());
        assertEquals("http://localhost:" + httpPort + "/plivo/inspireworks/answer?lang=es-US",
                PLIVO.lastRequest().json().get("answer_url").asText());
    }

    @Test
    void aBadNumberIs400AndPlivoIsNotAsked() throws Exception {
        HttpResponse<String> r = post("/api/calls", "{\"to\": \"555-1234\", \"flow\": \"inspireworks\"}",
                "Authorization", BEARER);

        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("E.164"), r.body());
        assertEquals(0, PLIVO.requests().size());

        HttpResponse<String> notJson = post("/api/calls", "to=+15551234567", "Authorization", BEARER);
        assertEquals(400, notJson.statusCode(), notJson.body());
        assertTrue(json(notJson).get("error").asText().startsWith("the request body must be a JSON object"));
    }

    @Test
    void anUnknownFlowIs404() throws Exception {
        HttpResponse<String> r = post("/api/calls", "{\"to\": \"+15551234567\", \"flow\": \"no-such-flow\"}",
                "Authorization", BEARER);

        assertEquals(404, r.statusCode(), r.body());
        String error = json(r).get("error").asText();
        assertTrue(error.startsWith("unknown flow 'no-such-flow'"), error);
        assertTrue(error.contains("inspireworks"), error);
        assertEquals(0, PLIVO.requests().size());
    }

    @Test
    void plivoRefusingTheCallIs502WithPlivosReason() throws Exception {
        PLIVO.failNextWithError(401, "authentication failed");
        HttpResponse<String> auth = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER);
        assertEquals(502, auth.statusCode(), auth.body());
        assertEquals("Plivo refused the call: authentication failed (HTTP 401)", json(auth).get("error").asText());
        assertEquals(401, json(auth).get("plivoStatus").asInt());

        PLIVO.failNext(1, 500, "{\"api_id\": \"a1\", \"error\": \"internal server error\"}");
        HttpResponse<String> down = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER);
        assertEquals(502, down.statusCode(), down.body());
        assertEquals("Plivo refused the call: internal server error (HTTP 500)", json(down).get("error").asText());
    }

    @Test
    void aSilentPlivoIs504AfterTheConfiguredTimeout() throws Exception {
        PLIVO.delay(Duration.ofSeconds(4));

        long started = System.nanoTime();
        HttpResponse<String> r = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(504, r.statusCode(), r.body());
        assertEquals("Plivo did not answer in time", json(r).get("error").asText());
        assertTrue(tookMillis < 3500, "ivr.plivo.api-timeout=700 was not applied: " + tookMillis + " ms");
    }

    @Test
    void withoutTheApiTokenNoCallIsPlaced() throws Exception {
        HttpResponse<String> none = post("/api/calls", CALL_INSPIREWORKS);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""), none.headers().map().toString());
        assertTrue(json(none).get("error").asText().contains("API token"), none.body());

        HttpResponse<String> wrong = post("/api/calls", CALL_INSPIREWORKS, "Authorization", "Bearer not-" + API_TOKEN);
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals(0, PLIVO.requests().size());

        HttpResponse<String> right = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER);
        assertEquals(201, right.statusCode(), right.body());
        assertEquals(1, PLIVO.requests().size());
    }

    @Test
    void aRequestRepeatedWithItsIdempotencyKeyPlacesOneCall() throws Exception {
        String key = "order-4711-" + System.nanoTime();
        HttpResponse<String> first = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER, "Idempotency-Key", key);
        HttpResponse<String> again = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER, "Idempotency-Key", key);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(first.body(), again.body(), "the first answer, the same request uuid");
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(1, PLIVO.requests().size(), "Plivo was asked once");

        HttpResponse<String> other = post("/api/calls", "{\"to\": \"+15557654321\", \"flow\": \"inspireworks\"}",
                "Authorization", BEARER, "Idempotency-Key", key);
        assertEquals(422, other.statusCode(), other.body());
        assertTrue(json(other).get("error").asText().contains("another request"), other.body());
        HttpResponse<String> wrongToken = post("/api/calls", CALL_INSPIREWORKS, "Authorization", "Bearer not-" + API_TOKEN,
                "Idempotency-Key", key);
        assertEquals(401, wrongToken.statusCode(), "the first answer is for the token's holder only");
        assertEquals(1, PLIVO.requests().size());

        // without a key, or with another one, each request is a new call
        assertEquals(201, post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER).statusCode());
        assertEquals(201, post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER, "Idempotency-Key", key + "b")
                .statusCode());
        assertEquals(3, PLIVO.requests().size());
    }

    @Test
    void aRefusedRequestIsNotKeptUnderItsKey() throws Exception {
        String key = "retry-after-fix-" + System.nanoTime();
        HttpResponse<String> bad = post("/api/calls", "{\"to\": \"555\", \"flow\": \"inspireworks\"}",
                "Authorization", BEARER, "Idempotency-Key", key);
        assertEquals(400, bad.statusCode());
        HttpResponse<String> fixed = post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER, "Idempotency-Key", key);
        assertEquals(201, fixed.statusCode(), "nothing was done for the bad request: the key is free " + fixed.body());
        assertEquals(400, post("/api/calls", CALL_INSPIREWORKS, "Authorization", BEARER, "Idempotency-Key", "two words")
                .statusCode(), "a key with a space");
    }

    @Test
    void theCallPageIsServedWithItsForm() throws Exception {
        HttpResponse<String> r = get("/call", "Authorization", BEARER);

        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=UTF-8", r.headers().firstValue("Content-Type").orElse(""));
        String html = r.body();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(80, html.length())));
        assertTrue(html.contains("<form id=\"call-form\""), "no form");
        assertTrue(html.contains("<select id=\"flow\""), "no flow picker");
        assertTrue(html.contains("<input id=\"to\""), "no number field");
        assertTrue(html.contains("<input id=\"token\"") && html.contains("type=\"password\""), "no token field");
        assertTrue(html.contains(">Call me</button>"), "no button");
        assertTrue(html.contains("fetch(\"api/flows\"") && html.contains("fetch(\"api/calls\""), "not wired to the API");
        // self-contained: nothing is loaded from elsewhere
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src="), "external resource");
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    }

    @Test
    void eachEndpointAnswersOnlyItsMethod() throws Exception {
        assertEquals(405, get("/api/calls").statusCode());
        assertEquals(405, post("/call", "{}").statusCode());
        assertEquals(0, PLIVO.requests().size());
    }

    @Test
    void theRoutesAndBeansComeFromTheirFiles() {
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("calls-api"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("call-page"));
        assertTrue(context.getRoute("calls-api").getSourceLocation().contains("calls-api.camel.yaml"));
        assertTrue(context.getRoute("call-page").getSourceLocation().contains("calls-api.camel.yaml"));

        OutboundCalls calls = context.getRegistry().lookupByNameAndType("outboundCalls", OutboundCalls.class);
        assertNotNull(calls);
        assertTrue(calls.tokenRequired());
        assertEquals("http://localhost:" + httpPort, calls.baseUrl());
    }
}
