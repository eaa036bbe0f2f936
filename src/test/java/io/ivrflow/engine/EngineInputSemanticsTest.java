package io.ivrflow.engine;

import io.ivrflow.engine.CallState.AfterPlay;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.InputHandling;
import io.ivrflow.flow.InputSpec;
import io.ivrflow.flow.Node;
import io.ivrflow.flow.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ivrflow.engine.CallState.Phase.COLLECTING;
import static io.ivrflow.engine.CallState.Phase.ENDED;
import static io.ivrflow.engine.CallState.Phase.LOOKING_UP;
import static io.ivrflow.engine.CallState.Phase.CONNECTING;
import static io.ivrflow.engine.CallState.Phase.PLAYING;
import static io.ivrflow.engine.TestCall.T0;
import static io.ivrflow.engine.TestCall.bilingual;
import static io.ivrflow.engine.TestCall.flow;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test (or more) per rule of {@code docs/input-semantics.md}, named after the rule.
 */
class EngineInputSemanticsTest {

    /** Menu 1/2 with a repeat key, tapered no-input apologies, a no-match apology and a short reprompt. */
    static final String MENU = flow("m", "menu", """
            "menu": {"type": "menu", "prompt": "Main menu.", "reprompt": "Press 1 or 2.",
              "options": {"1": "one", "2": "two", "9": {"repeat": true}},
              "noInput": {"max": 3, "prompts": ["No input one.", "No input two."]},
              "noMatch": {"max": 3, "prompt": "Bad choice."},
              "fallback": "fb"},
            "one": {"type": "hangup", "prompt": "One."},
            "two": {"type": "hangup", "prompt": "Two."},
            "fb": {"type": "hangup", "prompt": "Fallback."}
            """);

    /** 4 to 6 digits, no leading zero, first-digit timeout 4 s, inter-digit 2 s. */
    static final String COLLECT = flow("c", "ask", """
            "ask": {"type": "collect", "prompt": "Enter your account.", "reprompt": "Account number, please.",
              "variable": "account", "pattern": "[1-9][0-9]*",
              "input": {"minDigits": 4, "maxDigits": 6, "firstDigitTimeout": 4, "interDigitTimeout": 2},
              "noInput": {"prompt": "I did not hear you."}, "noMatch": {"prompt": "That is not valid."},
              "next": "done", "fallback": "fb"},
            "done": {"type": "say", "prompt": "Thanks.", "next": "end"},
            "end": {"type": "hangup"},
            "fb": {"type": "hangup", "prompt": "Fallback."}
            """);

    static final String LANGUAGE = bilingual("l", "lang", """
            "lang": {"type": "language",
              "prompt": {"en-US": "For English press 1. Para español oprima 2.",
                         "es-US": "For English press 1. Para español oprima 2."},
              "options": {"1": "en-US", "2": "es-US"},
              "noInput": {"max": 2}, "noMatch": {"max": 2},
              "next": "hello"},
            "hello": {"type": "say", "prompt": {"en-US": "Hello.", "es-US": "Hola."}, "next": "end"},
            "end": {"type": "hangup"}
            """);

    static final InputSpec MENU_SPEC = new InputSpec(ofSeconds(5), ofSeconds(3), "#", 1, 1, true);
    static final InputSpec COLLECT_SPEC = new InputSpec(ofSeconds(4), ofSeconds(2), "#", 4, 6, true);

    private static TestCall listening(String flowJson) {
        TestCall c = TestCall.start(flowJson);
        c.at(1000).played();
        assertEquals(COLLECTING, c.phase());
        return c;
    }

    private static Action.Say say(Action a) {
        return assertInstanceOf(Action.Say.class, a);
    }

    // ================================================================== Prompting

    @Test
    void i1_promptThenListen() {
        TestCall c = TestCall.start(MENU);
        assertEquals(2, c.actions().size(), c.actions()::toString);
        Action.Say prompt = say(c.actions().get(0));
        assertEquals("Main menu.", prompt.prompt().text());
        assertTrue(prompt.bargeIn());
        assertEquals(new Action.CollectDigits("menu", MENU_SPEC, false), c.actions().get(1));
        assertEquals(PLAYING, c.phase());
        assertEquals(AfterPlay.COLLECT, c.state.afterPlay());
        assertNull(c.state.wakeAt(), "no first-digit timer while the prompt plays");
        assertEquals(List.of(new TraceEntry(T0, "m", "menu", null, "start")), c.last.trace());
    }

    @Test
    void i1_firstDigitTimerStartsWhenPromptEnds() {
        TestCall c = TestCall.start(MENU);
        CallState playing = c.state;
        c.at(9000).timer(); // longer than the first-digit timeout, but the prompt still plays
        assertEquals(List.of(), c.actions());
        assertEquals(playing, c.state);

        c.at(9500).played();
        assertEquals(List.of(), c.actions());
        assertEquals(COLLECTING, c.phase());
        assertEquals(c.t(9500).plus(ofSeconds(5)), c.state.wakeAt());
    }

