package io.ivrflow.plivo;

import io.ivrflow.config.InvalidSettings;
import io.ivrflow.flowstore.FlowRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decisions of {@link OutboundCalls}, without Camel: the example flows and {@link FakePlivoApi}. */
class OutboundCallsTest {

    private static FakePlivoApi plivo;
    private static FlowRepository flows;
    private OutboundCalls calls;

    @BeforeAll
    static void start() {
        plivo = FakePlivoApi.start();
        flows = new FlowRepository("flows");
        flows.load();
    }

    @AfterAll
    static void stop() {
        plivo.close();
    }

    @BeforeEach
    void newBean() {
        plivo.reset();
        calls = calls(api(Duration.ofSeconds(5)), flows, Map.of());
    }

    private static PlivoApi api(Duration timeout) {
        return new PlivoApi(plivo.url(), plivo.authId(), plivo.authToken(), timeout);
    }

    /** Outbound calls with these settings on top of the test's usual ones. */
    private static OutboundCalls calls(PlivoApi api, FlowRepository repository, Map<String, String> more) {
        Map<String, String> p = new HashMap<>(Map.of("ivr.plivo.public-url", "https://ivr.example.com/",
                "ivr.plivo.caller-id", "+15550001111"));
        p.putAll(more);
        return new OutboundCalls(api, repository, PlivoSettings.of(p), java.time.Clock.systemUTC());
    }

    private String error(OutboundCalls.Reply reply) {
        return String.valueOf(reply.content().get("error"));
    }

    @Test
    void aValidRequestPlacesTheCallWithTheWebhookUrls() {
        OutboundCalls.Reply reply = calls.place("{\"to\": \"+1 (555) 123-4567\", \"flow\": \"inspireworks\", "
                + "\"language\": \"es-US\"}", null);

        assertEquals(201, reply.status(), reply.toString());
        assertEquals("+15551234567", reply.content().get("to"), "punctuation people type is dropped");
        assertEquals("inspireworks", reply.content().get("flow"));
        assertEquals(plivo.requestUuids().get(0), reply.content().get("requestUuid"));
        assertEquals("call fired", reply.content().get("message"));
        var sent = plivo.lastRequest().json();
        assertEquals("https://ivr.example.com/plivo/inspireworks/answer?lang=es-US", sent.get("answer_url").asText());
        assertEquals("https://ivr.example.com/plivo/hangup", sent.get("hangup_url").asText());
        assertEquals("+15550001111", sent.get("from").asText());
    }

    @Test
    void fromInTheRequestReplacesTheConfiguredCallerId() {
        OutboundCalls.Reply reply = calls.place("{\"to\": \"sip:alice@sip.example.com\", \"flow\": \"inspireworks\", "
                + "\"from\": \"14155550000\"}", null);

        assertEquals(201, reply.status(), reply.toString());
        assertEquals("14155550000", plivo.lastRequest().json().get("from").asText());
        assertEquals("sip:alice@sip.example.com", plivo.lastRequest().json().get("to").asText());
    }

    @Test
    void badRequestsAreRefusedBeforePlivoIsAsked() {
        assertEquals(400, calls.place("not json", null).status());
        assertEquals(400, calls.place("[1]", null).status());
        assertEquals(400, calls.place("", null).status());
        assertEquals(400, calls.place("{\"flow\": \"inspireworks\"}", null).status());
        assertEquals(400, calls.place("{\"to\": 15551234567, \"flow\": \"inspireworks\"}", null).status());
        for (String to : new String[]{"5551234567", "+1555", "+0155512345678", "+1555123456789012", "+1555abc4567",
                "+15551234567<+15557654321", "sip:nobody", "tel:+15551234567"}) {
            OutboundCalls.Reply reply = calls.place("{\"to\": \"" + to + "\", \"flow\": \"inspireworks\"}", null);
            assertEquals(400, reply.status(), to);
            assertTrue(error(reply).contains("E.164"), error(reply));
        }
        OutboundCalls.Reply typo = calls.place("{\"to\": \"+15551234567\", \"flowId\": \"inspireworks\"}", null);
        assertEquals(400, typo.status());
        assertTrue(error(typo).contains("unknown field 'flowId'"), error(typo));
        OutboundCalls.Reply noFlow = calls.place("{\"to\": \"+15551234567\"}", null);
        assertTrue(error(noFlow).contains("'flow' is required: one of ") && error(noFlow).contains("inspireworks"),
                error(noFlow));
        assertEquals(400, calls.place("{\"to\": \"+15551234567\", \"flow\": \"inspireworks\", \"from\": \"me\"}", null)
                .status());
        assertEquals(0, plivo.requests().size());
    }

    @Test
    void anUnknownFlowIs404AndNamesTheServedOnes() {
        OutboundCalls.Reply reply = calls.place("{\"to\": \"+15551234567\", \"flow\": \"nope\"}", null);

        assertEquals(404, reply.status());
        assertTrue(error(reply).startsWith("unknown flow 'nope'; flows served: "), error(reply));
        assertTrue(error(reply).contains("inspireworks"), error(reply));
        assertEquals(0, plivo.requests().size());
    }

    @Test
    void aFlowFileWithErrorsIs422WithTheFirstError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.json"), "{\"ivrflow\": 1, \"id\": \"broken\", \"start\": \"x\"}");
        FlowRepository brokenFlows = new FlowRepository(dir.toString());
        brokenFlows.load();
        calls = calls(api(Duration.ofSeconds(5)), brokenFlows, Map.of());

