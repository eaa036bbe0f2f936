package io.ivrflow.engine;

import io.ivrflow.engine.CallState.AfterPlay;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.PromptVariant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.ivrflow.engine.CallState.Phase.COLLECTING;
import static io.ivrflow.engine.CallState.Phase.CONNECTING;
import static io.ivrflow.engine.CallState.Phase.ENDED;
import static io.ivrflow.engine.CallState.Phase.LOOKING_UP;
import static io.ivrflow.engine.CallState.Phase.PLAYING;
import static io.ivrflow.engine.CallState.Phase.RECORDING;
import static io.ivrflow.engine.TestCall.T0;
import static io.ivrflow.engine.TestCall.bilingual;
import static io.ivrflow.engine.TestCall.call;
import static io.ivrflow.engine.TestCall.catalog;
import static io.ivrflow.engine.TestCall.flow;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every node kind, the engine's safety nets and prompt rendering. */
class EngineNodeKindsTest {

    static final String ERROR_EN = "We are sorry, something went wrong. Please call again later. Goodbye.";
    static final String TRANSFER_FAILED_EN =
            "We are sorry, we could not connect your call. Please try again later. Goodbye.";
    static final String GOODBYE_EN = "Thank you for calling. Goodbye.";

    /** Every event an adapter can send, for "ignored" checks. */
    static List<Event> everyEvent(String requestId) {
        return List.of(new Event.PlaybackFinished(), new Event.Digits("1", false), new Event.Digits("1", true),
                new Event.NoInput(), new Event.TimerFired(),
                new Event.LookupResult(requestId, Event.LookupStatus.FOUND, Map.of()),
                new Event.RecordingChanged(true, null), new Event.TransferFailed(Event.FailureReason.BUSY, "busy"),
                new Event.TransferCompleted(), new Event.HangUp());
    }

    // ================================================================== caller input nodes

    @Test
    void menu() {
        TestCall c = TestCall.start(flow("m", "menu", """
                "menu": {"type": "menu", "prompt": "Sales 1, support 2.", "options": {"1": "sales", "2": "support"},
                  "fallback": "support"},
                "sales": {"type": "queue", "queue": "sales"},
                "support": {"type": "queue", "queue": "support"}
                """));
        assertEquals(List.of("Sales 1, support 2."), c.heard());
        assertEquals("menu", c.actions(Action.CollectDigits.class).get(0).nodeId());
        c.at(2000).played();
        c.at(2500).keys("2");
        assertEquals(List.of("menu -key:2-> support"), c.moves());
        assertEquals(List.of(new Action.Enqueue("support", null)), c.actions());
    }

    @Test
    void collect() {
        TestCall c = TestCall.start(flow("c", "ask", """
                "ask": {"type": "collect", "prompt": "Your order number.", "variable": "order",
                  "input": {"maxDigits": 8}, "next": "confirm", "fallback": "end"},
                "confirm": {"type": "say", "prompt": "Order ${order}.", "next": "end"},
                "end": {"type": "hangup"}
                """));
        c.at(2000).played();
        c.at(2500).keys("778#");
        assertEquals(new Action.SetVariable("order", "778", false), c.actions().get(0));
        assertEquals(List.of("ask -collected-> confirm"), c.moves());
        assertEquals(List.of("Order 778."), c.heard());
    }

