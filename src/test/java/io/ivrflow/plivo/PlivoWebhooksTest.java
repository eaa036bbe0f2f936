package io.ivrflow.plivo;

import io.ivrflow.engine.Event;
import io.ivrflow.sim.World;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Plivo webhooks over HTTP, through the real routes: security, replies, and the call behaviours. */
class PlivoWebhooksTest extends PlivoTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    // ---------------------------------------------------------------- security and HTTP

    @Test
    void answerIsSignedXmlWithOnlyItsOwnHeaders() throws Exception {
        HttpResponse<String> r = post("/plivo/inspireworks/answer", call(UUID.randomUUID().toString()));

        assertEquals(200, r.statusCode());
        assertEquals("application/xml; charset=UTF-8", r.headers().firstValue("Content-Type").orElse(""));
        for (String leaked : List.of("X-Plivo-Signature-V3", "X-Plivo-Signature-V3-Nonce", "CallUUID", "From", "ivrFlow")) {
            assertTrue(r.headers().firstValue(leaked).isEmpty(), leaked + " echoed: " + r.headers().map());
        }
        assertEquals(List.of(), PlivoXmlRules.violations(r.body()));
        Document d = parse(r.body());
        Element getDigits = only(d, "GetDigits");
        assertTrue(getDigits.getAttribute("action").startsWith(base() + "/plivo/inspireworks/input?s="), r.body());
        assertEquals("10", getDigits.getAttribute("timeout"));
        assertEquals("1", getDigits.getAttribute("numDigits"));
        Element speak = (Element) getDigits.getElementsByTagName("Speak").item(0);
        assertEquals("Polly.Joanna", speak.getAttribute("voice"));
        assertEquals("en-US", speak.getAttribute("language"));
        assertTrue(speak.getTextContent().startsWith("Welcome to InspireWorks."));
        Element redirect = only(d, "Redirect");
        assertTrue(redirect.getTextContent().startsWith(base() + "/plivo/inspireworks/noinput?s="), r.body());
        assertEquals(redirect, d.getDocumentElement().getLastChild(), "the Redirect ends the document");
    }

    @Test
    void getWebhooksReadTheirParametersFromTheQueryString() throws Exception {
        StringBuilder query = new StringBuilder();
        call(UUID.randomUUID().toString()).forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&")
                .append(FakePlivo.enc(k)).append('=').append(FakePlivo.enc(v)));
        query.append("&lang=es-US");
        String url = base() + "/plivo/inspireworks/answer" + query;
        String nonce = "12345";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET()
                .header("X-Plivo-Signature-V3-Nonce", nonce)
                .header("X-Plivo-Signature-V3", PlivoSignature.compute(AUTH_TOKEN, url, "GET", null, nonce))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode(), r.body());
        Element speak = (Element) parse(r.body()).getElementsByTagName("Speak").item(0);
        assertEquals("Polly.Lupe", speak.getAttribute("voice"));
        assertEquals("es-US", speak.getAttribute("language"));
        assertTrue(speak.getTextContent().startsWith("Bienvenido a InspireWorks."));
    }

    @Test
    void unsignedOrWronglySignedWebhooksAreRefusedWithNothingToLearn() throws Exception {
        Map<String, String> params = call(UUID.randomUUID().toString());
        HttpRequest unsigned = HttpRequest.newBuilder(URI.create(base() + "/plivo/inspireworks/answer"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("CallUUID=x&From=1&To=2")).build();
        HttpResponse<String> none = http.send(unsigned, HttpResponse.BodyHandlers.ofString());
        // signed by someone with another token
        HttpResponse<String> forged = http.send(FakePlivo.signedPost(base() + "/plivo/inspireworks/answer", params,
                "not-the-account-token"), HttpResponse.BodyHandlers.ofString());
        // signed over another URL (what a proxy that rewrites https to http would cause)
        HttpRequest otherUrl = FakePlivo.signedPost("https://ivr.example.com/plivo/inspireworks/answer", params,
                AUTH_TOKEN);
        HttpResponse<String> misplaced = http.send(HttpRequest.newBuilder(URI.create(base() + "/plivo/inspireworks/answer"))
                .headers(otherUrl.headers().map().entrySet().stream()
                        .flatMap(e -> e.getValue().stream().flatMap(v -> java.util.stream.Stream.of(e.getKey(), v)))
                        .toArray(String[]::new))
                .POST(HttpRequest.BodyPublishers.ofString(FakePlivo.form(params))).build(), HttpResponse.BodyHandlers.ofString());
        // a changed parameter after signing
        Map<String, String> tampered = new LinkedHashMap<>(params);
        HttpRequest signed = FakePlivo.signedPost(base() + "/plivo/inspireworks/answer", params, AUTH_TOKEN);
        tampered.put("From", "+19999999999");
        HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(base() + "/plivo/inspireworks/answer"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Plivo-Signature-V3-Nonce", signed.headers().firstValue("X-Plivo-Signature-V3-Nonce").get())
                .header("X-Plivo-Signature-V3", signed.headers().firstValue("X-Plivo-Signature-V3").get())
                .POST(HttpRequest.BodyPublishers.ofString(FakePlivo.form(tampered))).build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> r : List.of(none, forged, misplaced, changed)) {
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("", r.body());
            assertTrue(r.headers().firstValue("X-Plivo-Signature-V3").isEmpty());
        }
    }

    @Test
    void aSignatureOnTheMainAccountHeaderIsAcceptedToo() throws Exception {
        Map<String, String> params = call(UUID.randomUUID().toString());
        String url = base() + "/plivo/inspireworks/answer";
        Map<String, List<String>> formParams = new TreeMap<>();
        params.forEach((k, v) -> formParams.put(k, List.of(v)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Plivo-Signature-V3-Nonce", "777")
                .header("X-Plivo-Signature-V3", "bm90LWl0")
                .header("X-Plivo-Signature-Ma-V3", "c29tZXRoaW5nLWVsc2U=, "
                        + PlivoSignature.compute(AUTH_TOKEN, url, "POST", formParams, "777"))
                .POST(HttpRequest.BodyPublishers.ofString(FakePlivo.form(params))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aTamperedOrBorrowedStateTokenIsRefusedAndTheCallerHearsAnApology() throws Exception {
        String callId = UUID.randomUUID().toString();
        String action = only(parse(post("/plivo/inspireworks/answer", call(callId)).body()), "GetDigits").getAttribute("action");
        String token = action.substring(action.indexOf("?s=") + 3);
        char flipped = token.charAt(10) == 'A' ? 'B' : 'A';
        String tamperedUrl = action.substring(0, action.indexOf("?s=") + 3) + token.substring(0, 10) + flipped
                + token.substring(11);

        Map<String, String> digits = call(callId);
        digits.put("Digits", "1");
        String tampered = plivo().send(tamperedUrl, digits, 200);
        Map<String, String> otherCall = call(UUID.randomUUID().toString());
        otherCall.put("Digits", "1");
        String borrowed = plivo().send(action, otherCall, 200);
        String genuine = plivo().send(action, digits, 200);

        for (String refused : List.of(tampered, borrowed)) {
            Document d = parse(refused);
            assertTrue(d.getElementsByTagName("Speak").item(0).getTextContent().contains("something went wrong"), refused);
            assertEquals("Hangup", ((Element) d.getDocumentElement().getLastChild()).getTagName());
            assertEquals(List.of(), PlivoXmlRules.violations(refused));
        }
        assertTrue(genuine.contains("You selected English"), genuine);
    }

    @Test
    void unknownFlowsGetAnApologyAndUnknownStepsA404() throws Exception {
        String xml = post("/plivo/no-such-flow/answer", call(UUID.randomUUID().toString())).body();
        assertTrue(xml.contains("something went wrong") && xml.endsWith("<Hangup/></Response>"), xml);

        HttpResponse<String> r = post("/plivo/inspireworks/sing", call(UUID.randomUUID().toString()));
        assertEquals(404, r.statusCode());
        assertEquals(List.of(), PlivoXmlRules.violations(r.body()));
    }

    @Test
    void aLanguageParameterThatIsNoLanguageIsNotWrittenIntoTheDocument() throws Exception {
        // found by PlivoWebhookProperties: the apology of an unknown flow said lang as it came
        String xml = post("/plivo/no-such-flow/answer?lang=VaB%5C_AMS%22%3E", call(UUID.randomUUID().toString())).body();
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        assertTrue(xml.contains("<Speak language=\"en-US\">We are sorry, something went wrong."), xml);
        String spanish = post("/plivo/no-such-flow/answer?lang=es-US", call(UUID.randomUUID().toString())).body();
        assertTrue(spanish.contains("<Speak language=\"es-US\">Lo sentimos"), spanish);
    }

    @Test
    void aCallIdOrNumberNoPlivoRequestHasIsRefusedBeforeItReachesTheCall() throws Exception {
        // found by PlivoWebhookProperties: a 20,000-character CallUUID rode in every state token, past Plivo's 100 KB
        Map<String, String> huge = call("x".repeat(20_000));
        HttpResponse<String> r = post("/plivo/inspireworks/answer", huge);
        assertEquals(400, r.statusCode());
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>", r.body());
        Map<String, String> longNumber = call(UUID.randomUUID().toString());
        longNumber.put("From", "+1".repeat(200));
        assertEquals(400, post("/plivo/inspireworks/answer", longNumber).statusCode());
    }

    @Test
    void aMissingTokenOrCallIdIsRefusedPolitely() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Digits", "1");
        String xml = plivo().send(base() + "/plivo/inspireworks/input", p, 200);
        assertTrue(xml.contains("something went wrong") && xml.endsWith("<Hangup/></Response>"), xml);
    }

    // ---------------------------------------------------------------- replays

    @Test
    void aRepeatedWebhookGetsTheSameDocumentAndStepsTheCallOnce() throws Exception {
        String callId = UUID.randomUUID().toString();
        String answer = post("/plivo/card-payment/answer?start=card_number", call(callId)).body();
        assertEquals(answer, post("/plivo/card-payment/answer?start=card_number", call(callId)).body(),
                "the answer hook of the same call again: the same document");
        Element expiry = only(parse(press(callId, only(parse(answer), "GetDigits"), "4000000000000002")), "GetDigits");
        double before = notStepped("input", "repeated");

        String paid = press(callId, expiry, "1228");
        assertEquals(paid, press(callId, expiry, "1228"), "a retried input: the same document");
        assertEquals(paid, press(callId, expiry, "0199"), "a replay with other keys: still the first document");

        assertEquals(1, world.lookups(callId, "authorize"), "the payment was authorised once");
        List<String> nodes = journal().find(callId).orElseThrow().trace().stream()
                .map(io.ivrflow.engine.TraceEntry::nodeId).toList();
        assertEquals(1, nodes.stream().filter("authorize"::equals).count(), nodes.toString());
        assertEquals(before + 2, notStepped("input", "repeated"));
    }

    @Test
    void aWebhookOfAStepTheCallHasGonePastStepsNothing() throws Exception {
        String callId = UUID.randomUUID().toString();
        Document first = parse(post("/plivo/inspireworks/answer", call(callId)).body());
        press(callId, only(first, "GetDigits"), "1");
        int steps = journal().find(callId).orElseThrow().trace().size();
        double before = notStepped("noinput", "replayed");

        // the Redirect of the first document: the same step as the keys already answered
        String late = plivo().send(only(first, "Redirect").getTextContent(), call(callId), 200);
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>", late);
        assertEquals(steps, journal().find(callId).orElseThrow().trace().size(), "the call was stepped again");
        assertEquals(before + 1, notStepped("noinput", "replayed"));
    }

    @Test
    void aStateTokenUsedOnAnotherFlowsUrlIsRefused() throws Exception {
        String callId = UUID.randomUUID().toString();
        String action = only(parse(post("/plivo/inspireworks/answer", call(callId)).body()), "GetDigits")
                .getAttribute("action");
        Map<String, String> digits = call(callId);
        digits.put("Digits", "1");
        double before = notStepped("input", "refused-state");
        String moved = plivo().send(action.replace("/plivo/inspireworks/", "/plivo/contact-centre/"), digits, 200);
        assertTrue(moved.contains("something went wrong") && moved.endsWith("<Hangup/></Response>"), moved);
        assertEquals(before + 1, notStepped("input", "refused-state"));
        assertTrue(plivo().send(action, digits, 200).contains("You selected English"), "the genuine URL still works");
    }

    @Test
    void twoCopiesOfAWebhookAtOnceGetOneAnswerFromOneLookup() throws Exception {
        String callId = UUID.randomUUID().toString();
        // the directory does not answer: the answer waits the lookup's 2 s, long enough for the copy to arrive
        world.call(callId, new World(Map.of("caller_lookup", List.of(new World.LookupAnswer(Event.LookupStatus.FOUND,
                Map.of(), java.time.Duration.ofSeconds(5)))), Map.of(), Map.of(), Map.of(), false));
        HttpRequest answer = FakePlivo.signedPost(base() + "/plivo/contact-centre/answer", call(callId), AUTH_TOKEN);
        var one = http.sendAsync(answer, HttpResponse.BodyHandlers.ofString());
        var two = http.sendAsync(answer, HttpResponse.BodyHandlers.ofString());
        assertEquals(one.get().body(), two.get().body());
        assertEquals(1, world.lookups(callId, "caller_lookup"));
        assertEquals(1, journal().find(callId).orElseThrow().trace().stream()
                .filter(t -> t.nodeId().equals("caller_lookup")).count());
    }

    @Test
    void aRepeatAfterTheDocumentsAreForgottenIsRefusedNotStepped() throws Exception {
        String callId = UUID.randomUUID().toString();
        Document first = parse(post("/plivo/inspireworks/answer", call(callId)).body());
        String level2 = press(callId, only(first, "GetDigits"), "1");
        Instant now = clock.instant();
        try {
            clock.set(now.plus(java.time.Duration.ofMinutes(3)));
            String late = press(callId, only(first, "GetDigits"), "1");
            assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>", late);
            assertTrue(press(callId, only(parse(level2), "GetDigits"), "1").contains("Playing audio message."),
                    "the call goes on from where it is");
        } finally {
            clock.set(now);
        }
    }

    private io.ivrflow.observe.CallJournal journal() {
        return context.getRegistry().lookupByNameAndType("callJournal", io.ivrflow.observe.CallJournal.class);
    }

    private double notStepped(String hook, String why) {
        var counter = journal().metrics().registry().find("ivr.webhook.not.stepped").tag("hook", hook)
                .tag("why", why).counter();
        return counter == null ? 0 : counter.count();
    }

    // ---------------------------------------------------------------- call behaviour (InspireWorks)

    @Test
    void aSuccessfulBridgeEndsTheIvrWithoutAnyMessageButAFailedOneApologises() throws Exception {
        for (String status : List.of("completed", "busy")) {
            String callId = UUID.randomUUID().toString();
            String level2 = press(callId, only(parse(post("/plivo/inspireworks/answer", call(callId)).body()), "GetDigits"), "1");
            String dialDoc = press(callId, only(parse(level2), "GetDigits"), "2");
            Document d = parse(dialDoc);
            Element dial = only(d, "Dial");
            assertEquals("+15550199999", dial.getAttribute("callerId"), "the flow's callerId is the number called");
            assertEquals("30", dial.getAttribute("timeout"));
            assertEquals("+15550123456", dial.getElementsByTagName("Number").item(0).getTextContent());
            assertTrue(dial.getAttribute("action").startsWith(base() + "/plivo/inspireworks/dialed?s="));
            assertEquals(dial, d.getDocumentElement().getLastChild(), "nothing after the Dial: the action decides");

            Map<String, String> result = call(callId);
            result.put("DialStatus", status);
            if (status.equals("completed")) {
                result.put("CallStatus", "completed");
            }
            String after = plivo().send(dial.getAttribute("action"), result, 200);
            if (status.equals("completed")) {
                assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>", after);
            } else {
                assertTrue(after.contains("The call could not be completed. Thank you for calling."), after);
                assertTrue(after.endsWith("<Hangup/></Response>"), after);
            }
        }
    }

    @Test
    void silenceRepromptsAtMostThreeTimesThenEndsPolitely() throws Exception {
        String callId = UUID.randomUUID().toString();
        Document d = parse(post("/plivo/inspireworks/answer", call(callId)).body());
        for (int i = 1; i <= 2; i++) {
            String again = plivo().send(only(d, "Redirect").getTextContent(), call(callId), 200);
            d = parse(again);
            assertTrue(again.contains("We didn't receive your selection."), again);
            assertEquals(1, d.getElementsByTagName("GetDigits").getLength());
        }
        String last = plivo().send(only(d, "Redirect").getTextContent(), call(callId), 200);
        assertTrue(last.contains("We did not receive a valid selection. Thank you for calling InspireWorks. Goodbye."), last);
        assertEquals(0, parse(last).getElementsByTagName("GetDigits").getLength());
        assertTrue(last.endsWith("<Hangup/></Response>"), last);
    }

    @Test
    void invalidInputIsCappedToo() throws Exception {
        String callId = UUID.randomUUID().toString();
        String xml = post("/plivo/inspireworks/answer", call(callId)).body();
        for (int i = 0; i < 3; i++) {
            xml = press(callId, only(parse(xml), "GetDigits"), "7");
        }
        assertTrue(xml.contains("We did not receive a valid selection."), xml);
        assertTrue(xml.endsWith("<Hangup/></Response>"), xml);
    }

    @Test
    void theAudioOptionPlaysTheRecordingThenSaysGoodbye() throws Exception {
        String callId = UUID.randomUUID().toString();
        String level2 = press(callId, only(parse(post("/plivo/inspireworks/answer", call(callId)).body()), "GetDigits"), "1");
        String xml = press(callId, only(parse(level2), "GetDigits"), "1");
        Document d = parse(xml);
        String play = only(d, "Play").getTextContent();
        assertTrue(play.startsWith(base() + "/audio/audio/chime.wav?v="), play);
        assertTrue(xml.indexOf("Playing audio message.") < xml.indexOf("<Play>")
                && xml.indexOf("<Play>") < xml.indexOf("Thank you for calling. Goodbye.") && xml.endsWith("<Hangup/></Response>"), xml);

        HttpResponse<byte[]> audio = http.send(HttpRequest.newBuilder(URI.create(play)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, audio.statusCode());
        assertEquals("audio/wav", audio.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(Files.readAllBytes(Path.of("flows/audio/chime.wav")), audio.body());
        String etag = audio.headers().firstValue("ETag").orElseThrow();
        assertTrue(play.endsWith("?v=" + etag.replace("\"", "")), "the URL carries the content tag");
        assertEquals("public, max-age=31536000, immutable", audio.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<byte[]> cached = http.send(HttpRequest.newBuilder(URI.create(play)).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, cached.statusCode());
        assertEquals(0, cached.body().length);
        for (String bad : List.of("/audio/..%2Fpom.xml", "/audio/../README.md", "/audio/audio/none.wav", "/audio/contact-centre.json")) {
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base() + bad)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), bad);
        }
    }

    // ---------------------------------------------------------------- contact centre: SSML, secrets, voicemail

    @Test
    void ssmlPromptsGoToPollyVoicesWithTheCallersNameEscaped() throws Exception {
        String callId = UUID.randomUUID().toString();
        world.call(callId, new World(Map.of("caller_lookup", List.of(new World.LookupAnswer(Event.LookupStatus.FOUND,
                Map.of("name", "Tom & <Jerry>", "vip", "true"), null))), Map.of(), Map.of(), Map.of(), false));
        String xml = post("/plivo/contact-centre/answer", call(callId)).body();
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        assertTrue(xml.contains("<Speak voice=\"Polly.Joanna\" language=\"en-US\">Welcome back, <emphasis>Tom &amp; &lt;Jerry&gt;</emphasis>."
                + " <break time=\"300ms\"/>"), xml);
        assertFalse(xml.contains("<speak>"), "the SSML root is not part of Plivo's Speak");
    }

    @Test
    void cardNumbersAreKeptOutOfPlivosLogs() throws Exception {
        String xml = post("/plivo/card-payment/answer?start=card_number", call(UUID.randomUUID().toString())).body();
        assertEquals("false", only(parse(xml), "GetDigits").getAttribute("log"), xml);
        String menu = post("/plivo/contact-centre/answer?start=main_menu", call(UUID.randomUUID().toString())).body();
        assertFalse(only(parse(menu), "GetDigits").hasAttribute("log"), menu);
    }

    @Test
    void afterHoursVoicemailRecordsAMessageAndTheActionEndsTheCall() throws Exception {
        clock.set(Instant.parse("2026-11-24T03:00:00Z")); // Monday 22:00 in New York
        String callId = UUID.randomUUID().toString();
        String xml = post("/plivo/contact-centre/answer", call(callId)).body();
        Element record = only(parse(xml), "Record");
        assertTrue(record.getAttribute("action").contains("/plivo/contact-centre/recorded?s="), xml);
        // the mailbox is the signed state's business, not a URL parameter someone could change
        assertFalse(record.getAttribute("action").contains("mailbox"), xml);
        assertEquals("true", record.getAttribute("playBeep"));
        Map<String, String> left = call(callId);
        left.put("RecordUrl", "https://media.plivo.example/r.mp3");
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>",
                plivo().send(record.getAttribute("action"), left, 200));
    }

    // ---------------------------------------------------------------- helpers

    private FakePlivo plivo() {
        return new FakePlivo(base(), AUTH_TOKEN, clock, "queue-", xml -> { });
    }

    private String press(String callId, Element getDigits, String keys) throws Exception {
        Map<String, String> p = call(callId);
        p.put("Digits", keys);
        String xml = plivo().send(getDigits.getAttribute("action"), p, 200);
        assertEquals(List.of(), PlivoXmlRules.violations(xml));
        return xml;
    }

    private HttpResponse<String> post(String path, Map<String, String> params) throws Exception {
        return http.send(FakePlivo.signedPost(base() + path, params, AUTH_TOKEN),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> call(String callId) {
        return FakePlivo.callParams(callId, "+15550100000", "+15550199999", "StartApp");
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element only(Document d, String tag) {
        assertEquals(1, d.getElementsByTagName(tag).getLength(), "one <" + tag + ">");
        return (Element) d.getElementsByTagName(tag).item(0);
    }
}