    /** A collect node without a prompt (the schema requires one, so it is built in code). */
    private static FlowCatalog promptlessCollect() {
        InputSpec spec = new InputSpec(ofSeconds(5), ofSeconds(3), "#", 1, 4, true);
        RetryPolicy budget = new RetryPolicy(3, List.of(), null);
        Map<String, Node> nodes = new LinkedHashMap<>();
        nodes.put("ask", new Node.Collect("ask", "/nodes/ask", null, new InputHandling(spec, null, budget, budget,
                "end"), "pin", null, false, "end"));
        nodes.put("end", new Node.Hangup("end", "/nodes/end", null, "normal"));
        Flow f = new Flow("np", "np.json", "ask", List.of("en-US"), "en-US", Map.of(), ZoneId.of("UTC"), nodes,
                Map.of(), false);
        return FlowCatalog.of(List.of(f));
    }

    @Test
    void i2_noPromptListensAtOnce() {
        FlowCatalog catalog = promptlessCollect();
        TestCall c = TestCall.start(catalog, "np");
        assertEquals(List.of(new Action.CollectDigits("ask", new InputSpec(ofSeconds(5), ofSeconds(3), "#", 1, 4,
                true), false)), c.actions());
        assertEquals(COLLECTING, c.phase());
        assertEquals(T0.plus(ofSeconds(5)), c.state.wakeAt());
        c.at(1000).keys("12#");
        assertEquals("12", c.var("pin"));
    }

    @Test
    void i2_noPromptListensAgainAtOnceAfterNoInput() {
        FlowCatalog catalog = promptlessCollect();
        CallState waiting = new CallState("c1", "np", "ask", COLLECTING, AfterPlay.COLLECT, "en-US", Map.of(),
                java.util.Set.of(), 0, 0, "", T0.plusSeconds(5), null, List.of(), 1, null);
        TestCall c = TestCall.resume(catalog, waiting, T0.plusSeconds(5));
        c.timer();
        assertEquals(List.of(new Action.CollectDigits("ask", new InputSpec(ofSeconds(5), ofSeconds(3), "#", 1, 4,
                true), false)), c.actions());
        assertEquals(COLLECTING, c.phase());
        assertEquals(1, c.state.noInputs());
        assertEquals(T0.plusSeconds(10), c.state.wakeAt());
    }

    // ================================================================== Timers and ending an entry

    @Test
    void i3_firstDigitTimeoutIsNoInput() {
        TestCall c = TestCall.start(MENU);
        c.at(2000).played();
        assertEquals(c.t(7000), c.state.wakeAt(), "default first-digit timeout is 5 s");
        c.at(7000).timer();
        assertEquals(1, c.state.noInputs());
        assertEquals(0, c.state.noMatches());
        assertEquals(List.of("No input one.", "Press 1 or 2."), c.heard());
        assertEquals(List.of(), c.last.trace(), "a no-input is not a new visit");
        assertEquals("menu", c.node());
    }

    @Test
    void i3_firstDigitTimeoutOfTheNode() {
        TestCall c = TestCall.start(COLLECT);
        c.at(1000).played();
        assertEquals(c.t(5000), c.state.wakeAt());
        c.at(5000).timer();
        assertEquals(1, c.state.noInputs());
        assertEquals(List.of("I did not hear you.", "Account number, please."), c.heard());
    }

