package io.ivrflow.flow;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowLoaderTest {

    static final Path SEED_FILE = Path.of("flows/wazo-ivr-plugin.json");

    /** The seed flow exactly as given in the issue. The file must not be edited: it is the format's contract. */
    static final String SEED = """
            {
                "main_menu": {
                    "prompt": "Welcome to our automated service. Press 1 for sales, 2 for support, or 9 to repeat this menu.",
                    "options": {
                        "1": {"action": "route_to_queue", "target": "sales_queue"},
                        "2": {"action": "route_to_queue", "target": "support_queue"},
                        "9": {"action": "repeat_menu"}
                    },
                    "fallback": {"action": "repeat_menu"}
                },
                "sales_queue": {
                    "prompt": "Connecting you to sales. Please hold.",
                    "action": "transfer_to_extension",
                    "target": "1001"
                },
                "support_queue": {
                    "prompt": "Connecting you to support. Your call is important to us.",
                    "action": "transfer_to_extension",
                    "target": "1002"
                },
                "voicemail_menu": {
                    "prompt": "Our offices are currently closed. Please leave a message after the tone.",
                    "action": "transfer_to_extension",
                    "target": "voicemail_ext"
                }
            }
            """;

    private static FlowLoader loader;

    @BeforeAll
    static void loader() {
        loader = new FlowLoader();
    }

    private static FlowLoader.Loaded load(String name, String json) {
        return loader.load(Path.of(name), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Loads a flow that must draw no diagnostic but the seed format's platform-target warnings. */
    private static Flow loadClean(String name, String json) {
        FlowLoader.Loaded loaded = load(name, json);
        assertEquals(List.of(), loaded.diagnostics().stream().filter(d -> !d.rule().equals("platform-target"))
                .map(Diagnostic::format).toList());
        assertNotNull(loaded.flow());
        return loaded.flow();
    }

    private static String textOf(Prompt prompt, String language) {
        return prompt.byLanguage().get(language).text();
    }

    // ---------------------------------------------------------------- the seed

    @Test
    void seedFileIsByteForByteTheOneFromTheIssue() throws IOException {
        assertArrayEquals(SEED.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(SEED_FILE),
                "flows/wazo-ivr-plugin.json changed; it must stay as the issue gives it");
    }

    @Test
    void loadingTheSeedLeavesTheFileUnchangedAndReportsOnlyItsPlatformTargets() throws IOException {
        FlowLoader.Loaded loaded = loader.load(SEED_FILE);
        assertEquals(List.of("/sales_queue/target", "/support_queue/target", "/voicemail_menu/target"),
                loaded.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.WARNING
                        && d.rule().equals("platform-target")).map(Diagnostic::pointer).toList());
        assertFalse(loaded.hasErrors());
        assertNotNull(loaded.flow());
        assertEquals(SEED, Files.readString(SEED_FILE));
    }

    @Test
    void seedBecomesALegacyFlowStartingAtMainMenu() {
        Flow flow = loader.load(SEED_FILE).flow();
        assertTrue(flow.legacy());
        assertEquals("wazo-ivr-plugin", flow.id());
        assertEquals("main_menu", flow.start());
        assertEquals(List.of("en-US"), flow.languages());
        assertEquals("en-US", flow.defaultLanguage());
        assertEquals(ZoneOffset.UTC, flow.timezone());
        assertEquals(SEED_FILE.toString(), flow.source());
        assertEquals(Set.of("main_menu", "sales_queue", "support_queue", "voicemail_menu", "_goodbye"),
                flow.nodes().keySet());
    }

    @Test
    void seedMainMenuRoutesKeysAndRepeatsOnNine() {
        Flow flow = loader.load(SEED_FILE).flow();
        Node.Menu menu = assertInstanceOf(Node.Menu.class, flow.node("main_menu"));
        assertEquals(Set.of("1", "2", "9"), menu.options().keySet());
        assertEquals(new Node.Choice("sales_queue", false, "/main_menu/options/1/target"), menu.options().get("1"));
        assertEquals(new Node.Choice("support_queue", false, "/main_menu/options/2/target"), menu.options().get("2"));
        assertTrue(menu.options().get("9").repeat());
        assertNull(menu.options().get("9").target());
        assertEquals("Welcome to our automated service. Press 1 for sales, 2 for support, or 9 to repeat this menu.",
                textOf(menu.prompt(), "en-US"));
        assertEquals("/main_menu/prompt", menu.prompt().pointer());

        Map<String, String> edges = menu.edges().stream().collect(Collectors.toMap(Edge::label, Edge::target));
        assertEquals(Map.of("key:1", "sales_queue", "key:2", "support_queue", "key:9", "main_menu",
                "noInput", "_goodbye", "noMatch", "_goodbye"), edges);
    }

    @Test
    void seedRepeatFallbackBecomesThreeAttemptsThenAGoodbyeHangup() {
        Flow flow = loader.load(SEED_FILE).flow();
        InputHandling h = ((Node.Menu) flow.node("main_menu")).handling();
        assertEquals("_goodbye", h.fallback());
        assertEquals("_goodbye", h.noInputExit());
        assertEquals("_goodbye", h.noMatchExit());
        assertEquals(3, h.noInput().max());
        assertEquals(3, h.noMatch().max());
        assertNull(h.reprompt());
        // the seed format had no terminator: a single key decides
        assertEquals("", h.input().terminator());
        assertEquals(1, h.input().maxDigits());

        Node.Hangup goodbye = assertInstanceOf(Node.Hangup.class, flow.node("_goodbye"));
        assertEquals("normal", goodbye.reason());
        assertNotNull(goodbye.prompt(), "the caller hears something before the call ends");
        assertTrue(textOf(goodbye.prompt(), "en-US").contains("Goodbye"));
    }

    @Test
    void seedLeavesBecomeExtensionTransfersWithTheirPrompts() {
        Flow flow = loader.load(SEED_FILE).flow();
        Map<String, String[]> expected = Map.of(
                "sales_queue", new String[] {"1001", "Connecting you to sales. Please hold."},
                "support_queue", new String[] {"1002", "Connecting you to support. Your call is important to us."},
                "voicemail_menu", new String[] {"voicemail_ext",
                        "Our offices are currently closed. Please leave a message after the tone."});
        expected.forEach((id, v) -> {
            Node.Transfer t = assertInstanceOf(Node.Transfer.class, flow.node(id), id);
            assertEquals(Node.TransferKind.EXTENSION, t.to());
            assertEquals(v[0], t.destination());
            assertEquals(v[1], textOf(t.prompt(), "en-US"));
            assertNull(t.onFailure());
            assertEquals("/" + id, t.pointer());
        });
    }

    // ---------------------------------------------------------------- seed format, other shapes

    static final String LEGACY = """
            {
                "main_menu": {
                    "prompt": "Press 1 for billing, 2 for the front desk, 3 for sales.",
                    "options": {
                        "1": {"action": "route_to_queue", "target": "billing"},
                        "2": {"action": "transfer_to_extension", "target": "2000"},
                        "3": {"action": "route_to_queue", "target": "sales"}
                    },
                    "fallback": {"action": "transfer_to_extension", "target": "0"}
                },
                "sales": {
                    "prompt": "Connecting you to sales.",
                    "action": "route_to_queue",
                    "target": "sales_team"
                },
                "overflow": {
                    "action": "route_to_queue",
                    "target": "sales"
                }
            }
            """;

    @Test
    void legacyOptionTargetThatIsNotANodeBecomesASyntheticNode() {
        Flow flow = loadClean("legacy-synthetic.json", LEGACY);
        assertEquals("legacy-synthetic", flow.id());
        Node.Menu menu = (Node.Menu) flow.node("main_menu");

        assertEquals("main_menu.1", menu.options().get("1").target());
        Node.Queue queue = assertInstanceOf(Node.Queue.class, flow.node("main_menu.1"));
        assertEquals("billing", queue.queue());
        assertNull(queue.prompt());

        assertEquals("main_menu.2", menu.options().get("2").target());
        Node.Transfer ext = assertInstanceOf(Node.Transfer.class, flow.node("main_menu.2"));
        assertEquals(Node.TransferKind.EXTENSION, ext.to());
        assertEquals("2000", ext.destination());

        // a target that is a node of the file is used as it is
        assertEquals("sales", menu.options().get("3").target());
        assertFalse(flow.nodes().containsKey("main_menu.3"));
    }

    @Test
    void legacyLeafRoutesToAQueueOrToAnotherNode() {
        Flow flow = loadClean("legacy-synthetic.json", LEGACY);
        Node.Queue sales = assertInstanceOf(Node.Queue.class, flow.node("sales"));
        assertEquals("sales_team", sales.queue());
        assertEquals("Connecting you to sales.", textOf(sales.prompt(), "en-US"));
        Node.Goto overflow = assertInstanceOf(Node.Goto.class, flow.node("overflow"));
        assertEquals("sales", overflow.target());
    }

    @Test
    void legacyFallbackActionIsTakenAtTheFirstFailureAndNeedsNoGoodbye() {
        Flow flow = loadClean("legacy-synthetic.json", LEGACY);
        InputHandling h = ((Node.Menu) flow.node("main_menu")).handling();
        assertEquals("main_menu.fallback", h.fallback());
        assertEquals(1, h.noInput().max());
        assertEquals(1, h.noMatch().max());
        Node.Transfer operator = assertInstanceOf(Node.Transfer.class, flow.node("main_menu.fallback"));
        assertEquals("0", operator.destination());
        assertFalse(flow.nodes().containsKey("_goodbye"));
    }

    @Test
    void legacyMenuWithoutFallbackRepeatsLikeTheSeed() {
        Flow flow = loadClean("no-fallback.json", """
                {"main_menu": {"prompt": "Press 1.", "options": {"1": {"action": "route_to_queue", "target": "q"}}}}
                """);
        InputHandling h = ((Node.Menu) flow.node("main_menu")).handling();
        assertEquals("_goodbye", h.fallback());
        assertEquals(3, h.noInput().max());
        assertInstanceOf(Node.Hangup.class, flow.node("_goodbye"));
    }

    @Test
    void legacyTargetsOutsideTheFileAreWarningsThatSayHowTheyAreTaken() {
        assertEquals(List.of(
                "legacy-synthetic.json:5:57: warning [platform-target] /main_menu/options/1/target: \"billing\" names"
                        + " no node of this file: it is taken as the queue \"billing\" on the platform",
                "legacy-synthetic.json:6:64: warning [platform-target] /main_menu/options/2/target: \"2000\" names"
                        + " no node of this file: it is taken as the extension \"2000\" on the platform",
                "legacy-synthetic.json:9:67: warning [platform-target] /main_menu/fallback/target: \"0\" names"
                        + " no node of this file: it is taken as the extension \"0\" on the platform",
                "legacy-synthetic.json:14:19: warning [platform-target] /sales/target: \"sales_team\" names"
                        + " no node of this file: it is taken as the queue \"sales_team\" on the platform"),
                load("legacy-synthetic.json", LEGACY).diagnostics().stream().map(Diagnostic::format).toList());
    }

    @Test
    void legacyTargetOneTypoAwayFromANodeIsAnError() {
        FlowLoader.Loaded loaded = load("typo.json", """
                {"main_menu": {"prompt": "Press 1.", "options": {"1": {"action": "route_to_queue", "target": "slaes"}}},
                 "sales": {"action": "route_to_queue", "target": "sales_team"}}
                """);
        assertTrue(loaded.hasErrors());
        Diagnostic d = loaded.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
        assertEquals("unknown-target", d.rule());
        assertEquals("/main_menu/options/1/target", d.pointer());
        assertTrue(d.message().contains("did you mean node sales?"), d.message());
    }

    @Test
    void legacyFileWithoutMainMenuIsAnError() {
        FlowLoader.Loaded loaded = load("no-entry.json", """
                {"other": {"action": "transfer_to_extension", "target": "1001"}}
                """);
        assertTrue(loaded.hasErrors());
        Diagnostic d = loaded.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
        assertEquals("unknown-target", d.rule());
        assertEquals("", d.pointer());
        assertTrue(d.message().contains("main_menu"));
    }

    // ---------------------------------------------------------------- full format defaults

    static final String DEFAULTS = """
            {
              "ivrflow": 1,
              "id": "defaults",
              "start": "pick",
              "languages": ["fr-FR", "en-US"],
              "nodes": {
                "pick": {
                  "type": "language",
                  "prompt": {"fr-FR": "Pour le français, tapez 1.", "en-US": "For English, press 2."},
                  "options": {"1": "fr-FR", "2": "en-US"},
                  "next": "menu"
                },
                "menu": {
                  "type": "menu",
                  "prompt": {"fr-FR": "Tapez 1 ou 12.", "en-US": "Press 1 or 12."},
                  "options": {"1": "account", "12": {"next": "bye"}, "0": {"repeat": true}},
                  "fallback": "bye"
                },
                "hashmenu": {
                  "type": "menu",
                  "prompt": {"fr-FR": "Tapez dièse.", "en-US": "Press pound."},
                  "options": {"#": "bye"},
                  "noInput": {"max": 2, "prompts": ["Allô ?", {"ref": "sorry"}], "next": "menu"},
                  "noMatch": {"prompt": "Non.", "max": 5},
                  "reprompt": "Dièse ?",
                  "input": {"firstDigitTimeout": 8, "interDigitTimeout": 2, "terminator": "*", "bargeIn": false},
                  "fallback": "bye"
                },
                "account": {
                  "type": "collect",
                  "prompt": {"fr-FR": "Numéro de compte ?", "en-US": "Account number?"},
                  "variable": "account",
                  "next": "find",
                  "fallback": "bye"
                },
                "find": {"type": "lookup", "source": "directory", "next": "bye"},
                "bye": {"type": "hangup"}
              },
              "prompts": {"sorry": {"fr-FR": "Désolé.", "en-US": "Sorry."}}
            }
            """;

    @Test
    void fullFormatHeaderDefaults() {
        Flow flow = loadClean("defaults.json", DEFAULTS);
        assertFalse(flow.legacy());
        assertEquals("defaults", flow.id());
        assertEquals("pick", flow.start());
        assertEquals(List.of("fr-FR", "en-US"), flow.languages());
        assertEquals("fr-FR", flow.defaultLanguage(), "the default language is the first one");
        assertEquals(ZoneId.of("UTC"), flow.timezone());
        assertTrue(flow.voices().isEmpty());
        assertTrue(flow.messages().isEmpty());
        assertEquals(List.of("pick", "menu", "hashmenu", "account", "find", "bye"), List.copyOf(flow.nodes().keySet()),
                "nodes keep file order");
    }

    @Test
    void explicitDefaultLanguageMustBeDeclared() {
        Flow flow = loadClean("explicit.json", DEFAULTS.replace("\"languages\": [\"fr-FR\", \"en-US\"],",
                "\"languages\": [\"fr-FR\", \"en-US\"], \"defaultLanguage\": \"en-US\",\n  \"timezone\": \"Europe/Paris\","));
        assertEquals("en-US", flow.defaultLanguage());
        assertEquals(ZoneId.of("Europe/Paris"), flow.timezone());

        FlowLoader.Loaded bad = load("bad-default.json", DEFAULTS.replace("\"languages\": [\"fr-FR\", \"en-US\"],",
                "\"languages\": [\"fr-FR\", \"en-US\"], \"defaultLanguage\": \"de-DE\","));
        assertEquals(List.of("schema /defaultLanguage"),
                bad.diagnostics().stream().map(d -> d.rule() + " " + d.pointer()).toList());
    }

    @Test
    void menuInputDefaults() {
        Flow flow = loadClean("defaults.json", DEFAULTS);
        Node.Menu menu = (Node.Menu) flow.node("menu");
        InputSpec in = menu.handling().input();
        assertEquals(Duration.ofSeconds(5), in.firstDigitTimeout());
        assertEquals(Duration.ofSeconds(3), in.interDigitTimeout());
        assertEquals("#", in.terminator());
        assertEquals(1, in.minDigits());
        assertEquals(2, in.maxDigits(), "as long as the longest option");
        assertTrue(in.bargeIn());
        assertNull(menu.handling().reprompt());
        for (RetryPolicy r : List.of(menu.handling().noInput(), menu.handling().noMatch())) {
            assertEquals(3, r.max());
            assertEquals(List.of(), r.prompts());
            assertNull(r.next());
        }
        assertEquals("bye", menu.handling().noInputExit());
        assertEquals("bye", menu.handling().noMatchExit());
        assertEquals(new Node.Choice("account", false, "/nodes/menu/options/1"), menu.options().get("1"));
        assertEquals(new Node.Choice("bye", false, "/nodes/menu/options/12/next"), menu.options().get("12"));
        assertEquals(new Node.Choice(null, true, "/nodes/menu/options/0"), menu.options().get("0"));
    }

    @Test
    void menuWithAHashOptionHasNoDefaultTerminatorAndExplicitValuesWin() {
        Flow flow = loadClean("defaults.json", DEFAULTS);
        Node.Menu menu = (Node.Menu) flow.node("hashmenu");
        InputHandling h = menu.handling();
        assertEquals("*", h.input().terminator());
        assertEquals(Duration.ofSeconds(8), h.input().firstDigitTimeout());
        assertEquals(Duration.ofSeconds(2), h.input().interDigitTimeout());
        assertFalse(h.input().bargeIn());
        assertEquals(2, h.noInput().max());
        assertEquals("menu", h.noInputExit());
        assertEquals("bye", h.noMatchExit());
        assertEquals(5, h.noMatch().max());
        assertEquals(List.of("hashmenu.noInput.1", "@sorry"), h.noInput().prompts().stream().map(Prompt::key).toList());
        assertEquals("Désolé.", textOf(h.noInput().promptFor(2), "fr-FR"));
        assertEquals("Désolé.", textOf(h.noInput().promptFor(7), "fr-FR"), "the last prompt repeats");
        assertEquals("hashmenu.noMatch", h.noMatch().prompts().get(0).key());
        assertEquals("/nodes/hashmenu/noMatch/prompt", h.noMatch().prompts().get(0).pointer());
        assertEquals("Dièse ?", textOf(h.reprompt(), "fr-FR"));

        Flow noTerminator = loadClean("hash.json", DEFAULTS.replace(
                "\"input\": {\"firstDigitTimeout\": 8, \"interDigitTimeout\": 2, \"terminator\": \"*\", \"bargeIn\": false},",
                ""));
        assertEquals("", ((Node.Menu) noTerminator.node("hashmenu")).handling().input().terminator(),
                "# is an option, so it cannot end the entry");
    }

    @Test
    void collectLanguageAndLookupDefaults() {
        Flow flow = loadClean("defaults.json", DEFAULTS);
        Node.Collect collect = (Node.Collect) flow.node("account");
        assertEquals("#", collect.handling().input().terminator());
        assertEquals(20, collect.handling().input().maxDigits());
        assertEquals(3, collect.handling().noInput().max());
        assertNull(collect.pattern());
        assertFalse(collect.sensitive());

        Node.Language language = (Node.Language) flow.node("pick");
        assertEquals("menu", language.handling().fallback(), "a language menu falls back to next");
        assertEquals("menu", language.handling().noInputExit());
        assertEquals("menu", language.handling().noMatchExit());
        assertEquals("", language.handling().input().terminator());
        assertEquals(1, language.handling().input().maxDigits());
        assertEquals(Map.of("1", "fr-FR", "2", "en-US"), language.options());

        Node.Lookup lookup = (Node.Lookup) flow.node("find");
        assertEquals(Duration.ofSeconds(2), lookup.timeout());
        assertEquals(Map.of("profile", "default", "term", "${caller}"), lookup.params());
        assertEquals("bye", lookup.notFoundExit());
        assertEquals("bye", lookup.failureExit());

        Node.Hangup bye = (Node.Hangup) flow.node("bye");
        assertEquals("normal", bye.reason());
        assertNull(bye.prompt());
    }

    @Test
    void languageNodeFallbackCanBeOverridden() {
        Flow flow = loadClean("lang.json", DEFAULTS.replace("\"next\": \"menu\"\n", "\"next\": \"menu\", \"fallback\": \"bye\"\n"));
        Node.Language language = (Node.Language) flow.node("pick");
        assertEquals("bye", language.handling().fallback());
        assertEquals("menu", language.next());
    }

    // ---------------------------------------------------------------- prompts

    static final String PROMPTS = """
            {
              "ivrflow": 1,
              "id": "prompts",
              "start": "plain",
              "languages": ["en-US", "es-US"],
              "defaultLanguage": "es-US",
              "prompts": {
                "welcome": {"en-US": "Welcome.", "es-US": {"ssml": "<speak>Bienvenido.</speak>"}},
                "beep": {"audio": "audio/beep.wav"}
              },
              "messages": {"goodbye": {"en-US": "Bye.", "es-US": "Adiós."}},
              "nodes": {
                "plain": {"type": "say", "prompt": "Hola.", "next": "text"},
                "text": {"type": "say", "prompt": {"text": "Hola ${name}."}, "next": "ssml"},
                "ssml": {"type": "say", "prompt": {"ssml": "<speak>Hola <break time='1s'/> amigo.</speak>"}, "next": "audio"},
                "audio": {"type": "play", "prompt": {"audio": "https://example.com/hola.wav"}, "next": "both"},
                "both": {
                  "type": "say",
                  "prompt": {"en-US": "Hello.", "es-US": {"text": "Hola.", "audio": "es/hola.wav"}},
                  "next": "ref"
                },
                "ref": {"type": "say", "prompt": {"ref": "welcome"}, "next": "beep"},
                "beep": {"type": "play", "prompt": {"ref": "beep"}, "next": "bye"},
                "bye": {"type": "hangup"}
              }
            }
            """;

    @Test
    void aStringPromptIsTextInTheDefaultLanguage() {
        Flow flow = loadClean("prompts.json", PROMPTS);
        Prompt p = flow.node("plain").prompt();
        assertEquals(Map.of("es-US", PromptVariant.ofText("Hola.")), p.byLanguage());
        assertEquals("plain", p.key());
        assertEquals("/nodes/plain/prompt", p.pointer());
    }

    @Test
    void oneVariantObjectsAreInTheDefaultLanguage() {
        Flow flow = loadClean("prompts.json", PROMPTS);
        assertEquals(Map.of("es-US", new PromptVariant("Hola ${name}.", null, null)),
                flow.node("text").prompt().byLanguage());
        assertEquals(Map.of("es-US", new PromptVariant(null, "<speak>Hola <break time='1s'/> amigo.</speak>", null)),
                flow.node("ssml").prompt().byLanguage());
        assertEquals(Map.of("es-US", new PromptVariant(null, null, "https://example.com/hola.wav")),
                flow.node("audio").prompt().byLanguage());
        assertEquals("say", flow.node("audio").kind(), "play is say for recorded audio");
    }

    @Test
    void aPerLanguageMapMixesStringsAndVariants() {
        Flow flow = loadClean("prompts.json", PROMPTS);
        Prompt p = flow.node("both").prompt();
        assertEquals(Map.of("en-US", PromptVariant.ofText("Hello."),
                "es-US", new PromptVariant("Hola.", null, "es/hola.wav")), p.byLanguage());
        assertEquals("Hello.", p.variant("en-US", "es-US").orElseThrow().text());
        assertEquals("Hola.", p.variant("fr-FR", "es-US").orElseThrow().text(),
                "a language the prompt lacks falls back to the default language");
    }

    @Test
    void aRefIsResolvedFromTheLibraryAndKeepsItsUseSitePointer() {
        Flow flow = loadClean("prompts.json", PROMPTS);
        Prompt welcome = flow.node("ref").prompt();
        assertEquals("@welcome", welcome.key());
        assertEquals("/nodes/ref/prompt", welcome.pointer());
        assertEquals(Map.of("en-US", PromptVariant.ofText("Welcome."),
                "es-US", new PromptVariant(null, "<speak>Bienvenido.</speak>", null)), welcome.byLanguage());
        Prompt beep = flow.node("beep").prompt();
        assertEquals(Map.of("es-US", new PromptVariant(null, null, "audio/beep.wav")), beep.byLanguage());
        assertEquals("Adiós.", textOf(flow.messages().get("goodbye"), "es-US"));
    }

    @Test
    void anUnknownRefIsAnUnknownPromptError() {
        FlowLoader.Loaded loaded = load("prompts.json", PROMPTS.replace("{\"ref\": \"beep\"}", "{\"ref\": \"boop\"}"));
        assertEquals(1, loaded.diagnostics().size());
        Diagnostic d = loaded.diagnostics().get(0);
        assertEquals("unknown-prompt", d.rule());
        assertEquals("/nodes/beep/prompt/ref", d.pointer());
        assertEquals(23, d.line());
        assertNotNull(loaded.flow(), "the flow is still built, for the linter");
        assertTrue(loaded.flow().node("beep").prompt().byLanguage().isEmpty());
    }

    @Test
    void spokenTextOfSsmlLeavesTheTagsOut() {
        Flow flow = loadClean("prompts.json", PROMPTS);
        String spoken = flow.node("ssml").prompt().byLanguage().get("es-US").spokenText();
        assertFalse(spoken.contains("<"));
        assertTrue(spoken.contains("Hola") && spoken.contains("amigo"));
    }

    // ---------------------------------------------------------------- errors carry pointers

    static final String BASE = """
            {
              "ivrflow": 1,
              "id": "base",
              "start": "hello",
              "languages": ["en-US"],
              "nodes": {
                "hello": {"type": "say", "prompt": "Hello.", "next": "bye"},
                "bye": {"type": "hangup", "prompt": "Goodbye."}
              }
            }
            """;

    static final String HELLO = "\"hello\": {\"type\": \"say\", \"prompt\": \"Hello.\", \"next\": \"bye\"}";

    static Arguments broken(String description, String from, String to, String pointer, String messagePart,
                            boolean flowBuilt) {
        return Arguments.of(description, BASE.replace(from, to), pointer, messagePart, flowBuilt);
    }

    static Stream<Arguments> schemaErrors() {
        return Stream.of(
                broken("unknown node property", HELLO, HELLO.replace("}", ", \"colour\": \"red\"}"),
                        "/nodes/hello/colour", "unknown property \"colour\"", false),
                broken("unknown top-level property", "\"id\": \"base\",", "\"id\": \"base\", \"colour\": 1,",
                        "/colour", "unknown property \"colour\"", false),
                broken("unknown node type", "\"type\": \"say\"", "\"type\": \"speak\"",
                        "/nodes/hello/type", "\"speak\" is not one of [\"menu\", \"say\"", false),
                broken("missing required property of a node", "\"prompt\": \"Hello.\", ", "",
                        "/nodes/hello", "prompt", false),
                broken("missing required property of the flow", "\"start\": \"hello\",", "",
                        "", "start", false),
                broken("wrong format version", "\"ivrflow\": 1", "\"ivrflow\": 2", "/ivrflow", "1", false),
                broken("bad node id in a reference", "\"next\": \"bye\"", "\"next\": \"b y e\"",
                        "/nodes/hello/next", "\"b y e\" does not match", false),
                broken("bad time format", HELLO, "\"hello\": {\"type\": \"schedule\", \"hours\": {\"weekly\": "
                        + "[{\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"25:00\"}]}, \"open\": \"bye\", "
                        + "\"closed\": \"bye\"}", "/nodes/hello/hours/weekly/0/to", "\"25:00\" does not match", false),
                broken("bad day name", HELLO, "\"hello\": {\"type\": \"schedule\", \"hours\": {\"weekly\": "
                        + "[{\"days\": [\"monday\"], \"from\": \"09:00\", \"to\": \"17:00\"}]}, \"open\": \"bye\", "
                        + "\"closed\": \"bye\"}", "/nodes/hello/hours/weekly/0/days/0", "\"monday\" does not match", false),
                broken("transfer with two destinations", HELLO, HELLO + ", \"op\": {\"type\": \"transfer\", "
                        + "\"number\": \"+15551234567\", \"sip\": \"sip:op@example.com\"}",
                        "/nodes/op", "exactly one", true),
                broken("transfer with no destination", HELLO, HELLO + ", \"op\": {\"type\": \"transfer\"}",
                        "/nodes/op", "found 0", true),
                broken("unknown time zone", "\"id\": \"base\",", "\"id\": \"base\", \"timezone\": \"Mars/Olympus\",",
                        "/timezone", "unknown time zone", true),
                broken("numeric test on a non-number", HELLO, "\"hello\": {\"type\": \"condition\", \"rules\": "
                        + "[{\"var\": \"n\", \"lt\": \"three\", \"next\": \"bye\"}], \"otherwise\": \"bye\"}",
                        "/nodes/hello/rules/0/lt", "compares numbers", true),
                broken("bad regular expression", HELLO, "\"hello\": {\"type\": \"collect\", \"prompt\": \"PIN?\", "
                        + "\"variable\": \"pin\", \"pattern\": \"[0-9\", \"next\": \"bye\", \"fallback\": \"bye\"}",
                        "/nodes/hello/pattern", "regular expression", true),
                broken("until before date", HELLO, "\"hello\": {\"type\": \"schedule\", \"hours\": {\"exceptions\": "
                        + "[{\"date\": \"2026-12-31\", \"until\": \"2026-12-24\", \"closed\": true}]}, "
                        + "\"open\": \"bye\", \"closed\": \"bye\"}",
                        "/nodes/hello/hours/exceptions/0/until", "before", true),
                broken("impossible date", HELLO, "\"hello\": {\"type\": \"schedule\", \"hours\": {\"holidays\": "
                        + "[{\"date\": \"2026-02-30\"}]}, \"open\": \"bye\", \"closed\": \"bye\"}",
                        "/nodes/hello/hours/holidays/0/date", "not a date", true),
                broken("minDigits over maxDigits", HELLO, "\"hello\": {\"type\": \"collect\", \"prompt\": \"PIN?\", "
                        + "\"variable\": \"pin\", \"input\": {\"minDigits\": 6, \"maxDigits\": 4}, \"next\": \"bye\", "
                        + "\"fallback\": \"bye\"}", "/nodes/hello/input", "minDigits 6", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaErrors")
    void schemaErrorsCarryJsonPointers(String description, String json, String pointer, String messagePart,
                                       boolean flowBuilt) {
        FlowLoader.Loaded loaded = load("broken.json", json);
        List<String> all = loaded.diagnostics().stream().map(Diagnostic::format).toList();
        assertEquals(1, all.size(), () -> String.join("\n", all));
        Diagnostic d = loaded.diagnostics().get(0);
        assertEquals("schema", d.rule());
        assertTrue(d.isError());
        assertEquals(pointer, d.pointer(), () -> d.format());
        assertTrue(d.message().contains(messagePart), () -> d.format());
        assertEquals("broken.json", d.file());
        assertTrue(d.line() > 0, () -> d.format());
        assertEquals(flowBuilt, loaded.flow() != null,
                "JSON Schema errors stop the build; the reader's own checks keep the flow for the linter");
    }

    @Test
    void legacySchemaErrorsCarryPointersToo() {
        FlowLoader.Loaded loaded = load("legacy.json", """
                {
                    "main_menu": {
                        "prompt": "Press 1.",
                        "options": {"1": {"action": "dial", "target": "1001"}}
                    },
                    "desk": {"action": "transfer_to_extension"}
                }
                """);
        assertNull(loaded.flow());
        assertEquals(List.of("/main_menu/options/1/action @4", "/desk @6"), loaded.diagnostics().stream()
                .map(d -> d.pointer() + " @" + d.line()).toList());
        assertTrue(loaded.diagnostics().get(1).message().contains("target"));
    }

    @Test
    void jsonErrorsHaveALineAndNoFlow() {
        FlowLoader.Loaded syntax = load("syntax.json", BASE.replace("\"prompt\": \"Hello.\",", "\"prompt\": \"Hello.\""));
        assertNull(syntax.flow());
        assertEquals(1, syntax.diagnostics().size());
        assertEquals("json", syntax.diagnostics().get(0).rule());
        assertEquals(7, syntax.diagnostics().get(0).line());

        FlowLoader.Loaded duplicate = load("dup.json", BASE.replace("\"next\": \"bye\"}", "\"next\": \"bye\", \"next\": \"hello\"}"));
        assertNull(duplicate.flow());
        assertEquals("json", duplicate.diagnostics().get(0).rule());
        assertTrue(duplicate.diagnostics().get(0).message().contains("next"));
        assertEquals(7, duplicate.diagnostics().get(0).line());

        FlowLoader.Loaded notObject = load("array.json", "[" + BASE + "]");
        assertNull(notObject.flow());
        assertEquals("json", notObject.diagnostics().get(0).rule());
    }

    @Test
    void textAfterTheFlowObjectIsAJsonError() {
        FlowLoader.Loaded trailing = load("trailing.json", BASE + "}\n");
        assertNull(trailing.flow(), "a stray closing brace must not go unnoticed");
        assertEquals(List.of("json"), trailing.diagnostics().stream().map(Diagnostic::rule).toList());
        assertEquals(11, trailing.diagnostics().get(0).line());

        FlowLoader.Loaded twoObjects = load("two.json", BASE + BASE);
        assertNull(twoObjects.flow());
        assertEquals("json", twoObjects.diagnostics().get(0).rule());
    }
}
