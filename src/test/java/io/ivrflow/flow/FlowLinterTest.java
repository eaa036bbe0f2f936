package io.ivrflow.flow;

import io.ivrflow.flow.Diagnostic.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One defective fixture per lint rule in {@code src/test/resources/lint/}, named {@code <rule>.json} or
 * {@code <rule>.<variant>.json}; {@code ok.*.json} fixtures must be clean. The example flows in {@code flows/}
 * must be clean too (the seed keeps its one known warning).
 */
class FlowLinterTest {

    static final Path LINT = Path.of("src/test/resources/lint");
    static final Path FLOWS = Path.of("flows");
    static final String SEED = "wazo-ivr-plugin.json";

    private static FlowLoader loader;

    @BeforeAll
    static void loader() {
        loader = new FlowLoader();
    }

    /** One diagnostic a fixture must give: severity, exact pointer, line, and a fragment of the message. */
    record Expect(Severity severity, String pointer, int line, String messagePart) {
        @Override
        public String toString() {
            return severity + " " + pointer + " @" + line + " ~ " + messagePart;
        }
    }

    static Expect error(String pointer, int line, String messagePart) {
        return new Expect(Severity.ERROR, pointer, line, messagePart);
    }

    static Expect warning(String pointer, int line, String messagePart) {
        return new Expect(Severity.WARNING, pointer, line, messagePart);
    }