    @Test
    void language() {
        TestCall c = TestCall.start(bilingual("l", "lang", """
                "lang": {"type": "language", "prompt": {"en-US": "English 1, español 2.", "es-US": "English 1, español 2."},
                  "options": {"1": "en-US", "2": "es-US"}, "next": "menu"},
                "menu": {"type": "menu", "prompt": {"en-US": "Press 1.", "es-US": "Oprima 1."},
                  "options": {"1": "end"}, "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        c.at(2000).played();
        c.at(2500).keys("2");
        assertEquals(List.of("lang -key:2-> menu"), c.moves());
        assertEquals("es-US", c.state.language());
        assertEquals(List.of("Oprima 1."), c.heard());
        assertEquals("es-US", c.says().get(0).prompt().language());
    }

    // ================================================================== saying things

    @Test
    void say() {
        TestCall c = TestCall.start(flow("s", "hi", """
                "hi": {"type": "say", "prompt": "Hello.", "next": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals(1, c.actions().size());
        Action.Say say = c.says().get(0);
        assertFalse(say.bargeIn(), "a say node cannot be interrupted");
        assertEquals(new RenderedPrompt("s/hi", "en-US", "Polly.Joanna", "Hello.", null, null,
                PromptVariant.ofText("Hello.")), say.prompt());
        assertEquals(PLAYING, c.phase());
        assertEquals(AfterPlay.ACT, c.state.afterPlay());
        assertNull(c.state.wakeAt());
        c.at(1000).played();
        assertEquals(List.of("hi -next-> end"), c.moves());
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
    }

    @Test
    void play() {
        TestCall c = TestCall.start(flow("p", "chime", """
                "chime": {"type": "play", "prompt": {"en-US": {"audio": "audio/chime.wav"}}, "next": "end"},
                "end": {"type": "hangup"}
                """));
        RenderedPrompt p = c.says().get(0).prompt();
        assertEquals("audio/chime.wav", p.audio());
        assertNull(p.text());
        assertEquals("[audio audio/chime.wav]", p.heard());
        c.at(3000).played();
        assertEquals(List.of("chime -next-> end"), c.moves());
    }

    // ================================================================== schedule

    static final String SCHEDULE = flow("sch", "hours", """
            "hours": {"type": "schedule",
              "hours": {
                "weekly": [{"days": ["mon-fri"], "from": "08:00", "to": "20:00"}],
                "holidays": [{"name": "Thanksgiving", "date": "2026-11-26"}, {"name": "Christmas", "yearly": "12-25"}],
                "exceptions": [{"date": "2026-12-24", "open": [{"from": "08:00", "to": "12:00"}]}]},
              "open": "open", "closed": "closed", "holiday": "holiday"},
            "open": {"type": "hangup", "prompt": "Open."},
            "closed": {"type": "hangup", "prompt": "Closed."},
            "holiday": {"type": "hangup", "prompt": "Holiday."}
            """);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-23T15:00:00Z, open",     // Monday 10:00 New York
            "2026-11-23T13:00:00Z, open",     // Monday 08:00, first minute
            "2026-11-23T12:59:00Z, closed",   // Monday 07:59
            "2026-11-24T01:00:00Z, closed",   // Monday 20:00, end is exclusive
            "2026-11-28T15:00:00Z, closed",   // Saturday
            "2026-11-26T15:00:00Z, holiday",  // Thanksgiving, a Thursday
            "2026-12-25T15:00:00Z, holiday",  // yearly holiday
            "2026-12-24T15:00:00Z, open",     // exception: open 08-12
            "2026-12-24T18:00:00Z, closed",   // exception: 13:00
    })
    void schedule(String instant, String exit) {
        TestCall c = TestCall.start(catalog(SCHEDULE), "sch", call(), Instant.parse(instant));
        assertEquals(List.of("null -start-> hours", "hours -" + exit + "-> " + exit), c.moves());
        assertEquals(exit, c.node());
    }

    @Test
    void scheduleHolidayWithoutItsOwnExitTakesClosed() {
        FlowCatalog cat = catalog(flow("sch2", "hours", """
                "hours": {"type": "schedule",
                  "hours": {"weekly": [{"days": ["mon-sun"], "from": "00:00", "to": "24:00"}],
                            "holidays": [{"date": "2026-11-26"}]},
                  "open": "open", "closed": "closed"},
                "open": {"type": "hangup"},
                "closed": {"type": "hangup"}
                """));
        TestCall c = TestCall.start(cat, "sch2", call(), Instant.parse("2026-11-26T15:00:00Z"));
        assertEquals(List.of("null -start-> hours", "hours -holiday-> closed"), c.moves());
        TestCall d = TestCall.start(cat, "sch2", call(), Instant.parse("2026-11-27T15:00:00Z"));
        assertEquals("open", d.node());
    }

    @Test
    void scheduleUsesItsOwnTimeZone() {
        FlowCatalog cat = catalog(flow("paris", "hours", """
                "hours": {"type": "schedule",
                  "hours": {"timezone": "Europe/Paris", "weekly": [{"days": ["mon-fri"], "from": "09:00", "to": "16:00"}]},
                  "open": "open", "closed": "closed"},
                "open": {"type": "hangup"},
                "closed": {"type": "hangup"}
                """));
        // 14:59Z and 15:00Z are 15:59 and 16:00 in Paris (UTC+1 in November); both are open in New York
        assertEquals("open", TestCall.start(cat, "paris", call(), Instant.parse("2026-11-23T14:59:00Z")).node());
        assertEquals("closed", TestCall.start(cat, "paris", call(), T0).node());
    }

    // ================================================================== queue, agent, transfer, voicemail

    static final String QUEUE = flow("q", "q", """
            "q": {"type": "queue", "prompt": "Please hold.", "queue": "sales", "timeout": 600,
              "noAgents": "busy", "onFailure": "failed"},
            "busy": {"type": "hangup", "prompt": "All busy."},
            "failed": {"type": "hangup", "prompt": "Queue failed."}
            """);

    @Test
    void queueEnqueuesAndEndsWhenTaken() {
        TestCall c = TestCall.start(QUEUE);
        assertEquals(List.of("Please hold."), c.heard());
        assertFalse(c.says().get(0).bargeIn());
        c.at(2000).played();
        assertEquals(List.of(new Action.Enqueue("sales", ofSeconds(600))), c.actions());
        assertEquals(CONNECTING, c.phase());
        assertEquals("queued:sales", c.outcome());
        c.at(60_000).send(new Event.TransferCompleted());
        assertEquals(List.of(), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("queued:sales", c.outcome());
    }

    @Test
    void queueWithNoAgentsTakesNoAgents() {
        TestCall c = TestCall.start(QUEUE);
        c.at(2000).played();
        c.at(3000).send(new Event.TransferFailed(Event.FailureReason.NO_AGENTS, "nobody logged in"));
        assertEquals(List.of("q -noAgents-> busy"), c.moves());
        assertEquals(List.of("All busy."), c.heard());
        assertNull(c.outcome(), "not queued after all");
    }

    @ParameterizedTest
    @EnumSource(value = Event.FailureReason.class, names = {"BUSY", "NO_ANSWER", "FAILED"})
    void queueOtherFailureTakesOnFailure(Event.FailureReason reason) {
        TestCall c = TestCall.start(QUEUE);
        c.at(2000).played();
        c.at(3000).send(new Event.TransferFailed(reason, "x"));
        assertEquals(List.of("q -failure-> failed"), c.moves());
        assertEquals(List.of("Queue failed."), c.heard());
    }

    @Test
    void queueNoAgentsWithoutItsExitTakesOnFailure() {
        TestCall c = TestCall.start(flow("q2", "q", """
                "q": {"type": "queue", "queue": "support", "onFailure": "failed"},
                "failed": {"type": "hangup"}
                """));
        assertEquals(List.of(new Action.Enqueue("support", null)), c.actions());
        c.at(1000).send(new Event.TransferFailed(Event.FailureReason.NO_AGENTS, null));
        assertEquals(List.of("q -failure-> failed"), c.moves());
    }

    @Test
    void agent() {
        String json = flow("a", "a", """
                "a": {"type": "agent", "agent": "2001", "timeout": 20, "onFailure": "failed"},
                "failed": {"type": "hangup", "prompt": "Agent away."}
                """);
        TestCall c = TestCall.start(json);
        assertEquals(List.of(new Action.Transfer(Action.Destination.AGENT, "2001", null, null, ofSeconds(20))),
                c.actions());
        assertEquals(CONNECTING, c.phase());
        c.at(5000).send(new Event.TransferCompleted());
        assertEquals(ENDED, c.phase());
        assertEquals("agent:2001", c.outcome());

        TestCall d = TestCall.start(json);
        d.at(20_000).send(new Event.TransferFailed(Event.FailureReason.NO_ANSWER, null));
        assertEquals(List.of("a -failure-> failed"), d.moves());
        assertEquals(List.of("Agent away."), d.heard());
    }

    @Test
    void transferToAnExtensionWithContextAndCallerId() {
        TestCall c = TestCall.start(flow("t", "op", """
                "op": {"type": "transfer", "prompt": "Transferring.", "extension": "1000", "context": "default",
                  "callerId": "${caller}", "timeout": 30}
                """));
        c.at(1000).played();
        assertEquals(List.of(new Action.Transfer(Action.Destination.EXTENSION, "1000", "default", "+15550001",
                ofSeconds(30))), c.actions());
        assertEquals(CONNECTING, c.phase());
        c.at(2000).send(new Event.TransferCompleted());
        assertEquals(ENDED, c.phase());
        assertEquals("transferred:1000", c.outcome());
    }

    @Test
    void transferToANumberAndToSip() {
        TestCall number = TestCall.start(flow("tn", "out", """
                "out": {"type": "transfer", "number": "+15551234567", "callerId": "Acme <${called}>"}
                """));
        assertEquals(List.of(new Action.Transfer(Action.Destination.NUMBER, "+15551234567", null,
                "Acme <+15550002>", null)), number.actions());
        assertEquals("transferred:+15551234567", number.outcome());

        TestCall sip = TestCall.start(flow("ts", "out", """
                "out": {"type": "transfer", "sip": "sip:alice@example.com", "timeout": 15}
                """));
        assertEquals(List.of(new Action.Transfer(Action.Destination.SIP, "sip:alice@example.com", null, null,
                ofSeconds(15))), sip.actions());
    }

    @Test
    void transferFailureWithoutOnFailureApologisesThenHangsUp() {
        TestCall c = TestCall.start(flow("tf", "op", """
                "op": {"type": "transfer", "extension": "1000"}
                """));
        c.at(30_000).send(new Event.TransferFailed(Event.FailureReason.BUSY, "486"));
        assertEquals(1, c.actions().size());
        Action.Say apology = c.says().get(0);
        assertEquals(TRANSFER_FAILED_EN, apology.prompt().heard());
        assertFalse(apology.bargeIn());
        assertEquals(PLAYING, c.phase());
        assertEquals("hung-up:transfer-failed:op", c.outcome());
        c.at(35_000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("hung-up:transfer-failed:op", c.outcome());
    }

    @Test
    void transferFailureTakesOnFailure() {
        TestCall c = TestCall.start(flow("tf2", "op", """
                "op": {"type": "transfer", "extension": "1000", "onFailure": "vm"},
                "vm": {"type": "voicemail", "mailbox": "general"}
                """));
        c.at(30_000).send(new Event.TransferFailed(Event.FailureReason.NO_ANSWER, null));
        assertEquals(List.of("op -failure-> vm"), c.moves());
        assertEquals(List.of(new Action.Voicemail("general", null)), c.actions());
        assertEquals("voicemail:general", c.outcome());
    }

    @Test
    void transferFailureApologyInTheCallersLanguage() {
        String nodes = """
                "op": {"type": "transfer", "extension": "1000"}
                """;
        TestCall builtIn = TestCall.start(catalog(bilingual("tfb", "op", nodes)), "tfb", call("es-US", Map.of()), T0);
        builtIn.at(1000).send(new Event.TransferFailed(Event.FailureReason.FAILED, null));
        assertEquals(List.of("Lo sentimos, no pudimos conectar su llamada. Por favor, inténtelo más tarde. Adiós."),
                builtIn.heard());
        assertEquals("es-US", builtIn.says().get(0).prompt().language());

        TestCall own = TestCall.start(catalog("""
                {"ivrflow": 1, "id": "tfo", "start": "op", "languages": ["en-US", "es-US"],
                 "messages": {"transferFailed": {"en-US": "Nobody could take your call.", "es-US": "Nadie pudo atenderle."}},
                 "nodes": {%s}}
                """.formatted(nodes)), "tfo", call("es-US", Map.of()), T0);
        own.at(1000).send(new Event.TransferFailed(Event.FailureReason.FAILED, null));
        assertEquals(List.of("Nadie pudo atenderle."), own.heard());
    }

    @Test
    void voicemail() {
        String json = flow("vm", "vm", """
                "vm": {"type": "voicemail", "prompt": "Leave a message.", "mailbox": "general", "maxLength": 120,
                  "onFailure": "bye"},
                "bye": {"type": "hangup", "prompt": "Bye."}
                """);
        TestCall c = TestCall.start(json);
        assertEquals(List.of("Leave a message."), c.heard());
        c.at(2000).played();
        assertEquals(List.of(new Action.Voicemail("general", ofSeconds(120))), c.actions());
        assertEquals(CONNECTING, c.phase());
        c.at(90_000).send(new Event.TransferCompleted());
        assertEquals(ENDED, c.phase());
        assertEquals("voicemail:general", c.outcome());

        TestCall d = TestCall.start(json);
        d.at(2000).played();
        d.at(3000).send(new Event.TransferFailed(Event.FailureReason.FAILED, "no such mailbox"));
        assertEquals(List.of("vm -failure-> bye"), d.moves());
    }

    // ================================================================== record

    static String recordFlow(String operation) {
        return flow("rec", "r", """
                "r": {"type": "record", "action": "%s", "next": "ok", "onFailure": "bad"},
                "ok": {"type": "hangup", "prompt": "OK."},
                "bad": {"type": "hangup", "prompt": "Bad."}
                """.formatted(operation));
    }

    @ParameterizedTest
    @EnumSource(Action.RecordOperation.class)
    void recordSendsTheCommandAndTakesNextWhenConfirmed(Action.RecordOperation op) {
        TestCall c = TestCall.start(recordFlow(op.name().toLowerCase(Locale.ROOT)));
        assertEquals(List.of(new Action.RecordControl(op)), c.actions());
        assertEquals(RECORDING, c.phase());
        assertEquals(T0.plus(Engine.RECORDING_CONFIRMATION_TIMEOUT), c.state.wakeAt());
        c.at(300).send(new Event.RecordingChanged(true, null));
        assertEquals(List.of("r -next-> ok"), c.moves());
        assertEquals(List.of("OK."), c.heard());
    }

    @ParameterizedTest
    @EnumSource(Action.RecordOperation.class)
    void recordRefusedTakesOnFailure(Action.RecordOperation op) {
        TestCall c = TestCall.start(recordFlow(op.name().toLowerCase(Locale.ROOT)));
        c.at(300).send(new Event.RecordingChanged(false, "403 forbidden"));
        assertEquals(List.of("r -failure-> bad"), c.moves());
    }

    @Test
    void recordWithoutAnswerFailsAfterTheConfirmationTimeout() {
        TestCall c = TestCall.start(recordFlow("start"));
        CallState waiting = c.state;
        c.now = T0.plus(Engine.RECORDING_CONFIRMATION_TIMEOUT).minusMillis(1);
        c.timer();
        assertEquals(List.of(), c.actions());
        assertEquals(waiting, c.state);
        c.now = T0.plus(Engine.RECORDING_CONFIRMATION_TIMEOUT);
        c.timer();
        assertEquals(List.of("r -failure-> bad"), c.moves());
    }

    @Test
    void recordWithoutOnFailureGoesOnToNext() {
        TestCall c = TestCall.start(flow("rec2", "r", """
                "r": {"type": "record", "prompt": "This call may be recorded.", "action": "start", "next": "ok"},
                "ok": {"type": "hangup"}
                """));
        assertEquals(List.of("This call may be recorded."), c.heard());
        assertTrue(c.actions(Action.RecordControl.class).isEmpty(), "the command follows the prompt");
        c.at(2000).played();
        assertEquals(List.of(new Action.RecordControl(Action.RecordOperation.START)), c.actions());
        assertEquals(c.t(2000).plus(Engine.RECORDING_CONFIRMATION_TIMEOUT), c.state.wakeAt());
        c.at(2100).send(new Event.RecordingChanged(false, "not recording"));
        assertEquals(List.of("r -failure-> ok"), c.moves());
    }

    // ================================================================== lookup

    static final String DIRECTORY = flow("dir", "who", """
            "who": {"type": "lookup", "source": "directory", "profile": "crm", "term": "${caller}",
              "assign": {"customer_name": "name", "vip": "vip"}, "timeout": 2,
              "next": "found", "notFound": "nf", "onFailure": "fail"},
            "found": {"type": "say", "prompt": "Hello ${customer_name}.", "next": "end"},
            "nf": {"type": "hangup", "prompt": "Not found."},
            "fail": {"type": "hangup", "prompt": "Failed."},
            "end": {"type": "hangup"}
            """);

    @Test
    void lookupDirectoryAsksWithFilledParams() {
        TestCall c = TestCall.start(DIRECTORY);
        Action.Lookup lookup = c.actions(Action.Lookup.class).get(0);
        assertEquals(1, c.actions().size());
        assertEquals("directory", lookup.source());
        assertEquals(Map.of("profile", "crm", "term", "+15550001"), lookup.params());
        assertEquals(ofSeconds(2), lookup.timeout());
        assertEquals(lookup.requestId(), c.state.pendingRequest());
        assertEquals(LOOKING_UP, c.phase());
        assertEquals(T0.plusSeconds(2), c.state.wakeAt());
    }

    @Test
    void lookupFoundAssignsVariablesAndTakesNext() {
        TestCall c = TestCall.start(DIRECTORY);
        String id = c.state.pendingRequest();
        c.at(500).send(new Event.LookupResult(id, Event.LookupStatus.FOUND,
                Map.of("name", "Ann", "vip", "true", "other", "ignored")));
        assertEquals(Set.of(new Action.SetVariable("customer_name", "Ann", false),
                new Action.SetVariable("vip", "true", false)), new HashSet<>(c.actions(Action.SetVariable.class)));
        assertEquals(List.of("who -found-> found"), c.moves());
        assertEquals(List.of("Hello Ann."), c.heard());
        assertEquals("Ann", c.var("customer_name"));
        assertNull(c.var("other"));
        assertNull(c.state.pendingRequest());
        assertNull(c.state.wakeAt());
    }

    @Test
    void lookupNotFoundAndFailed() {
        TestCall nf = TestCall.start(DIRECTORY);
        nf.at(500).send(new Event.LookupResult(nf.state.pendingRequest(), Event.LookupStatus.NOT_FOUND, Map.of()));
        assertEquals(List.of("who -notFound-> nf"), nf.moves());

        TestCall failed = TestCall.start(DIRECTORY);
        failed.at(500).send(new Event.LookupResult(failed.state.pendingRequest(), Event.LookupStatus.FAILED,
                Map.of("name", "Ann")));
        assertEquals(List.of("who -failure-> fail"), failed.moves());
        assertNull(failed.var("customer_name"), "a failed lookup assigns nothing");
    }

    @Test
    void lookupTimesOutIntoTheFailureEdge() {
        TestCall c = TestCall.start(DIRECTORY);
        String id = c.state.pendingRequest();
        CallState waiting = c.state;
        c.at(1999).timer();
        assertEquals(List.of(), c.actions());
        assertEquals(waiting, c.state);
        c.at(2000).timer();
        assertEquals(List.of("who -failure-> fail"), c.moves());
        assertEquals(List.of("Failed."), c.heard());

        CallState failed = c.state;
        c.at(2500).send(new Event.LookupResult(id, Event.LookupStatus.FOUND, Map.of("name", "Late")));
        assertEquals(List.of(), c.actions(), "a late answer is ignored");
        assertEquals(List.of(), c.last.trace());
        assertEquals(failed, c.state);
    }

    @Test
    void aLateAnswerDoesNotAnswerTheNextLookup() {
        TestCall c = TestCall.start(flow("two", "first", """
                "first": {"type": "lookup", "source": "directory", "assign": {"customer_name": "name"}, "timeout": 1,
                  "next": "end", "onFailure": "second"},
                "second": {"type": "lookup", "source": "http", "url": "https://crm.example.com/who?n=${caller}",
                  "assign": {"customer_name": "/name"}, "timeout": 3, "next": "end"},
                "end": {"type": "hangup"}
                """));
        String first = c.state.pendingRequest();
        c.at(1000).timer();
        assertEquals(List.of("first -failure-> second"), c.moves());
        String second = c.state.pendingRequest();
        assertFalse(first.equals(second), "each lookup has its own request id");
        CallState waiting = c.state;
        c.at(1200).send(new Event.LookupResult(first, Event.LookupStatus.FOUND, Map.of("name", "Late")));
        assertEquals(List.of(), c.actions());
        assertEquals(waiting, c.state);
        c.at(1300).send(new Event.LookupResult(second, Event.LookupStatus.FOUND, Map.of("/name", "Bob")));
        assertEquals("Bob", c.var("customer_name"));
        assertEquals(List.of("second -found-> end"), c.moves());
    }

    @Test
    void lookupResultWithAnotherRequestIdIsIgnored() {
        TestCall c = TestCall.start(DIRECTORY);
        CallState waiting = c.state;
        c.at(500).send(new Event.LookupResult("someone-else#1", Event.LookupStatus.FOUND, Map.of("name", "Eve")));
        assertEquals(List.of(), c.actions());
        assertEquals(waiting, c.state);
        assertEquals(LOOKING_UP, c.phase());
    }

    @Test
    void lookupHttp() {
        TestCall c = TestCall.start(flow("http", "ask", """
                "ask": {"type": "lookup", "source": "http", "method": "POST",
                  "url": "https://pay.example.com/v1/check?caller=${caller}&lang=${language}",
                  "assign": {"status": "/status"}, "timeout": 4, "next": "end"},
                "end": {"type": "hangup"}
                """));
        Action.Lookup lookup = c.actions(Action.Lookup.class).get(0);
        assertEquals("http", lookup.source());
        assertEquals(Map.of("url", "https://pay.example.com/v1/check?caller=+15550001&lang=en-US", "method", "POST"),
                lookup.params());
        assertEquals(ofSeconds(4), lookup.timeout());
        assertEquals(T0.plusSeconds(4), c.state.wakeAt());
    }

    @Test
    void lookupDefaults() {
        String json = flow("ld", "ask", """
                "ask": {"type": "lookup", "source": "directory", "next": "end"},
                "end": {"type": "hangup"}
                """);
        TestCall c = TestCall.start(json);
        Action.Lookup lookup = c.actions(Action.Lookup.class).get(0);
        assertEquals(Map.of("profile", "default", "term", "+15550001"), lookup.params());
        assertEquals(ofSeconds(2), lookup.timeout());
        c.at(100).send(new Event.LookupResult(lookup.requestId(), Event.LookupStatus.NOT_FOUND, Map.of()));
        assertEquals(List.of("ask -notFound-> end"), c.moves(), "notFound defaults to next");
        TestCall d = TestCall.start(json);
        d.at(100).send(new Event.LookupResult(d.state.pendingRequest(), Event.LookupStatus.FAILED, Map.of()));
        assertEquals(List.of("ask -failure-> end"), d.moves(), "onFailure defaults to notFound");
    }

    // ================================================================== condition, set, goto

    static String conditionFlow(String rules) {
        return flow("cond", "check", """
                "check": {"type": "condition", "rules": [%s], "otherwise": "no"},
                "yes": {"type": "hangup"}, "yes2": {"type": "hangup"}, "no": {"type": "hangup"}
                """.formatted(rules));
    }

    static String route(String rules, Map<String, String> variables) {
        TestCall c = TestCall.start(catalog(conditionFlow(rules)), "cond", call(null, variables), T0);
        return c.moves().get(1);
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                Arguments.of("{\"var\": \"x\", \"eq\": \"abc\", \"next\": \"yes\"}", Map.of("x", "abc"), true),
                Arguments.of("{\"var\": \"x\", \"eq\": \"abc\", \"next\": \"yes\"}", Map.of("x", "abd"), false),
                Arguments.of("{\"var\": \"x\", \"eq\": 5, \"next\": \"yes\"}", Map.of("x", "5.0"), true),
                Arguments.of("{\"var\": \"x\", \"eq\": true, \"next\": \"yes\"}", Map.of("x", "true"), true),
                Arguments.of("{\"var\": \"x\", \"eq\": \"${y}\", \"next\": \"yes\"}", Map.of("x", "7", "y", "7"), true),
                Arguments.of("{\"var\": \"x\", \"ne\": \"a\", \"next\": \"yes\"}", Map.of("x", "b"), true),
                Arguments.of("{\"var\": \"x\", \"ne\": \"a\", \"next\": \"yes\"}", Map.of("x", "a"), false),
                Arguments.of("{\"var\": \"x\", \"lt\": 10, \"next\": \"yes\"}", Map.of("x", "9"), true),
                Arguments.of("{\"var\": \"x\", \"lt\": 10, \"next\": \"yes\"}", Map.of("x", "10"), false),
                Arguments.of("{\"var\": \"x\", \"lt\": 10, \"next\": \"yes\"}", Map.of("x", "9.5"), true),
                Arguments.of("{\"var\": \"x\", \"le\": 10, \"next\": \"yes\"}", Map.of("x", "10"), true),
                Arguments.of("{\"var\": \"x\", \"le\": 10, \"next\": \"yes\"}", Map.of("x", "11"), false),
                Arguments.of("{\"var\": \"x\", \"gt\": 10, \"next\": \"yes\"}", Map.of("x", "11"), true),
                Arguments.of("{\"var\": \"x\", \"gt\": 10, \"next\": \"yes\"}", Map.of("x", "10"), false),
                Arguments.of("{\"var\": \"x\", \"gt\": 9, \"next\": \"yes\"}", Map.of("x", "10"), true), // not "10" < "9"
                Arguments.of("{\"var\": \"x\", \"ge\": 10, \"next\": \"yes\"}", Map.of("x", "10"), true),
                Arguments.of("{\"var\": \"x\", \"ge\": 10, \"next\": \"yes\"}", Map.of("x", "9"), false),
                // numeric comparisons on values that are not numbers are false
                Arguments.of("{\"var\": \"x\", \"lt\": 10, \"next\": \"yes\"}", Map.of("x", "abc"), false),
                Arguments.of("{\"var\": \"x\", \"ge\": 0, \"next\": \"yes\"}", Map.of("x", "abc"), false),
                Arguments.of("{\"var\": \"x\", \"le\": 10, \"next\": \"yes\"}", Map.of(), false),
                Arguments.of("{\"var\": \"x\", \"gt\": -1, \"next\": \"yes\"}", Map.of("x", ""), false),
                Arguments.of("{\"var\": \"x\", \"in\": [\"1\", \"2\", 3], \"next\": \"yes\"}", Map.of("x", "3"), true),
                Arguments.of("{\"var\": \"x\", \"in\": [\"1\", \"2\", 3], \"next\": \"yes\"}", Map.of("x", "4"), false),
                Arguments.of("{\"var\": \"x\", \"matches\": \"^[0-9]{3}$\", \"next\": \"yes\"}", Map.of("x", "123"), true),
                Arguments.of("{\"var\": \"x\", \"matches\": \"[0-9]{3}\", \"next\": \"yes\"}", Map.of("x", "1234"), false),
                Arguments.of("{\"var\": \"x\", \"set\": true, \"next\": \"yes\"}", Map.of("x", "a"), true),
                Arguments.of("{\"var\": \"x\", \"set\": true, \"next\": \"yes\"}", Map.of(), false),
                Arguments.of("{\"var\": \"x\", \"set\": true, \"next\": \"yes\"}", Map.of("x", ""), false),
                Arguments.of("{\"var\": \"x\", \"unset\": true, \"next\": \"yes\"}", Map.of(), true),
                Arguments.of("{\"var\": \"x\", \"unset\": true, \"next\": \"yes\"}", Map.of("x", "a"), false),
                Arguments.of("{\"var\": \"caller\", \"eq\": \"+15550001\", \"next\": \"yes\"}", Map.of(), true));
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("conditions")
    void condition(String rule, Map<String, String> variables, boolean holds) {
        assertEquals(holds ? "check -rule:0-> yes" : "check -otherwise-> no", route(rule, variables));
    }

    @Test
    void conditionTakesTheFirstRuleThatHolds() {
        String rules = """
                {"var": "x", "gt": 5, "next": "yes"}, {"var": "x", "gt": 1, "next": "yes2"}
                """;
        assertEquals("check -rule:0-> yes", route(rules, Map.of("x", "6")));
        assertEquals("check -rule:1-> yes2", route(rules, Map.of("x", "3")));
        assertEquals("check -otherwise-> no", route(rules, Map.of("x", "0")));
    }

    @Test
    void setFillsTemplatesAndIncrementsCounters() {
        FlowCatalog cat = catalog(flow("set", "s", """
                "s": {"type": "set", "values": {"greeting": "Hello ${caller} from ${missing}!", "n": 5, "flag": true},
                  "increment": ["count", "n", "tries", "junk"], "next": "end"},
                "end": {"type": "hangup"}
                """));
        TestCall c = TestCall.start(cat, "set", call(null, Map.of("tries", "2", "junk", "abc")), T0);
        assertEquals("Hello +15550001 from !", c.var("greeting"));
        assertEquals("true", c.var("flag"));
        assertEquals("1", c.var("count"), "a missing counter starts at 0");
        assertEquals("6", c.var("n"), "values are set before counters are incremented");
        assertEquals("3", c.var("tries"));
        assertEquals("1", c.var("junk"), "a counter that is not a number starts again at 0");
        List<Action.SetVariable> sets = c.actions(Action.SetVariable.class);
        assertEquals(7, sets.size());
        assertEquals(List.of(new Action.SetVariable("count", "1", false), new Action.SetVariable("n", "6", false),
                new Action.SetVariable("tries", "3", false), new Action.SetVariable("junk", "1", false)),
                sets.subList(3, 7), "increments in the order given");
        assertEquals(List.of("null -start-> s", "s -next-> end"), c.moves());
    }

    @Test
    void gotoJumps() {
        TestCall c = TestCall.start(flow("g", "g", """
                "g": {"type": "goto", "target": "end"},
                "end": {"type": "hangup", "reason": "rejected"}
                """));
        assertEquals(List.of("null -start-> g", "g -next-> end"), c.moves());
        assertEquals(List.of(new Action.HangUp("rejected")), c.actions());
    }

    // ================================================================== subflow, return

    static final String MAIN = flow("main", "setp", """
            "setp": {"type": "set", "values": {"parent_var": "P"}, "next": "sub"},
            "sub": {"type": "subflow", "flow": "child", "next": "after"},
            "after": {"type": "say", "prompt": "Back: ${child_var}.", "next": "end"},
            "end": {"type": "hangup"}
            """);
    static final String CHILD = flow("child", "c_set", """
            "c_set": {"type": "set", "values": {"child_var": "from child with ${parent_var}"}, "next": "c_say"},
            "c_say": {"type": "say", "prompt": "In child, ${parent_var}.", "next": "c_ret"},
            "c_ret": {"type": "return"}
            """);

    static List<String> flowNodes(List<TraceEntry> trace) {
        return trace.stream().map(t -> t.flowId() + "/" + t.nodeId()).toList();
    }

    @Test
    void subflowRunsAndReturnsToNext() {
        TestCall c = TestCall.start(catalog(MAIN, CHILD), "main");
        assertEquals(List.of("main/setp", "main/sub", "child/c_set", "child/c_say"), flowNodes(c.last.trace()));
        assertEquals(new TraceEntry(T0, "child", "c_set", "sub", "subflow"), c.last.trace().get(2));
        assertEquals(List.of("In child, P."), c.heard(), "variables are shared with the sub-flow");
        assertEquals("child", c.state.flowId());
        assertEquals(List.of(new CallState.Frame("main", "sub")), c.state.stack());
        c.at(2000).played();
        assertEquals(List.of("child/c_ret", "main/after"), flowNodes(c.last.trace()));
        assertEquals(new TraceEntry(c.t(2000), "main", "after", "sub", "return"), c.last.trace().get(1));
        assertEquals(List.of("Back: from child with P."), c.heard(), "the sub-flow's variables come back");
        assertEquals("main", c.state.flowId());
        assertEquals(List.of(), c.state.stack());
        c.at(4000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals("hung-up:end", c.outcome());
    }

    @Test
    void returnWithAnEmptyStackSaysGoodbyeAndHangsUp() {
        TestCall c = TestCall.start(catalog(CHILD), "child");
        assertEquals(List.of("In child, ."), c.heard());
        c.at(2000).played();
        assertEquals(List.of(GOODBYE_EN), c.heard());
        assertEquals("hung-up:return", c.outcome());
        assertEquals(PLAYING, c.phase());
        c.at(4000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    @Test
    void subflowToAnUnknownFlowEndsPolitely() {
        TestCall c = TestCall.start(flow("lost", "sub", """
                "sub": {"type": "subflow", "flow": "nowhere", "next": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals("hung-up:unknown-flow:nowhere", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
    }

    @Test
    void unknownTargetNodeEndsPolitely() {
        TestCall c = TestCall.start(flow("u", "g", """
                "g": {"type": "goto", "target": "nowhere"}
                """));
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals("hung-up:unknown-node:nowhere", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    // ================================================================== hangup

    @Test
    void hangupWithAPrompt() {
        TestCall c = TestCall.start(flow("h", "bye", """
                "bye": {"type": "hangup", "prompt": "Goodbye.", "reason": "busy"}
                """));
        assertEquals(List.of("Goodbye."), c.heard());
        assertFalse(c.says().get(0).bargeIn());
        assertEquals(PLAYING, c.phase());
        assertTrue(c.actions(Action.HangUp.class).isEmpty());
        c.at(1500).played();
        assertEquals(List.of(new Action.HangUp("busy")), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("hung-up:bye", c.outcome());
    }

    @Test
    void hangupWithoutAPrompt() {
        TestCall c = TestCall.start(flow("h2", "bye", """
                "bye": {"type": "hangup"}
                """));
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("hung-up:bye", c.outcome());
        assertNull(c.state.wakeAt());
    }

    // ================================================================== the caller hangs up

    static final String EVERYWHERE = flow("e", "hello", """
            "hello": {"type": "say", "prompt": "Hello.", "next": "menu"},
            "menu": {"type": "menu", "prompt": "1 lookup, 2 record, 3 queue, 4 transfer.",
              "options": {"1": "who", "2": "rec", "3": "q", "4": "op"}, "fallback": "q"},
            "who": {"type": "lookup", "source": "directory", "next": "q"},
            "rec": {"type": "record", "action": "start", "next": "q"},
            "q": {"type": "queue", "queue": "sales"},
            "op": {"type": "transfer", "extension": "1000"}
            """);

    private static TestCall atMenu() {
        TestCall c = TestCall.start(EVERYWHERE);
        c.at(1000).played();
        c.at(3000).played();
        assertEquals(COLLECTING, c.phase());
        return c;
    }

    private static void assertCallerHungUp(TestCall c, String outcome) {
        c.after(100).hangUp();
        assertEquals(List.of(), c.actions(), "the line is gone: nothing to do");
        assertEquals(ENDED, c.phase());
        assertEquals(outcome, c.outcome());
        assertNull(c.state.wakeAt());
        assertNull(c.state.pendingRequest());
    }

    @Test
    void callerHangsUpWhilePlaying() {
        TestCall c = TestCall.start(EVERYWHERE);
        assertEquals(PLAYING, c.phase());
        assertCallerHungUp(c, "caller-hung-up:hello");
    }

    @Test
    void callerHangsUpWhileCollecting() {
        assertCallerHungUp(atMenu(), "caller-hung-up:menu");
    }

    @Test
    void callerHangsUpDuringALookup() {
        TestCall c = atMenu();
        c.after(500).keys("1");
        assertEquals(LOOKING_UP, c.phase());
        assertCallerHungUp(c, "caller-hung-up:who");
    }

    @Test
    void callerHangsUpWhileRecordingIsConfirmed() {
        TestCall c = atMenu();
        c.after(500).keys("2");
        assertEquals(RECORDING, c.phase());
        assertCallerHungUp(c, "caller-hung-up:rec");
    }

    @Test
    void callerHangsUpWhileConnectingAbandonsTheCall() {
        // nobody has taken the call yet (no TransferCompleted): the caller abandoned it
        TestCall queued = atMenu();
        queued.after(500).keys("3");
        assertEquals(CONNECTING, queued.phase());
        assertEquals("queued:sales", queued.outcome());
        assertCallerHungUp(queued, "caller-hung-up:q");

        TestCall transferred = atMenu();
        transferred.after(500).keys("4");
        assertEquals("transferred:1000", transferred.outcome());
        assertCallerHungUp(transferred, "caller-hung-up:op");
    }

    @Test
    void callerHangsUpAfterTheCallWasTakenKeepsTheOutcome() {
        TestCall c = atMenu();
        c.after(500).keys("3");
        c.after(500).send(new Event.TransferCompleted());
        assertEquals(ENDED, c.phase());
        c.after(60_000).hangUp();
        assertEquals(List.of(), c.actions());
        assertEquals("queued:sales", c.outcome());
    }

    @Test
    void eventsAfterTheEndAreIgnored() {
        TestCall c = atMenu();
        c.after(500).keys("3");
        c.after(500).send(new Event.TransferCompleted());
        assertEquals(ENDED, c.phase());
        CallState ended = c.state;
        for (Event e : everyEvent("c1#1")) {
            c.after(1000).send(e);
            assertEquals(List.of(), c.actions(), e::toString);
            assertEquals(List.of(), c.last.trace(), e::toString);
            assertEquals(ended, c.state, e::toString);
        }
    }

    // ================================================================== safety nets

    @Test
    void unknownFlowAtStartSaysErrorThenHangsUp() {
        FlowCatalog cat = catalog(flow("known", "end", "\"end\": {\"type\": \"hangup\"}"));
        TestCall c = assertDoesNotThrow(() -> TestCall.start(cat, "nope"));
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals("hung-up:unknown-flow", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    @Test
    void unknownFlowAtStartHangsUpAfterTheErrorMessage() {
        FlowCatalog cat = catalog(flow("known", "end", "\"end\": {\"type\": \"hangup\"}"));
        TestCall c = TestCall.start(cat, "nope", call("en-US", Map.of()), T0);
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals(PLAYING, c.phase());
        assertEquals("hung-up:unknown-flow", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("hung-up:unknown-flow", c.outcome());
    }

    @Test
    void unknownFlowAtStartSpeaksTheError() {
        FlowCatalog cat = catalog(flow("known", "end", "\"end\": {\"type\": \"hangup\"}"));
        TestCall c = TestCall.start(cat, "nope", call("en-US", Map.of()), T0);
        assertEquals(List.of(ERROR_EN), c.heard());
        assertFalse(c.says().get(0).bargeIn());
        assertEquals("hung-up:unknown-flow", c.outcome());
        assertEquals(List.of(), c.last.trace());
    }

    @Test
    void gotoCycleIsStoppedByTheLoopGuard() {
        // the linter would report this unbounded loop; the loader does not
        FlowCatalog cat = catalog(flow("loop", "a", """
                "a": {"type": "goto", "target": "b"},
                "b": {"type": "goto", "target": "a"}
                """));
        TestCall c = assertDoesNotThrow(() -> TestCall.start(cat, "loop"));
        assertEquals(Engine.MAX_ENTRIES_PER_EVENT, c.last.trace().size());
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals("hung-up:loop", c.outcome());
        assertEquals(PLAYING, c.phase());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
        assertEquals("hung-up:loop", c.outcome());
    }

    @Test
    void aCallThatLoopsOverManyEventsIsEndedToo() {
        TestCall c = TestCall.start(flow("forever", "s", """
                "s": {"type": "say", "prompt": "Still here.", "next": "s"}
                """));
        for (int i = 1; i < Engine.MAX_ENTRIES_PER_CALL; i++) {
            c.after(1000).played();
            assertEquals(List.of("Still here."), c.heard());
        }
        assertEquals(Engine.MAX_ENTRIES_PER_CALL, c.state.entries());
        c.after(1000).played();
        assertEquals(List.of(ERROR_EN), c.heard());
        assertEquals("hung-up:loop", c.outcome());
        c.after(1000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
    }

    // ================================================================== prompt rendering

    static final String RENDER = bilingual("render", "hello", """
            "hello": {"type": "say", "prompt": {"en-US": "Hello.", "es-US": "Hola."}, "next": "only_en"},
            "only_en": {"type": "say", "prompt": {"en-US": "English only."}, "next": "end"},
            "end": {"type": "hangup"}
            """);

    @Test
    void promptInTheCallersLanguageWithItsVoice() {
        TestCall c = TestCall.start(catalog(RENDER), "render", call("es-US", Map.of()), T0);
        assertEquals("es-US", c.state.language());
        assertEquals(new RenderedPrompt("render/hello", "es-US", "Polly.Lupe", "Hola.", null, null,
                PromptVariant.ofText("Hola.")), c.says().get(0).prompt());
    }

    @Test
    void missingVariantFallsBackToTheDefaultLanguage() {
        TestCall c = TestCall.start(catalog(RENDER), "render", call("es-US", Map.of()), T0);
        c.at(1000).played();
        RenderedPrompt p = c.says().get(0).prompt();
        assertEquals("English only.", p.text());
        assertEquals("en-US", p.language());
        assertEquals("Polly.Joanna", p.voice(), "the voice of the language actually spoken");
        assertEquals("es-US", c.state.language(), "the call keeps its language");
    }

    @Test
    void callLanguageTheFlowDoesNotHaveIsTheDefault() {
        TestCall c = TestCall.start(catalog(RENDER), "render", call("fr-FR", Map.of()), T0);
        assertEquals("en-US", c.state.language());
        assertEquals("en-US", c.var("language"));
        assertEquals(List.of("Hello."), c.heard());
    }

    @Test
    void languageWithoutAVoiceHasNone() {
        TestCall c = TestCall.start("""
                {"ivrflow": 1, "id": "nv", "start": "s", "languages": ["en-US"],
                 "nodes": {"s": {"type": "say", "prompt": "Hi.", "next": "e"}, "e": {"type": "hangup"}}}
                """);
        assertNull(c.says().get(0).prompt().voice());
    }

    @Test
    void ssmlVariablesAreXmlEscapedButTextIsNot() {
        FlowCatalog cat = catalog(flow("vip", "who", """
                "who": {"type": "lookup", "source": "directory", "assign": {"customer_name": "name"}, "next": "hi"},
                "hi": {"type": "say", "prompt": {"en-US": {
                    "ssml": "<speak>Welcome back, <emphasis>${customer_name}</emphasis>.</speak>",
                    "text": "Welcome back, ${customer_name}.", "audio": "audio/${customer_name}.wav"}},
                  "next": "end"},
                "end": {"type": "hangup"}
                """));
        TestCall c = TestCall.start(cat, "vip");
        c.at(300).send(new Event.LookupResult(c.state.pendingRequest(), Event.LookupStatus.FOUND,
                Map.of("name", "Tom & Jerry <x>")));
        RenderedPrompt p = c.says().get(0).prompt();
        assertEquals("<speak>Welcome back, <emphasis>Tom &amp; Jerry &lt;x&gt;</emphasis>.</speak>", p.ssml());
        assertEquals("Welcome back, Tom & Jerry <x>.", p.text());
        assertEquals("audio/${customer_name}.wav", p.audio(), "audio references are not templates");
    }

    // ================================================================== determinism

    static final String BUSY_FLOW = flow("det", "who", """
            "who": {"type": "lookup", "source": "directory", "assign": {"customer_name": "name"}, "next": "menu"},
            "menu": {"type": "menu", "prompt": "Hi ${customer_name}. 1 to pay, 2 for sales.",
              "options": {"1": "card", "2": "sales"}, "noInput": {"prompt": "Hello?"}, "fallback": "sales"},
            "card": {"type": "collect", "prompt": "Card number.", "variable": "card", "sensitive": true,
              "input": {"minDigits": 4, "maxDigits": 8}, "next": "count", "fallback": "sales"},
            "count": {"type": "set", "values": {"paid": "yes"}, "increment": ["payments"], "next": "sales"},
            "sales": {"type": "queue", "queue": "sales", "noAgents": "bye"},
            "bye": {"type": "hangup", "prompt": "Goodbye."}
            """);

    static List<Step> script() {
        TestCall c = TestCall.start(catalog(BUSY_FLOW), "det");
        c.at(400).send(new Event.LookupResult(c.state.pendingRequest(), Event.LookupStatus.FOUND,
                Map.of("name", "Ann")));
        c.at(3000).played();
        c.timerAtWake();
        c.after(2000).played();
        c.after(700).keys("1");
        c.after(1500).played();
        c.after(300).keys("12");
        c.after(200).keys("34");
        c.timerAtWake();
        c.after(100).send(new Event.TransferFailed(Event.FailureReason.NO_AGENTS, null));
        c.after(900).played();
        return new ArrayList<>(c.steps);
    }

    @Test
    void sameEventsAtTheSameInstantsGiveTheSameSteps() {
        List<Step> first = script();
        List<Step> second = script();
        assertEquals(12, first.size());
        assertEquals(ENDED, first.get(first.size() - 1).state().phase());
        assertEquals("1234", first.get(first.size() - 1).state().variables().get("card"));
        assertEquals(first, second);
    }
}