        OutboundCalls.Reply reply = calls.place("{\"to\": \"+15551234567\", \"flow\": \"broken\"}", null);

        assertEquals(422, reply.status(), reply.toString());
        assertTrue(error(reply).startsWith("flow 'broken' is not served: "), error(reply));
        assertTrue(error(reply).contains("broken.json"), error(reply));
        assertEquals(0, plivo.requests().size());
    }

    @Test
    void aLanguageTheFlowDoesNotSpeakIs422() {
        OutboundCalls.Reply reply = calls.place("{\"to\": \"+15551234567\", \"flow\": \"inspireworks\", "
                + "\"language\": \"fr-FR\"}", null);

        assertEquals(422, reply.status());
        assertEquals("flow 'inspireworks' has no language 'fr-FR'; its languages: en-US, es-US", error(reply));
        assertEquals(400, calls.place("{\"to\": \"+15551234567\", \"flow\": \"inspireworks\", "
                + "\"language\": \"en US&x=1\"}", null).status());
    }

    @Test
    void withoutACallerIdTheRequestMustGiveFrom() {
        calls = calls(api(Duration.ofSeconds(5)), flows, Map.of("ivr.plivo.caller-id", ""));

        OutboundCalls.Reply reply = calls.place("{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}", null);

        assertEquals(400, reply.status());
        assertTrue(error(reply).contains("PLIVO_NUMBER"), error(reply));
    }

    @Test
    void withoutCredentialsIt503sBeforeLookingAtTheRequest() {
        calls = calls(new PlivoApi(plivo.url(), "", "", Duration.ofSeconds(5)), flows, Map.of());

        OutboundCalls.Reply reply = calls.place("not even json", null);

        assertEquals(503, reply.status());
        assertEquals("Plivo credentials are not configured (PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN)", error(reply));
    }

    @Test
    void theApiTokenWhenSetIsRequiredAsABearerToken() {
        calls = calls(api(Duration.ofSeconds(5)), flows, Map.of("ivr.api.token", "s3cret"));
        String request = "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}";

        assertTrue(calls.tokenRequired());
        assertEquals(401, calls.place(request, null).status());
        assertEquals(401, calls.place(request, "Bearer wrong").status());
        assertEquals(401, calls.place(request, "Bearer s3cre").status());
        assertEquals(401, calls.place(request, "Basic s3cret").status());
        assertEquals(401, calls.place(request, "s3cret").status());
        assertEquals(0, plivo.requests().size(), "no call without the token");
        assertEquals(201, calls.place(request, "Bearer s3cret").status());
        assertEquals(201, calls.place(request, "bearer  s3cret ").status());
        assertFalse(calls.toString().contains("s3cret"), calls.toString());
    }

    @Test
    void plivoErrorsAre502AndSilenceIs504() {
        String request = "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}";
        plivo.failNextWithError(403, "destination country not allowed");

        OutboundCalls.Reply refused = calls.place(request, null);
        assertEquals(502, refused.status());
        assertEquals("Plivo refused the call: destination country not allowed (HTTP 403)", error(refused));
        assertEquals(403, refused.content().get("plivoStatus"));

        plivo.delay(Duration.ofSeconds(3));
        calls = calls(api(Duration.ofMillis(200)), flows, Map.of());
        OutboundCalls.Reply slow = calls.place(request, null);
        assertEquals(504, slow.status());
        assertEquals("Plivo did not answer in time", error(slow));
    }

    @Test
    void theDefaultPublicUrlIsLocalhostOnTheServerPort() {
        OutboundCalls local = new OutboundCalls(api(Duration.ofSeconds(5)), flows,
                PlivoSettings.of(Map.of("camel.server.port", "8123")), java.time.Clock.systemUTC());

        assertEquals("http://localhost:8123", local.baseUrl());
        assertEquals("http://localhost:8123/plivo/inspireworks/answer", local.answerUrl("inspireworks", ""));
        assertEquals("http://localhost:8123/plivo/a%20b/answer?lang=es-US", local.answerUrl("a b", "es-US"));
    }

    @Test
    void aPublicUrlThatIsNotHttpStopsTheStartNamingTheSetting() {
        InvalidSettings e = assertThrows(InvalidSettings.class,
                () -> PlivoSettings.of(Map.of("ivr.plivo.public-url", "ivr.example.com")));
        assertEquals("ivr.plivo.public-url = \"ivr.example.com\": expected an http:// or https:// URL with a host",
                e.getMessage());
    }

    @Test
    void anUnexpectedFailureIsA500NotAnException() {
        FlowRepository failing = new FlowRepository("flows") {
            @Override
            public io.ivrflow.flow.FlowCatalog catalog() {
                throw new IllegalStateException("a bug");
            }
        };
        OutboundCalls broken = calls(api(Duration.ofSeconds(5)), failing, Map.of());

        OutboundCalls.Reply reply = broken.place("{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}", null);

        assertEquals(500, reply.status());
        assertEquals("internal error while placing the call; see the service log", error(reply));
        assertEquals(0, plivo.requests().size());
    }

    @Test
    void destinationsAreMaskedInLogs() {
        assertEquals("+1555***4567", OutboundCalls.mask("+15551234567"));
        assertEquals("+4420***0000", OutboundCalls.mask("+442079460000"));
        assertEquals("sip:a***@sip.example.com", OutboundCalls.mask("sip:alice@sip.example.com"));
        assertEquals("+12***", OutboundCalls.mask("+12345"));
    }
}