    @Test
    void i4_interDigitTimeoutSubmitsTheEntry() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("12");
        assertEquals(List.of(), c.actions());
        assertEquals("12", c.state.entry());
        assertEquals(c.t(3500), c.state.wakeAt(), "inter-digit timeout (2 s) after the last key");
        c.at(3000).keys("34");
        assertEquals("1234", c.state.entry());
        assertEquals(c.t(5000), c.state.wakeAt());
        c.at(5000).timer();
        assertEquals(List.of("ask -collected-> done"), c.moves());
        assertEquals("1234", c.var("account"));
        assertTrue(c.actions().contains(new Action.SetVariable("account", "1234", false)));
    }

    @Test
    void i4_interDigitTimeoutWithTooFewKeysIsANoMatch() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("12");
        c.at(3500).timer();
        assertEquals(1, c.state.noMatches(), "keys were typed: a no-match, not a no-input");
        assertEquals(0, c.state.noInputs());
        assertEquals(List.of("That is not valid.", "Account number, please."), c.heard());
    }

    @Test
    void i5_terminatorSubmitsWithoutItself() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("12345#");
        assertEquals(List.of("ask -collected-> done"), c.moves());
        assertEquals("12345", c.var("account"));
        assertTrue(c.actions().contains(new Action.SetVariable("account", "12345", false)));
    }

    @Test
    void i5_customTerminator() {
        TestCall c = listening(flow("t", "ask", """
                "ask": {"type": "collect", "prompt": "PIN then star.", "variable": "pin",
                  "input": {"terminator": "*"}, "next": "end", "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals("*", c.allActions.stream().filter(a -> a instanceof Action.CollectDigits)
                .map(a -> ((Action.CollectDigits) a).spec().terminator()).findFirst().orElseThrow());
        c.at(1500).keys("42*");
        assertEquals("42", c.var("pin"));
    }

    @Test
    void i5_noTerminatorForAMenuWithHashOption() {
        TestCall c = TestCall.start(flow("h", "menu", """
                "menu": {"type": "menu", "prompt": "Press 1, or hash.", "options": {"1": "one", "#": "hash"},
                  "fallback": "one"},
                "one": {"type": "hangup"},
                "hash": {"type": "hangup", "prompt": "Hash."}
                """));
        Action.CollectDigits collect = c.actions(Action.CollectDigits.class).get(0);
        assertEquals("", collect.spec().terminator());
        c.at(1000).played();
        c.at(1500).keys("#");
        assertEquals(List.of("menu -key:#-> hash"), c.moves());
    }

    @Test
    void i5_noTerminatorForALanguageNode() {
        TestCall c = TestCall.start(bilingual("lh", "lang", """
                "lang": {"type": "language", "prompt": {"en-US": "English 1, Spanish hash.", "es-US": "Inglés 1."},
                  "options": {"1": "en-US", "#": "es-US"}, "next": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals("", c.actions(Action.CollectDigits.class).get(0).spec().terminator());
        c.at(1000).played();
        c.at(1500).keys("#");
        assertEquals(List.of("lang -key:#-> end"), c.moves());
        assertEquals("es-US", c.state.language());
    }

    @Test
    void i6_terminatorAloneIsANoMatch() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("#");
        assertEquals(1, c.state.noMatches());
        assertEquals(0, c.state.noInputs());
        assertEquals(List.of("That is not valid.", "Account number, please."), c.heard());
        assertNull(c.var("account"));
    }

    @Test
    void i6_terminatorAloneAtAMenuIsANoMatch() {
        TestCall c = listening(MENU);
        c.at(1500).keys("#");
        assertEquals(1, c.state.noMatches());
        assertEquals(0, c.state.noInputs());
        assertEquals(List.of("Bad choice.", "Press 1 or 2."), c.heard());
    }

    @Test
    void i7_entrySubmittedAtMaxDigits() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("123456");
        assertEquals(List.of("ask -collected-> done"), c.moves(), "no terminator nor timer needed");
        assertEquals("123456", c.var("account"));
    }

    @Test
    void i7_defaultMaxDigits() {
        TestCall collect = TestCall.start(flow("d", "ask", """
                "ask": {"type": "collect", "prompt": "Number.", "variable": "n", "next": "end", "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals(new InputSpec(ofSeconds(5), ofSeconds(3), "#", 1, 20, true),
                collect.actions(Action.CollectDigits.class).get(0).spec());
        collect.at(1000).played();
        collect.at(1500).keys("12345678901234567890");
        assertEquals("12345678901234567890", collect.var("n"));
        assertEquals(List.of("ask -collected-> end"), collect.moves());

        TestCall language = TestCall.start(LANGUAGE);
        assertEquals(new InputSpec(ofSeconds(5), ofSeconds(3), "", 1, 1, true),
                language.actions(Action.CollectDigits.class).get(0).spec());

        TestCall menu = TestCall.start(flow("lm", "menu", """
                "menu": {"type": "menu", "prompt": "Choose.", "options": {"1": "end", "25": "end", "300": "end"},
                  "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        assertEquals(3, menu.actions(Action.CollectDigits.class).get(0).spec().maxDigits());
    }

    static final String MENU_1_12 = flow("w", "menu", """
            "menu": {"type": "menu", "prompt": "One or twelve.", "options": {"1": "one", "12": "twelve"},
              "fallback": "one"},
            "one": {"type": "hangup", "prompt": "One."},
            "twelve": {"type": "hangup", "prompt": "Twelve."}
            """);

    @Test
    void i8_menuDecidesAtOnceWhenNoLongerOption() {
        TestCall c = listening(MENU);
        c.at(1500).keys("1");
        assertEquals(List.of("menu -key:1-> one"), c.moves());
        assertEquals(List.of("One."), c.heard());
    }

    @Test
    void i8_menuWaitsWhenALongerOptionStartsWithTheKeys() {
        TestCall c = listening(MENU_1_12);
        c.at(1500).keys("1");
        assertEquals(List.of(), c.actions());
        assertEquals(List.of(), c.last.trace());
        assertEquals(COLLECTING, c.phase());
        assertEquals("1", c.state.entry());
        assertEquals(c.t(4500), c.state.wakeAt(), "waits for the inter-digit timeout");
        c.at(4500).timer();
        assertEquals(List.of("menu -key:1-> one"), c.moves());
    }

    @Test
    void i8_longerOptionIsFinalAtOnce() {
        TestCall c = listening(MENU_1_12);
        c.at(1500).keys("12");
        assertEquals(List.of("menu -key:12-> twelve"), c.moves());
    }

    @Test
    void i8_terminatorEndsTheWait() {
        TestCall c = listening(MENU_1_12);
        c.at(1500).keys("1");
        c.at(1700).keys("#");
        assertEquals(List.of("menu -key:1-> one"), c.moves());
    }

    @Test
    void i9_earlyTimerEventsAreIgnored() {
        TestCall c = listening(COLLECT); // wakes at 5000
        CallState before = c.state;
        c.at(4999).timer();
        assertEquals(List.of(), c.actions());
        assertEquals(before, c.state);

        c.at(5000).timer();
        assertEquals(1, c.state.noInputs());
        CallState reprompting = c.state;
        c.timer(); // the same wake-up, twice
        assertEquals(List.of(), c.actions());
        assertEquals(reprompting, c.state);
        assertEquals(1, c.state.noInputs());
    }

    @Test
    void i9_earlyTimerDuringAnEntryIsIgnored() {
        TestCall c = listening(COLLECT);
        c.at(2000).keys("12");
        CallState before = c.state;
        c.at(3999).timer();
        assertEquals(List.of(), c.actions());
        assertEquals(before, c.state);
        assertEquals("12", c.state.entry());
    }

    @Test
    void i10_bargeInStopsThePromptAndCountsTheKey() {
        TestCall c = TestCall.start(COLLECT);
        assertTrue(c.says().get(0).bargeIn());
        c.at(500).keys("1");
        assertEquals(List.of(new Action.StopPlayback()), c.actions());
        assertEquals(COLLECTING, c.phase());
        assertEquals("1", c.state.entry());
        assertEquals(c.t(2500), c.state.wakeAt(), "inter-digit timer after the key");
        c.at(800).keys("234#");
        assertEquals("1234", c.var("account"));
    }

    @Test
    void i10_bargeInAtAMenuChoosesAtOnce() {
        TestCall c = TestCall.start(MENU);
        c.at(500).keys("2");
        assertEquals(new Action.StopPlayback(), c.actions().get(0));
        assertEquals(List.of("Two."), c.heard());
        assertEquals(List.of("menu -key:2-> two"), c.moves());
    }

    @Test
    void i10_bargeInDuringARePrompt() {
        TestCall c = listening(MENU);
        c.at(6000).timer();
        assertTrue(c.says().stream().allMatch(Action.Say::bargeIn));
        c.at(6500).keys("1");
        assertEquals(new Action.StopPlayback(), c.actions().get(0));
        assertEquals(List.of("menu -key:1-> one"), c.moves());
    }

    @Test
    void i11_bargeInOffDropsKeysDuringThePrompt() {
        TestCall c = TestCall.start(flow("nb", "ask", """
                "ask": {"type": "collect", "prompt": "Listen to the end.", "variable": "pin",
                  "input": {"bargeIn": false, "maxDigits": 4}, "next": "end", "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        assertFalse(c.says().get(0).bargeIn());
        assertFalse(c.actions(Action.CollectDigits.class).get(0).spec().bargeIn());
        CallState playing = c.state;
        c.at(500).keys("12#");
        assertEquals(List.of(), c.actions());
        assertEquals(playing, c.state);
        c.at(3000).played();
        assertEquals(COLLECTING, c.phase());
        assertEquals("", c.state.entry(), "the dropped keys do not start the entry");
        assertEquals(c.t(8000), c.state.wakeAt());
        c.at(3500).keys("7777");
        assertEquals("7777", c.var("pin"));
    }

    @Test
    void i12_keysDuringASayNodeAreDropped() {
        TestCall c = TestCall.start(flow("s", "intro", """
                "intro": {"type": "say", "prompt": "Welcome.", "next": "menu"},
                "menu": {"type": "menu", "prompt": "Press 1.", "options": {"1": "end"}, "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        CallState saying = c.state;
        c.at(500).keys("1");
        assertEquals(List.of(), c.actions());
        assertEquals(saying, c.state);
        c.at(1000).played();
        assertEquals(List.of("Press 1."), c.heard());
        assertEquals(List.of("intro -next-> menu"), c.moves());
        assertEquals("", c.state.entry());
        c.at(2000).played();
        assertEquals(COLLECTING, c.phase());
        assertEquals("", c.state.entry());
    }

    @Test
    void i12_keysDuringALookupOrATransferAreDropped() {
        TestCall c = TestCall.start(flow("lt", "who", """
                "who": {"type": "lookup", "source": "directory", "next": "op"},
                "op": {"type": "transfer", "extension": "1000"}
                """));
        assertEquals(LOOKING_UP, c.phase());
        CallState lookingUp = c.state;
        c.at(100).keys("1");
        assertEquals(List.of(), c.actions());
        assertEquals(lookingUp, c.state);
        String id = c.state.pendingRequest();
        c.at(200).send(new Event.LookupResult(id, Event.LookupStatus.FOUND, Map.of()));
        assertEquals(CONNECTING, c.phase());
        CallState connecting = c.state;
        c.at(300).keys("1");
        assertEquals(List.of(), c.actions());
        assertEquals(connecting, c.state);
    }

    @Test
    void i12_keysAfterASubmittedEntryInTheSameBurstAreDropped() {
        TestCall c = listening(flow("b", "menu", """
                "menu": {"type": "menu", "prompt": "Press 1.", "options": {"1": "ask"}, "fallback": "end"},
                "ask": {"type": "collect", "prompt": "Your PIN.", "variable": "pin", "next": "end", "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        c.at(1500).keys("1234");
        assertEquals(List.of("menu -key:1-> ask"), c.moves());
        assertFalse(c.actions().contains(new Action.StopPlayback()), "234 must not barge into the next prompt");
        assertEquals(List.of("Your PIN."), c.heard());
        assertEquals(PLAYING, c.phase());
        assertEquals("", c.state.entry());
        assertNull(c.var("pin"));
    }

    @Test
    void i12_keysAfterANoMatchInTheSameBurstAreDropped() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("12#3456#");
        assertEquals(1, c.state.noMatches());
        assertEquals(List.of("That is not valid.", "Account number, please."), c.heard());
        assertFalse(c.actions().contains(new Action.StopPlayback()), "3456# must not barge into the re-prompt");
        assertEquals(PLAYING, c.phase());
        assertEquals("", c.state.entry());
        assertNull(c.var("account"));
    }

    @Test
    void i12_keysAfterMaxDigitsAreDropped() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("1234567");
        assertEquals("123456", c.var("account"));
        assertEquals("done", c.node());
        assertEquals(List.of("Thanks."), c.heard());
    }

    // ================================================================== Matching

    @Test
    void i13_menuMatchTakesTheKeyEdge() {
        TestCall c = listening(MENU);
        c.at(1500).keys("2");
        assertEquals(List.of(new TraceEntry(c.t(1500), "m", "two", "menu", "key:2")), c.last.trace());
        assertEquals(List.of("Two."), c.heard());
    }

    @Test
    void i13_repeatSaysTheFullPromptWithoutResettingBudgets() {
        TestCall c = listening(MENU);
        c.at(1500).keys("5");
        assertEquals(1, c.state.noMatches());
        c.at(3000).played();
        c.at(3500).keys("9");
        assertEquals(2, c.actions().size());
        assertEquals("Main menu.", say(c.actions().get(0)).prompt().text(), "the full prompt, not the reprompt");
        assertEquals(new Action.CollectDigits("menu", MENU_SPEC, false), c.actions().get(1));
        assertEquals(List.of("menu -key:9-> menu"), c.moves());
        assertEquals(1, c.state.noMatches(), "repeat keeps the count");
        c.at(5000).played();
        c.at(5500).keys("5");
        assertEquals(2, c.state.noMatches());
        c.at(7000).played();
        c.at(7500).keys("5");
        assertEquals(List.of("menu -noMatch-> fb"), c.moves(), "third no-match overall spends the budget");
    }

    @Test
    void i14_collectMatchStoresTheVariableAndTakesNext() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("1234#");
        assertEquals(new Action.SetVariable("account", "1234", false), c.actions().get(0));
        assertEquals(List.of(new TraceEntry(c.t(1500), "c", "done", "ask", "collected")), c.last.trace());
        assertEquals("1234", c.var("account"));
        assertEquals(List.of("Thanks."), c.heard());
    }

    @Test
    void i14_collectTooShortOrTooLongIsANoMatch() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("123#");
        assertEquals(1, c.state.noMatches());
        c.at(3000).played();
        c.at(3500).entry("1234567");
        assertEquals(2, c.state.noMatches());
        assertNull(c.var("account"));
    }

    @Test
    void i14_patternMustMatchTheWholeEntry() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("01234#"); // "1234" inside would match a partial search
        assertEquals(1, c.state.noMatches());
        assertNull(c.var("account"));
    }

    @Test
    void i15_languageMatchSwitchesTheLanguage() {
        TestCall c = listening(LANGUAGE);
        c.at(1500).keys("2");
        assertEquals(new Action.SetVariable("language", "es-US", false), c.actions().get(0));
        assertEquals(List.of("lang -key:2-> hello"), c.moves());
        assertEquals("es-US", c.state.language());
        assertEquals("es-US", c.var("language"));
        Action.Say hola = c.says().get(0);
        assertEquals("Hola.", hola.prompt().text());
        assertEquals("es-US", hola.prompt().language());
        assertEquals("Polly.Lupe", hola.prompt().voice());
    }

    @Test
    void i16_anyOtherEntryIsANoMatch() {
        TestCall menu = listening(MENU);
        menu.at(1500).keys("7");
        assertEquals(1, menu.state.noMatches());
        assertEquals(List.of("Bad choice.", "Press 1 or 2."), menu.heard());

        TestCall language = listening(LANGUAGE);
        language.at(1500).keys("3");
        assertEquals(1, language.state.noMatches());
        assertEquals("en-US", language.state.language());
        assertEquals(List.of(), language.last.trace());
    }

    // ================================================================== Retries and fallback

    @Test
    void i17_noInputsAndNoMatchesHaveSeparateBudgets() {
        TestCall c = listening(MENU);
        c.at(6000).timer();
        c.at(8000).played();
        c.at(8500).keys("5");
        c.at(10000).played();
        c.after(5000).timer();
        c.after(2000).played();
        c.after(500).keys("5");
        assertEquals(2, c.state.noInputs());
        assertEquals(2, c.state.noMatches());
        assertEquals("menu", c.node());
        assertEquals(List.of("Bad choice.", "Press 1 or 2."), c.heard(), "four failures, still re-prompting");
        c.after(2000).played();
        c.after(500).keys("5");
        assertEquals(List.of("menu -noMatch-> fb"), c.moves());
    }

    @Test
    void i17_eachBudgetHasItsOwnExit() {
        String json = flow("x", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "options": {"1": "end"},
                  "noInput": {"max": 2, "next": "ni"}, "noMatch": {"max": 2, "next": "nm"}, "fallback": "end"},
                "ni": {"type": "hangup", "prompt": "Nothing heard."},
                "nm": {"type": "hangup", "prompt": "Nothing matched."},
                "end": {"type": "hangup"}
                """);
        TestCall c = listening(json);
        c.at(1500).keys("5");
        c.at(3000).played();
        c.at(8000).timer();
        c.at(9000).played();
        c.at(14000).timer();
        assertEquals(List.of("menu -noInput-> ni"), c.moves());
        assertEquals(List.of("Nothing heard."), c.heard());

        TestCall d = listening(json);
        d.at(6000).timer();
        d.at(7000).played();
        d.at(7500).keys("5");
        d.at(9000).played();
        d.at(9500).keys("5");
        assertEquals(List.of("menu -noMatch-> nm"), d.moves());
    }

    @Test
    void i18_rePromptIsTheApologyThenTheReprompt() {
        TestCall c = listening(flow("r", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "reprompt": "Short.", "options": {"1": "end"},
                  "noInput": {"max": 4, "prompts": ["Sorry A.", "Sorry B."], "next": "ni"}, "fallback": "end"},
                "ni": {"type": "hangup", "prompt": "Bye."},
                "end": {"type": "hangup"}
                """));
        List<List<String>> expected = List.of(List.of("Sorry A.", "Short."), List.of("Sorry B.", "Short."),
                List.of("Sorry B.", "Short."));
        for (List<String> apology : expected) {
            c.timerAtWake();
            assertEquals(apology, c.heard(), "tapered: the last apology repeats");
            assertTrue(c.says().stream().allMatch(Action.Say::bargeIn));
            assertEquals(3, c.actions().size());
            assertEquals("menu", assertInstanceOf(Action.CollectDigits.class, c.actions().get(2)).nodeId());
            assertEquals(PLAYING, c.phase());
            assertEquals(AfterPlay.COLLECT, c.state.afterPlay());
            assertNull(c.state.wakeAt());
            c.after(2000).played();
            assertEquals(c.now.plus(ofSeconds(5)), c.state.wakeAt());
        }
        c.timerAtWake();
        assertEquals(List.of("menu -noInput-> ni"), c.moves());
    }

    @Test
    void i18_fullPromptWhenThereIsNoReprompt() {
        TestCall c = listening(flow("f", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "options": {"1": "end"}, "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        c.at(1500).keys("5");
        assertEquals(List.of("Main menu."), c.heard());
        assertEquals(1, c.state.noMatches());
    }

    @Test
    void i18_listensAgainWithAFreshEntry() {
        TestCall c = listening(COLLECT);
        c.at(1500).keys("12#");
        assertEquals(1, c.state.noMatches());
        assertEquals("", c.state.entry());
        c.at(3000).played();
        assertEquals(c.t(7000), c.state.wakeAt());
        c.at(3500).keys("5678#");
        assertEquals("5678", c.var("account"));
    }

    @Test
    void i19_spentBudgetTakesTheExitWithoutRePrompt() {
        TestCall c = listening(flow("s", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "options": {"1": "end"},
                  "noInput": {"max": 3, "next": "ni"}, "fallback": "end"},
                "ni": {"type": "hangup", "prompt": "Goodbye."},
                "end": {"type": "hangup"}
                """));
        c.timerAtWake();
        c.after(1000).played();
        c.timerAtWake();
        c.after(1000).played();
        c.timerAtWake();
        assertEquals(List.of("menu -noInput-> ni"), c.moves());
        assertEquals(List.of("Goodbye."), c.heard(), "no re-prompt on the last attempt");
        assertTrue(c.actions(Action.CollectDigits.class).isEmpty());
        assertEquals(3, c.heardAll().stream().filter("Main menu."::equals).count(), "max 3: the prompt three times");
    }

    @Test
    void i19_fallbackWhenTheBudgetNamesNoExit() {
        TestCall c = listening(MENU);
        for (int i = 0; i < 2; i++) {
            c.after(500).keys("5");
            c.after(2000).played();
        }
        c.after(500).keys("5");
        assertEquals(List.of("menu -noMatch-> fb"), c.moves());
        assertEquals(List.of("Fallback."), c.heard());
    }

    @Test
    void i19_maxOneExitsOnTheFirstFailure() {
        TestCall c = listening(flow("one", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "options": {"1": "end"},
                  "noMatch": {"max": 1, "prompt": "never said"}, "fallback": "fb"},
                "fb": {"type": "hangup", "prompt": "Fallback."},
                "end": {"type": "hangup"}
                """));
        c.at(1500).keys("5");
        assertEquals(List.of("menu -noMatch-> fb"), c.moves());
        assertEquals(List.of("Fallback."), c.heard());
    }

    static final String MAIN_AND_SUB = flow("v", "main", """
            "main": {"type": "menu", "prompt": "Main menu.", "options": {"2": "sub", "9": {"repeat": true}},
              "noInput": {"max": 2}, "fallback": "fb"},
            "sub": {"type": "menu", "prompt": "Sub menu.", "options": {"*": "main"}, "fallback": "fb"},
            "fb": {"type": "hangup", "prompt": "Fallback."}
            """);

    @Test
    void i20_budgetsStartAtZeroOnEachVisit() {
        TestCall c = listening(MAIN_AND_SUB);
        c.timerAtWake();
        assertEquals(1, c.state.noInputs());
        c.after(1000).played();
        c.after(500).keys("2");
        assertEquals(List.of("main -key:2-> sub"), c.moves());
        c.after(1000).played();
        c.after(500).keys("*");
        assertEquals(List.of("sub -key:*-> main"), c.moves());
        assertEquals(0, c.state.noInputs());
        c.after(1000).played();
        c.timerAtWake();
        assertEquals(1, c.state.noInputs());
        assertEquals(List.of("Main menu."), c.heard(), "a re-prompt, not the fallback");
        assertEquals("main", c.node());
    }

    @Test
    void i20_repeatIsNotANewVisit() {
        TestCall c = listening(MAIN_AND_SUB);
        c.timerAtWake();
        c.after(1000).played();
        c.after(500).keys("9");
        assertEquals(1, c.state.noInputs());
        c.after(1000).played();
        c.timerAtWake();
        assertEquals(List.of("main -noInput-> fb"), c.moves());
    }

    @Test
    void i21_languageKeptWhenNoInput() {
        TestCall c = listening(LANGUAGE);
        c.timerAtWake();
        c.after(1000).played();
        c.timerAtWake();
        assertEquals(List.of("lang -noInput-> hello"), c.moves());
        assertEquals("en-US", c.state.language());
        assertEquals("en-US", c.var("language"));
        assertEquals(List.of("Hello."), c.heard());
        assertTrue(c.actions(Action.SetVariable.class).isEmpty());
    }

    @Test
    void i21_languageKeptWhenNoMatch() {
        TestCall c = listening(LANGUAGE);
        c.after(500).keys("7");
        c.after(1000).played();
        c.after(500).keys("8");
        assertEquals(List.of("lang -noMatch-> hello"), c.moves());
        assertEquals("en-US", c.state.language());
        assertEquals(List.of("Hello."), c.heard());
    }

    @Test
    void i21_languageKeptIsTheOneTheCallArrivedWith() {
        TestCall c = TestCall.start(TestCall.catalog(LANGUAGE), "l", TestCall.call("es-US", Map.of()), T0);
        assertEquals("es-US", c.says().get(0).prompt().language());
        c.at(1000).played();
        c.timerAtWake();
        c.after(1000).played();
        c.timerAtWake();
        assertEquals(List.of("lang -noInput-> hello"), c.moves());
        assertEquals("es-US", c.state.language(), "not reset to the flow's default");
        assertEquals("es-US", c.var("language"));
        assertEquals(List.of("Hola."), c.heard());
    }

    @Test
    void i22_missingNextSaysGoodbyeAndHangsUp() {
        TestCall c = TestCall.start(flow("d", "s", """
                "s": {"type": "say", "prompt": "Hi."}
                """));
        c.at(1000).played();
        assertEquals(List.of("Thank you for calling. Goodbye."), c.heard());
        assertFalse(c.says().get(0).bargeIn());
        assertEquals(PLAYING, c.phase());
        assertEquals("hung-up:dead-end:s", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    @Test
    void i22_spentBudgetWithoutAnyExitSaysGoodbye() {
        TestCall c = listening(flow("n", "menu", """
                "menu": {"type": "menu", "prompt": "Main menu.", "options": {"1": "end"}, "noInput": {"max": 1}},
                "end": {"type": "hangup"}
                """));
        c.timerAtWake();
        assertEquals(List.of("Thank you for calling. Goodbye."), c.heard());
        assertTrue(c.actions(Action.CollectDigits.class).isEmpty());
        assertEquals("hung-up:dead-end:menu", c.outcome());
        c.after(2000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    @Test
    void i22_collectWithoutNextSaysGoodbyeAfterStoringTheEntry() {
        TestCall c = listening(flow("nn", "ask", """
                "ask": {"type": "collect", "prompt": "Your PIN.", "variable": "pin", "fallback": "end"},
                "end": {"type": "hangup"}
                """));
        c.at(1500).keys("42#");
        assertEquals(new Action.SetVariable("pin", "42", false), c.actions().get(0));
        assertEquals(List.of("Thank you for calling. Goodbye."), c.heard());
        assertEquals("hung-up:dead-end:ask", c.outcome());
        c.at(3000).played();
        assertEquals(List.of(new Action.HangUp("normal")), c.actions());
        assertEquals(ENDED, c.phase());
    }

    @Test
    void i22_flowGoodbyeMessageIsUsed() {
        TestCall c = TestCall.start("""
                {"ivrflow": 1, "id": "g", "start": "s", "languages": ["en-US"],
                 "messages": {"goodbye": "Bye from Acme."},
                 "nodes": {"s": {"type": "say", "prompt": "Hi."}}}
                """);
        c.at(1000).played();
        assertEquals(List.of("Bye from Acme."), c.heard());
    }

    // ================================================================== Platform input (Plivo)

    @Test
    void i23_wholeEntryIsMatchedDirectly() {
        TestCall c = listening(MENU);
        c.at(1500).entry("2");
        assertEquals(List.of("menu -key:2-> two"), c.moves());
    }

    @Test
    void i23_wholeEntryNeedsNoInterDigitWait() {
        TestCall c = listening(MENU_1_12);
        c.at(1500).entry("1");
        assertEquals(List.of("menu -key:1-> one"), c.moves());
        TestCall d = listening(COLLECT);
        d.at(1500).entry("1234");
        assertEquals(List.of("ask -collected-> done"), d.moves());
        assertEquals("1234", d.var("account"));
    }

    @Test
    void i23_noInputEventIsANoInput() {
        TestCall c = listening(MENU);
        c.at(3000).noInput();
        assertEquals(1, c.state.noInputs());
        assertEquals(List.of("No input one.", "Press 1 or 2."), c.heard());
        c.at(4000).played();
        c.at(9000).noInput();
        c.at(10000).played();
        c.at(15000).noInput();
        assertEquals(List.of("menu -noInput-> fb"), c.moves(), "whole entries spend the same budgets");
    }

    @Test
    void i23_emptyWholeEntryIsANoMatch() {
        TestCall c = listening(MENU);
        c.at(3000).entry("");
        assertEquals(1, c.state.noMatches());
        assertEquals(0, c.state.noInputs());
        assertEquals(List.of("Bad choice.", "Press 1 or 2."), c.heard());
    }

    @Test
    void i23_wholeEntryIsNotSplitIntoKeys() {
        TestCall c = listening(MENU);
        c.at(1500).entry("12"); // as keys, "1" would choose option 1
        assertEquals(1, c.state.noMatches());
        assertEquals(List.of(), c.last.trace());
    }

    // ================================================================== Sensitive input

    static final String CARD = flow("p", "card", """
            "card": {"type": "collect", "prompt": "Card number, then hash.", "variable": "card", "sensitive": true,
              "pattern": "^[0-9]{13,19}$", "input": {"minDigits": 13, "maxDigits": 19},
              "next": "thanks", "fallback": "end"},
            "thanks": {"type": "say", "prompt": "Thank you.", "next": "wipe"},
            "wipe": {"type": "set", "values": {"card": "none"}, "next": "end"},
            "end": {"type": "hangup"}
            """);

    @Test
    void i24_sensitiveDigits() {
        String number = "4111111111111111";
        TestCall c = TestCall.start(CARD);
        assertTrue(c.actions(Action.CollectDigits.class).get(0).sensitive());
        assertTrue(c.state.collectingSensitive(c.catalog), "sensitive while the prompt plays (barge-in)");
        c.at(1000).played();
        assertTrue(c.state.collectingSensitive(c.catalog));

        Event.Digits digits = new Event.Digits(number + "#", false);
        assertFalse(digits.toString().contains("4111"), digits.toString());
        assertFalse(new Event.Digits(number, true).toString().contains("1111"));

        c.at(1500).send(digits);
        Action.SetVariable set = c.actions(Action.SetVariable.class).get(0);
        assertEquals(new Action.SetVariable("card", number, true), set);
        assertFalse(set.toString().contains("4111"), set.toString());
        assertTrue(set.toString().contains("****"));
        assertTrue(c.state.sensitive().contains("card"));
        assertEquals(number, c.var("card"), "the value itself is kept for the flow");
        assertEquals("thanks", c.node());
        assertFalse(c.state.collectingSensitive(c.catalog));
    }

    @Test
    void i24_aSensitiveVariableStaysMasked() {
        TestCall c = listening(CARD);
        c.at(1500).keys("4111111111111111#");
        c.at(3000).played();
        assertEquals(new Action.SetVariable("card", "none", true), c.actions(Action.SetVariable.class).get(0));
        assertTrue(c.state.sensitive().contains("card"));
    }

    @Test
    void i24_ordinaryCollectIsNotSensitive() {
        TestCall c = listening(COLLECT);
        assertFalse(c.allActions.stream().filter(a -> a instanceof Action.CollectDigits)
                .map(a -> ((Action.CollectDigits) a).sensitive()).findFirst().orElseThrow());
        assertFalse(c.state.collectingSensitive(c.catalog));
        c.at(1500).keys("1234#");
        assertEquals(new Action.SetVariable("account", "1234", false), c.actions().get(0));
        assertTrue(c.actions().get(0).toString().contains("1234"));
        assertTrue(c.state.sensitive().isEmpty());
    }
}
