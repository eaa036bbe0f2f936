package io.ivrflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.HttpReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keypad calls through the {@link ConsoleCalls} bean as the routes call it (an exchange in, status and JSON out),
 * without a server: the call's life, what it shows, expiry, the bound on calls kept, and bad input.
 */
class ConsoleCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Monday 23 November 2026, 10:00 in New York: the contact centre is open. */
    private static final String OPEN = "2026-11-23T15:00:00Z";

    private final MovableClock clock = new MovableClock();
    private ConsoleCalls calls;

    /** A clock the test moves on. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    record Answer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText();
        }
    }

    @BeforeEach
    void setUp() {
        FlowRepository repository = new FlowRepository("flows");
        repository.load();
        calls = newCalls(repository, 3, 30);
    }

    private ConsoleCalls newCalls(FlowRepository repository, int max, long idleMinutes) {
        return new ConsoleCalls(repository, new PromptAudio("flows", null),
                new ConsoleSettings(max, Duration.ofMinutes(idleMinutes)), clock);
    }

    // ---------------------------------------------------------------- HTTP as the routes hand it over

    /** What the HTTP route would answer: the value, or the refusal in the one error shape. */
    private Answer answer(Supplier<Object> call) {
        try {
            Object value = call.get();
            return value instanceof HttpReply r ? new Answer(r.status(), JSON.valueToTree(r.body()))
                    : new Answer(200, JSON.valueToTree(value));
        } catch (ApiError e) {
            return new Answer(e.status(), JSON.valueToTree(e.body()));
        }
    }

    private static byte[] bytes(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }

    private Answer start(String json) {
        return answer(() -> calls.start(bytes(json)));
    }

    private Answer act(String id, String action, String json) {
        return answer(() -> calls.act(id, action, bytes(json)));
    }

    private Answer view(String id) {
        return answer(() -> calls.view(id));
    }

    private static List<String> list(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(field == null ? n.asText() : n.path(field).asText()));
        return out;
    }

    // ---------------------------------------------------------------- a call

    @Test
    void aCallFromDialToQueue() throws Exception {
        Answer dialled = start("{\"flow\": \"contact-centre\", \"at\": \"" + OPEN + "\"}");
        assertEquals(201, dialled.status(), dialled.body().toString());
        JsonNode c = dialled.body();
        String id = c.path("id").asText();
        assertTrue(id.length() >= 20, "an unguessable id: " + id);
        // the call ran until the IVR listened: the language choice, after the chime, welcome, lookup and schedule
        assertEquals("collecting", c.path("phase").asText());
        assertTrue(c.path("listening").asBoolean());
        assertEquals("language", c.path("node").path("id").asText());
        assertEquals(List.of("chime", "welcome", "caller_lookup", "hours", "language"), list(c.path("trace"), "node"));
        assertEquals(List.of("start", "next", "next", "notFound", "open"), list(c.path("trace"), "exit"));
        assertEquals(4000, c.path("silenceMillis").asLong(), "the language node's first-digit timeout");
        // the chime is a recording the console can play; the words are spoken by the platform
        JsonNode chime = c.path("heard").get(0);
        assertEquals("recorded", chime.path("sound").path("source").asText());
        assertTrue(chime.path("sound").path("url").asText().startsWith("/console/audio/audio/chime.wav?v="));
        JsonNode welcome = c.path("heard").get(1);
        assertEquals("Thank you for calling Acme.", welcome.path("words").asText());
        assertEquals("tts", welcome.path("sound").path("source").asText());
        assertTrue(welcome.path("sound").path("url").isNull());
        assertEquals(5000, welcome.path("atMillis").asLong(), "after the five seconds the simulator gives a recording");

        Answer english = act(id, "keys", "{\"keys\": \"1\"}");
        assertEquals(200, english.status());
        assertEquals("main_menu", english.body().path("node").path("id").asText());
        assertEquals("en-US", english.body().path("language").asText());

        Answer sales = act(id, "keys", "{\"keys\": \"1\"}");
        JsonNode end = sales.body();
        assertTrue(end.path("ended").asBoolean());
        assertFalse(end.path("listening").asBoolean());
        assertEquals("queued:sales", end.path("outcome").path("label").asText());
        assertEquals("queued", end.path("outcome").path("kind").asText());
        assertEquals("sales", end.path("outcome").path("target").asText());
        assertEquals("sales", end.path("variables").path("department").asText());
        assertTrue(list(end.path("timeline"), null).stream().anyMatch(l -> l.contains("call ended: queued:sales")));

        // what GET shows is the same call
        Answer again = view(id);
        assertEquals(200, again.status());
        assertEquals(end, again.body());

        // nothing more can be pressed
        Answer late = act(id, "keys", "{\"keys\": \"2\"}");
        assertEquals(409, late.status());
        assertTrue(late.error().contains("the call has ended (queued:sales)"), late.error());
    }

    @Test
    void silenceLetsTheNoInputTimerRunOutUntilTheFallback() throws Exception {
        String id = start("{\"flow\": \"contact-centre\", \"at\": \"" + OPEN + "\"}").body().path("id").asText();
        act(id, "keys", "{\"keys\": \"1\"}");
        JsonNode once = act(id, "wait", null).body();
        assertEquals("main_menu", once.path("node").path("id").asText());
        List<String> heard = list(once.path("heard"), "words");
        assertEquals(List.of("Sorry, I didn't hear anything.", "Press 1 for sales, 2 for support, or 3 for billing."),
                heard.subList(heard.size() - 2, heard.size()));
        act(id, "wait", "");
        JsonNode third = act(id, "wait", "{}").body();
        // the third no-input spends the budget: the menu's fallback, the operator
        assertEquals("transferred:1000", third.path("outcome").path("label").asText());
        assertEquals("operator", third.path("trace").get(third.path("trace").size() - 1).path("node").asText());
        assertEquals("noInput", third.path("trace").get(third.path("trace").size() - 1).path("exit").asText());
    }

    @Test
    void aHolidayCallGoesToVoicemailWithoutAKeyAndTheCallerCanHangUp() throws Exception {
        JsonNode holiday = start("{\"flow\": \"contact-centre\", \"at\": \"2026-12-25T15:00:00Z\"}").body();
        assertTrue(holiday.path("ended").asBoolean());
        assertEquals("voicemail:general", holiday.path("outcome").path("label").asText());
        assertTrue(list(holiday.path("trace"), "exit").contains("holiday"));

        String id = start("{\"flow\": \"inspireworks\", \"at\": \"" + OPEN + "\"}").body().path("id").asText();
        JsonNode hung = act(id, "hangup", null).body();
        assertEquals("caller-hung-up:level1", hung.path("outcome").path("label").asText());
    }

    @Test
    void aWallClockTimeIsReadInTheFlowsZoneAndTheWorldAnswersAsAScenarioSays() throws Exception {
        // 10:00 in New York is open; a VIP found by the lookup goes to the account manager
        JsonNode vip = start("{\"flow\": \"contact-centre\", \"at\": \"2026-11-23T10:00\", \"world\": {\"lookups\":"
                + " {\"caller_lookup\": {\"status\": \"found\", \"fields\": {\"vip\": \"true\", \"name\": \"Ana\"}}}}}").body();
        assertEquals("agent:2001", vip.path("outcome").path("label").asText());
        assertTrue(list(vip.path("heard"), "words").contains(
                "Welcome back, Ana. Let me put you through to your account manager."), vip.path("heard").toString());
        assertEquals("2026-11-23T15:00:00Z", vip.path("startedAt").asText());
        // 22:00 in New York is closed
        JsonNode closed = start("{\"flow\": \"contact-centre\", \"at\": \"2026-11-23T22:00\"}").body();
        assertTrue(list(closed.path("trace"), "node").contains("closed_message"));
    }

    @Test
    void cardDigitsAreShownAsStars() throws Exception {
        JsonNode c = start("{\"flow\": \"card-payment\", \"at\": \"" + OPEN + "\"}").body();
        assertEquals("card_number", c.path("node").path("id").asText());
        String id = c.path("id").asText();
        JsonNode typing = act(id, "keys", "{\"keys\": \"4111\"}").body();
        assertEquals("****", typing.path("entry").asText());
        assertTrue(typing.path("timeline").toString().contains("caller presses *"));
        assertFalse(typing.toString().contains("4111"), typing.toString());
        JsonNode entered = act(id, "keys", "{\"keys\": \"111111111111#\"}").body();
        assertEquals("card_expiry", entered.path("node").path("id").asText());
        assertEquals("****************", entered.path("variables").path("card_number").asText());
        assertFalse(entered.toString().contains("4111111111111111"));
    }

    @Test
    void aCallCanStartAtAnyNodeInAnyOfTheFlowsLanguages() throws Exception {
        JsonNode c = start("{\"flow\": \"contact-centre\", \"start\": \"support_menu\", \"language\": \"es-US\"}").body();
        assertEquals("support_menu", c.path("node").path("id").asText());
        assertEquals("es-US", c.path("language").asText());
        assertTrue(c.path("heard").get(0).path("words").asText().startsWith("Para soporte técnico"));
    }

    // ---------------------------------------------------------------- calls kept

    @Test
    void aCallLeftAloneIsDroppedAndThenAnswers404() throws Exception {
        String id = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, view(id).status(), "looked at in time");
        clock.advance(Duration.ofMinutes(29));
        assertEquals(200, act(id, "keys", "{\"keys\": \"1\"}").status(), "each look keeps it");
        clock.advance(Duration.ofMinutes(31));
        Answer gone = view(id);
        assertEquals(404, gone.status());
        assertTrue(gone.error().startsWith("no call " + id), gone.error());
        assertEquals(404, act(id, "keys", "{\"keys\": \"1\"}").status());
    }

    @Test
    void beyondTheBoundANewCallTakesThePlaceOfTheOneLeftAloneLongest() throws Exception {
        String a = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        clock.advance(Duration.ofSeconds(1));
        String b = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        clock.advance(Duration.ofSeconds(1));
        String c = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, view(a).status()); // a is now the most recently used, b the least
        String d = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        assertEquals(404, view(b).status());
        for (String kept : List.of(a, c, d)) {
            assertEquals(200, view(kept).status(), kept);
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badRequestsAreRefusedWithWhatIsWrong() throws Exception {
        assertBad(start("{\"flow\": \"nope\"}"), "no flow nope is loaded");
        assertBad(start("{}"), "\"flow\" is required");
        assertBad(start("{\"flow\": 7}"), "\"flow\" is required");
        assertBad(start("{\"flow\": \"contact-centre\""), "the body is not JSON");
        assertBad(start("[\"contact-centre\"]"), "the body must be a JSON object");
        assertBad(start(""), "needs a JSON object body");
        assertBad(start("{\"flow\": \"contact-centre\", \"language\": \"fr-FR\"}"),
                "flow contact-centre speaks en-US, es-US, not fr-FR");
        assertBad(start("{\"flow\": \"contact-centre\", \"at\": \"tomorrow\"}"), "at must be an instant");
        assertBad(start("{\"flow\": \"contact-centre\", \"start\": \"lobby\"}"), "flow contact-centre has no node lobby");
        assertBad(start("{\"flow\": \"contact-centre\", \"caller\": \"<script>\"}"), "caller and called are numbers");
        assertBad(start("{\"flow\": \"contact-centre\", \"world\": {\"transfers\": {\"1000\": \"exploded\"}}}"),
                "world: transfer result exploded");
        assertBad(start("flow=contact-centre"), "the body is not JSON");

        String id = start("{\"flow\": \"inspireworks\"}").body().path("id").asText();
        assertBad(act(id, "keys", "{\"keys\": \"12a\"}"), "keys must be 1 to 32 of 0-9, * and #");
        assertBad(act(id, "keys", "{\"keys\": \"\"}"), "\"keys\" is required");
        assertBad(act(id, "keys", "{}"), "\"keys\" is required");
        assertBad(act(id, "keys", "{\"keys\": \"" + "1".repeat(33) + "\"}"), "keys must be 1 to 32");
        Answer unknown = act(id, "dance", null);
        assertEquals(404, unknown.status());
        assertTrue(unknown.error().contains("keys, wait or hangup"), unknown.error());
        assertEquals(404, view("../../etc/passwd").status());
        // the call is still fine after all that
        assertEquals("level1", view(id).body().path("node").path("id").asText());
    }

    private static void assertBad(Answer a, String says) {
        assertEquals(400, a.status(), a.body().toString());
        assertEquals(400, a.body().path("status").asInt());
        assertTrue(a.error().contains(says), "expected \"" + says + "\" in: " + a.error());
    }
}
