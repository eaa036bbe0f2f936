package io.ivrflow.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PlivoApi} against {@link FakePlivoApi}: what it sends, and how each kind of answer (or none) comes back. */
class PlivoApiTest {

    private static final String ANSWER = "https://ivr.example.com/plivo/inspireworks/answer";
    private static final String HANGUP = "https://ivr.example.com/plivo/hangup";

    private static FakePlivoApi plivo;
    private PlivoApi api;

    @BeforeAll
    static void startFake() {
        plivo = FakePlivoApi.start();
    }

    @AfterAll
    static void stopFake() {
        plivo.close();
    }

    @BeforeEach
    void resetFake() {
        plivo.reset();
        // a trailing slash in the configured URL must not double up in the path
        api = new PlivoApi(plivo.url() + "/", plivo.authId(), plivo.authToken(), Duration.ofSeconds(5));
    }

    @Test
    void makeCallSendsPlivosRequestShapeAndReadsTheRequestUuid() {
        PlivoApi.Result result = api.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);

        assertTrue(result.ok(), result.toString());
        assertEquals(201, result.status());
        assertEquals("call fired", result.message());
        assertEquals(plivo.requestUuids().get(0), result.requestUuid());
        assertNull(result.error());
        assertFalse(result.noAnswer());

        assertEquals(1, plivo.requests().size());
        FakePlivoApi.Request sent = plivo.lastRequest();
        assertEquals("POST", sent.method());
        assertEquals("/v1/Account/" + plivo.authId() + "/Call/", sent.path());
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (plivo.authId() + ":" + plivo.authToken()).getBytes(StandardCharsets.UTF_8));
        assertEquals(basic, sent.header("Authorization"));
        assertTrue(sent.header("Content-Type").startsWith("application/json"), sent.header("Content-Type"));
        JsonNode body = sent.json();
        assertEquals("+15550001111", body.get("from").asText());
        assertTrue(body.get("to").isTextual(), "one destination goes as a string: " + body);
        assertEquals("+15551234567", body.get("to").asText());
        assertEquals(ANSWER, body.get("answer_url").asText());
        assertEquals("POST", body.get("answer_method").asText());
        assertEquals(HANGUP, body.get("hangup_url").asText());
        assertEquals("POST", body.get("hangup_method").asText());
    }

    @Test
    void aWrongTokenIsPlivosAuthenticationError() {
        PlivoApi wrong = new PlivoApi(plivo.url(), plivo.authId(), "not-the-token", Duration.ofSeconds(5));

        PlivoApi.Result result = wrong.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);

        assertFalse(result.ok());
        assertEquals(401, result.status());
        assertEquals("authentication failed", result.error());
        assertFalse(result.noAnswer(), "Plivo answered: it said no");
        assertTrue(plivo.requestUuids().isEmpty());
    }

    @Test
    void aMissingParameterComesBackWithPlivosWords() {
        PlivoApi.Result result = api.makeCall("+15550001111", "+15551234567", "", HANGUP);

        assertEquals(400, result.status());
        assertEquals("answer_url parameter is missing", result.error());
        assertNull(result.requestUuid());
    }

    @Test
    void eachPlivoErrorStatusIsReportedWithItsText() {
        int[] statuses = {400, 401, 403, 404, 429, 500};
        for (int status : statuses) {
            plivo.failNextWithError(status, "error number " + status);
            PlivoApi.Result result = api.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
            assertEquals(status, result.status());
            assertEquals("error number " + status, result.error());
            assertFalse(result.ok());
            assertFalse(result.noAnswer());
        }
    }

    @Test
    void errorBodiesThatAreNotPlivosShapeStillSayWhatHappened() {
        plivo.failNext(1, 502, "<html><body>Bad Gateway</body></html>");
        PlivoApi.Result html = api.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
        assertEquals(502, html.status());
        assertEquals("<html><body>Bad Gateway</body></html>", html.error());

        plivo.failNext(1, 400, "{\"api_id\":\"x\",\"error\":{\"to\":[\"not a valid number\"]}}");
        PlivoApi.Result object = api.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
        assertEquals("{\"to\":[\"not a valid number\"]}", object.error());

        plivo.failNext(1, 500, "");
        PlivoApi.Result empty = api.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
        assertEquals(500, empty.status());
        assertEquals("no error text", empty.error());
    }

    @Test
    void aServerThatIsDownGivesAResultNotAnException() {
        FakePlivoApi gone = FakePlivoApi.start();
        String url = gone.url();
        gone.close();
        PlivoApi down = new PlivoApi(url, "MAX", "token", Duration.ofSeconds(2));

        PlivoApi.Result result = down.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);

        assertEquals(PlivoApi.STATUS_UNREACHABLE, result.status());
        assertTrue(result.noAnswer());
        assertFalse(result.ok());
        assertTrue(result.error().contains("cannot connect to Plivo at " + url), result.error());
    }

    @Test
    void aSlowServerTimesOutWithinTheConfiguredTimeout() {
        plivo.delay(Duration.ofSeconds(3));
        PlivoApi impatient = new PlivoApi(plivo.url(), plivo.authId(), plivo.authToken(), Duration.ofMillis(300));

        long started = System.nanoTime();
        PlivoApi.Result result = impatient.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(PlivoApi.STATUS_TIMEOUT, result.status());
        assertTrue(result.noAnswer());
        assertTrue(result.error().contains("within 300 ms"), result.error());
        assertTrue(tookMillis < 2500, "waited " + tookMillis + " ms for a 300 ms timeout");
    }

    @Test
    void recordingStartsAsMp3AndStops() {
        PlivoApi.Result started = api.startRecording("d0b6c7a4-1f5e-4c2b-9a57-2b4f8f0e1a11");
        assertEquals(202, started.status());
        assertTrue(started.ok());
        assertEquals("call recording started", started.message());
        FakePlivoApi.Request start = plivo.lastRequest();
        assertEquals("POST", start.method());
        assertEquals("/v1/Account/" + plivo.authId() + "/Call/d0b6c7a4-1f5e-4c2b-9a57-2b4f8f0e1a11/Record/", start.path());
        assertEquals("mp3", start.json().get("file_format").asText());

        PlivoApi.Result stopped = api.stopRecording("d0b6c7a4-1f5e-4c2b-9a57-2b4f8f0e1a11");
        assertEquals(204, stopped.status());
        assertTrue(stopped.ok());
        assertEquals("DELETE", plivo.lastRequest().method());
        assertEquals(start.path(), plivo.lastRequest().path());
    }

    @Test
    void aRefusedRecordingCarriesPlivosError() {
        plivo.refuseRecording("call-1", "call is not in progress");

        PlivoApi.Result start = api.startRecording("call-1");
        PlivoApi.Result stop = api.stopRecording("call-1");

        assertEquals(403, start.status());
        assertEquals("call is not in progress", start.error());
        assertEquals(403, stop.status());
        assertFalse(stop.ok());
    }

    @Test
    void aCallUuidThatWouldChangeThePathIsRefusedWithoutARequest() {
        PlivoApi.Result result = api.startRecording("../../Account/other/Call/x");

        assertEquals(400, result.status());
        assertTrue(result.error().startsWith("invalid call uuid"), result.error());
        assertEquals(0, plivo.requests().size());
        assertEquals(400, api.stopRecording(null).status());
    }

    @Test
    void withoutCredentialsNothingIsSent() {
        PlivoApi none = new PlivoApi(plivo.url(), plivo.authId(), " ", Duration.ofSeconds(5));

        assertFalse(none.configured());
        assertFalse(new PlivoApi(plivo.url(), null, "token", Duration.ofSeconds(5)).configured());
        assertTrue(api.configured());
        PlivoApi.Result result = none.makeCall("+15550001111", "+15551234567", ANSWER, HANGUP);
        assertFalse(result.ok());
        assertEquals(0, plivo.requests().size());
    }

    @Test
    void toStringShowsWhereButNeverTheCredentials() {
        String shown = api.toString();

        assertTrue(shown.contains(plivo.url()), shown);
        assertTrue(shown.contains("credentials=set"), shown);
        assertFalse(shown.contains(plivo.authToken()), shown);
        assertFalse(shown.contains(plivo.authId()), shown);
    }

    @Test
    void anApiUrlThatIsNotHttpIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new PlivoApi("api.plivo.com", "a", "b", Duration.ofSeconds(1)));
    }
}