    static Arguments fixture(String file, Expect... expected) {
        return Arguments.of(file, List.of(expected));
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                fixture("json.json", error("", 7, "expecting comma")),
                fixture("json.duplicate-key.json", error("", 9, "Duplicate field 'hello'")),
                fixture("schema.json", error("/nodes/hello/type", 7, "\"dial\" is not one of [\"menu\"")),
                fixture("schema.unknown-property.json", error("/nodes/hello/colour", 7, "unknown property \"colour\"")),
                fixture("schema.bad-time.json", error("/nodes/hours/hours/weekly/0/from", 11, "\"8:00\" does not match")),
                fixture("schema.two-destinations.json",
                        error("/nodes/operator", 9, "exactly one of extension, number or sip (found 2)")),
                fixture("unknown-target.json", error("/nodes/hello/next", 7, "node nowhere does not exist")),
                fixture("unknown-flow.json", error("/nodes/identify/flow", 7, "flow no_such_flow is not loaded")),
                fixture("unknown-language.json", error("/nodes/pick/options/2", 10, "fr-FR")),
                fixture("unknown-prompt.json", error("/nodes/hello/prompt/ref", 10, "no prompt named greting")),
                fixture("unreachable.json", warning("/nodes/orphan", 9, "node orphan cannot be reached from hello")),
                fixture("dead-end.json", error("/nodes/hello", 7, "say node hello has no \"next\"")),
                fixture("unbounded-loop.json", error("/nodes/hold", 8, "[hold, mark, again]")),
                fixture("unbounded-loop.no-exit.json", error("/nodes/count", 9, "[count, hold, check]")),
                fixture("ok.bounded-loop.json"),
                fixture("menu-fallback.json",
                        error("/nodes/menu", 7, "no exit for noInput"),
                        error("/nodes/menu", 7, "no exit for noMatch")),
                fixture("menu-fallback.loops-back.json",
                        error("/nodes/menu/noInput/next", 11, "goes back to menu with no counter")),
                fixture("menu-fallback.silent-hangup.json",
                        error("/nodes/menu", 7, "noInput budget of menu is spent, the call reaches hangup end without"),
                        error("/nodes/menu", 7, "noMatch budget of menu is spent, the call reaches hangup end without")),
                fixture("missing-prompt.json", error("/nodes/bye/prompt", 12, "no es-US version")),
                fixture("missing-recording.json", warning("/nodes/hello/prompt/en-US/audio", 9,
                        "audio/no-such-file.wav does not exist next to the flow; callers hear the text")),
                fixture("prompt-length.json", error("/nodes/hello/prompt/en-US/text", 9, "over Polly's limit of 3000")),
                fixture("ssml.json", error("/nodes/hello/prompt/en-US/ssml", 10, "not well-formed")),
                fixture("ssml.unknown-tag.json", error("/nodes/hello/prompt/en-US/ssml", 9, "<audio>")),
                fixture("platform-limits.json",
                        error("/nodes/menu/input/firstDigitTimeout", 10, "firstDigitTimeout 90 s is outside 1-60 s"),
                        error("/nodes/menu/input/interDigitTimeout", 10, "interDigitTimeout 0.5 s is outside 1-10 s")),
                fixture("platform-limits.fractional.json",
                        warning("/nodes/menu/input/firstDigitTimeout", 10, "rounded up to 8 s")),
                fixture("schedule-empty.json", error("/nodes/hours/hours", 10, "never open")),
                fixture("schedule-empty.same-time.json", error("/nodes/hours/hours/weekly/1", 13, "same time")),
                fixture("schedule-empty.exception.json",
                        error("/nodes/hours/hours/exceptions/0/open", 12, "exception hours are empty")),
                fixture("schedule-overlap.json", warning("/nodes/hours/hours/weekly/1", 13, "overlaps span 0")),
                fixture("schedule-overlap.week-end.json", warning("/nodes/hours/hours/weekly/1", 13, "overlaps span 0")));
    }

    private static String ruleOf(String fixtureName) {
        return fixtureName.substring(0, fixtureName.indexOf('.'));
    }

    /** Lints one fixture as the CLI does: the file, with its folder as context for sub-flows. */
    private static List<Diagnostic> lint(Path file) throws IOException {
        return FlowFiles.load(loader, file).diagnostics();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureTriggersExactlyItsRule(String fixtureName, List<Expect> expected) throws IOException {
        Path file = LINT.resolve(fixtureName);
        assertTrue(Files.isRegularFile(file), file + " is missing");
        String rule = ruleOf(fixtureName);
        List<Diagnostic> diagnostics = lint(file);

        assertEquals(expected.size(), diagnostics.size(),
                () -> "diagnostics of " + fixtureName + ":\n" + formatAll(diagnostics));
        for (int i = 0; i < expected.size(); i++) {
            Expect e = expected.get(i);
            Diagnostic d = diagnostics.get(i);
            String all = formatAll(diagnostics);
            assertEquals(rule, d.rule(), () -> "only rule " + rule + " may fire:\n" + all);
            assertEquals(e.severity(), d.severity(), all);
            assertEquals(e.pointer(), d.pointer(), all);
            assertTrue(d.message().contains(e.messagePart()), () -> "message of " + d.format() + " lacks \""
                    + e.messagePart() + "\"");
            assertEquals(file.normalize(), Path.of(d.file()), "the diagnostic names its file");
            assertTrue(d.line() > 0 && d.column() > 0, () -> "no location: " + d.format());
            assertEquals(e.line(), d.line(), () -> "line of " + d.format());
            assertFormatShape(d);
        }
    }

    @Test
    void negativeFixtureWithCounterBoundedLoopIsClean() throws IOException {
        Path file = LINT.resolve("ok.bounded-loop.json");
        FlowFiles.Report report = FlowFiles.load(loader, file);
        assertEquals(List.of(), formatList(report.diagnostics()));
        Flow flow = report.catalog().find("lint_ok_bounded_loop").orElseThrow();
        // it really is a loop with no input node in it: the linter accepted it because of the counter
        assertTrue(flow.nodes().values().stream().noneMatch(n -> n instanceof Node.InputNode));
        assertTrue(((Node.Set) flow.node("count")).increment().contains("tries"));
    }

    @Test
    void everyFixtureFileIsCoveredByTheTable() throws IOException {
        Set<String> listed = fixtures().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> onDisk = FlowFiles.list(LINT).stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, listed);
    }

    @Test
    void everyRuleHasAFixture() {
        Set<String> rules = fixtures().map(a -> ruleOf((String) a.get()[0])).collect(Collectors.toSet());
        for (String rule : List.of("json", "schema", "unknown-target", "unknown-flow", "unknown-language",
                "unknown-prompt", "unreachable", "dead-end", "unbounded-loop", "menu-fallback", "missing-prompt",
                "platform-limits", "schedule-empty", "schedule-overlap")) {
            assertTrue(rules.contains(rule), "no fixture for " + rule);
        }
        assertTrue(Files.isDirectory(LINT.resolve("duplicate-id")), "no fixture for duplicate-id");
    }

    @Test
    void platformLimitsOutOfRangeIsAnErrorButFractionalInRangeIsAWarning() throws IOException {
        List<Diagnostic> outOfRange = lint(LINT.resolve("platform-limits.json"));
        assertTrue(outOfRange.stream().allMatch(Diagnostic::isError));
        // 0.5 s is fractional too, but being under the 1 s minimum makes it an error, not a rounding warning
        assertTrue(outOfRange.stream().noneMatch(d -> d.message().contains("rounded")));
        List<Diagnostic> fractional = lint(LINT.resolve("platform-limits.fractional.json"));
        assertEquals(1, fractional.size());
        assertFalse(fractional.get(0).isError());
    }

    @Test
    void duplicateIdIsReportedOnTheSecondFileOfTheFolder() throws IOException {
        Path folder = LINT.resolve("duplicate-id");
        FlowFiles.Report report = FlowFiles.load(loader, folder);
        assertEquals(2, report.files().size());
        Path first = folder.resolve("first.json");
        Path second = folder.resolve("second.json");

        assertEquals(List.of(), formatList(diagnosticsOf(report, first)));
        List<Diagnostic> diagnostics = diagnosticsOf(report, second);
        assertEquals(1, diagnostics.size(), () -> formatAll(diagnostics));
        Diagnostic d = diagnostics.get(0);
        assertEquals("duplicate-id", d.rule());
        assertEquals(Severity.ERROR, d.severity());
        assertEquals("/id", d.pointer());
        assertEquals(second.toString(), d.file());
        assertEquals(3, d.line());
        assertEquals(9, d.column());
        assertTrue(d.message().contains("lint_duplicate") && d.message().contains(first.toString()), d.message());
        assertFormatShape(d);
        assertEquals(1, report.errorCount());
        // only the first file's flow may run
        assertTrue(report.catalog().find("lint_duplicate").isPresent());
        assertEquals(1, report.catalog().all().size());
    }

    @Test
    void formatHasTheShapeCiLogParsersUnderstand() throws IOException {
        Path deadEnd = LINT.resolve("dead-end.json");
        assertEquals(deadEnd + ":7:14: error [dead-end] /nodes/hello: say node hello has no \"next\": the call"
                + " would have nowhere to go", lint(deadEnd).get(0).format());

        Path unreachable = LINT.resolve("unreachable.json");
        assertEquals(unreachable + ":9:15: warning [unreachable] /nodes/orphan: node orphan cannot be reached from"
                + " hello", lint(unreachable).get(0).format());

        // a whole-document problem is written with the root pointer "/"
        Path json = LINT.resolve("json.json");
        assertTrue(lint(json).get(0).format().startsWith(json + ":7:49: error [json] /: not valid JSON: "),
                lint(json).get(0).format());

        // no line known: the file alone, no ":0:0"
        Diagnostic unlocated = new Diagnostic(Severity.WARNING, "a.json", "/nodes/x", 0, 0, "r", "m");
        assertEquals("a.json: warning [r] /nodes/x: m", unlocated.format());
    }

    // ---------------------------------------------------------------- example flows

    private static FlowFiles.Report examples;

    private static synchronized FlowFiles.Report examples() throws IOException {
        if (examples == null) {
            examples = FlowFiles.load(new FlowLoader(), FLOWS);
        }
        return examples;
    }

    /** Every flow file of flows/, listed at test time so that examples added later are checked too. */
    static List<Path> exampleFlows() throws IOException {
        return FlowFiles.list(FLOWS);
    }

    @Test
    void theSeedIsAmongTheExampleFlows() throws IOException {
        assertTrue(exampleFlows().stream().anyMatch(p -> p.getFileName().toString().equals(SEED)));
        assertFalse(exampleFlows().stream().anyMatch(p -> p.getFileName().toString().endsWith(".schema.json")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleFlows")
    void exampleFlowIsClean(Path file) throws IOException {
        FlowLoader.Loaded loaded = examples().files().stream().filter(l -> l.file().equals(file.normalize()))
                .findFirst().orElseThrow(() -> new AssertionError(file + " was not loaded with its folder"));
        List<String> diagnostics = formatList(loaded.diagnostics());
        if (file.getFileName().toString().equals(SEED)) {
            // its extensions are the platform's, said as such; voicemail_menu is reached by no option
            assertEquals(List.of(
                    "flows/wazo-ivr-plugin.json:14:19: warning [platform-target] /sales_queue/target: \"1001\" names"
                            + " no node of this file: it is taken as the extension \"1001\" on the platform",
                    "flows/wazo-ivr-plugin.json:19:19: warning [platform-target] /support_queue/target: \"1002\""
                            + " names no node of this file: it is taken as the extension \"1002\" on the platform",
                    "flows/wazo-ivr-plugin.json:21:23: warning [unreachable] /voicemail_menu: node voicemail_menu"
                            + " cannot be reached from main_menu",
                    "flows/wazo-ivr-plugin.json:24:19: warning [platform-target] /voicemail_menu/target:"
                            + " \"voicemail_ext\" names no node of this file: it is taken as the extension"
                            + " \"voicemail_ext\" on the platform"),
                    diagnostics.stream().sorted().toList());
            assertTrue(loaded.diagnostics().stream().allMatch(d -> d.severity() == Severity.WARNING));
        } else {
            assertEquals(List.of(), diagnostics, "no rule may fire on an example flow");
        }
        assertNotNull(loaded.flow());
        assertTrue(examples().catalog().find(loaded.flow().id()).isPresent(), "the flow is usable");
    }

    // ---------------------------------------------------------------- helpers

    private static final Pattern FORMAT = Pattern.compile(
            "(?<file>.+):(?<line>[1-9][0-9]*):(?<col>[1-9][0-9]*): (?<sev>error|warning) \\[(?<rule>[a-z-]+)] "
                    + "(?<pointer>/[^:]*): (?<message>.+)", Pattern.DOTALL);

    private static void assertFormatShape(Diagnostic d) {
        var m = FORMAT.matcher(d.format());
        if (!m.matches()) {
            fail("not file:line:col: severity [rule] /pointer: message -> " + d.format());
        }
        assertEquals(d.file(), m.group("file"));
        assertEquals(String.valueOf(d.line()), m.group("line"));
        assertEquals(String.valueOf(d.column()), m.group("col"));
        assertEquals(d.severity().name().toLowerCase(), m.group("sev"));
        assertEquals(d.rule(), m.group("rule"));
        assertEquals(d.pointer().isEmpty() ? "/" : d.pointer(), m.group("pointer"));
        assertEquals(d.message(), m.group("message"));
    }

    private static List<Diagnostic> diagnosticsOf(FlowFiles.Report report, Path file) {
        List<Diagnostic> out = new ArrayList<>();
        report.files().stream().filter(l -> l.file().equals(file.normalize()))
                .forEach(l -> out.addAll(l.diagnostics()));
        return out;
    }

    private static List<String> formatList(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::format).toList();
    }

    private static String formatAll(List<Diagnostic> diagnostics) {
        return String.join("\n", formatList(diagnostics));
    }

    @Test
    void lintingABrokenFileGivesNoFlow() throws IOException {
        FlowLoader.Loaded loaded = loader.load(LINT.resolve("json.json"));
        assertNull(loaded.flow());
        assertTrue(loaded.hasErrors());
    }
}
