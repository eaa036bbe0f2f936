package io.ivrflow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    private record Output(int code, String out, String err) {
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lintPassesOnTheExamplesAndReportsCounts() {
        Output o = run("lint", "flows");
        assertEquals(0, o.code(), o.out());
        assertTrue(o.out().contains("0 error(s)"), o.out());
        assertTrue(o.out().matches("(?s).*\\d+ flow file\\(s\\) checked.*"), o.out());
    }

    @Test
    void lintFailsWithOneLinePerProblem(@TempDir Path dir) throws IOException {
        Path flow = dir.resolve("broken.json");
        Files.writeString(flow, """
                {"ivrflow": 1, "id": "broken", "start": "a", "languages": ["en-US"],
                 "nodes": {"a": {"type": "say", "prompt": "Hello", "next": "nowhere"}}}
                """);
        Output o = run("lint", flow.toString());
        assertEquals(1, o.code());
        assertTrue(o.out().contains(flow + ":2:"), o.out());
        assertTrue(o.out().contains("error [unknown-target] /nodes/a/next: node nowhere does not exist"), o.out());
        assertTrue(o.out().contains("1 error(s)"), o.out());
    }

    @Test
    void strictLintFailsOnWarnings() {
        Output o = run("lint", "--strict", "flows/wazo-ivr-plugin.json");
        assertEquals(1, o.code(), "the seed has an unreachable node: a warning");
        assertTrue(o.out().contains("warning [unreachable] /voicemail_menu"), o.out());
        assertEquals(0, run("lint", "flows/wazo-ivr-plugin.json").code());
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(2, run("lint").code());
        assertEquals(2, run("lint", "no/such/dir").code());
        assertEquals(2, run("simulate", "flows/inspireworks.json", "--frobnicate").code());
        Output o = run("simulate", "flows/inspireworks.json", "jump");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown step jump"), o.err());
    }

    @Test
    void lintWithAnInventoryMakesNamesThePlatformLacksErrors(@TempDir Path dir) throws IOException {
        Path inventory = dir.resolve("inventory.json");
        Files.writeString(inventory, """
                {"queues": ["sales", "support"], "extensions": ["1000@default", "1001", "1002"],
                 "mailboxes": ["general", "slaes"], "agents": [2001]}
                """);
        Output o = run("lint", "--inventory", inventory.toString(), "flows");
        assertEquals(1, o.code(), o.out());
        List<String> errors = o.out().lines().filter(l -> l.contains("error [inventory]")).toList();
        assertEquals(List.of(
                "flows/contact-centre.json:186:18: error [inventory] /nodes/sales_busy/mailbox: mailbox \"sales\" is not"
                        + " among the platform's mailboxes (" + inventory + "): it has general, slaes; did you mean"
                        + " \"slaes\"?",
                "flows/wazo-ivr-plugin.json:24:19: error [inventory] /voicemail_menu/target: extension"
                        + " \"voicemail_ext\" is not among the platform's extensions (" + inventory + "): it has"
                        + " 1000@default, 1001, 1002"), errors);
        assertTrue(o.out().contains(" 2 error(s), "), o.out());
    }

    @Test
    void anInventoryThatListsAKindNotAtAllLeavesItUnchecked(@TempDir Path dir) throws IOException {
        Path inventory = dir.resolve("plivo.json");
        Files.writeString(inventory, "{\"queues\": [\"sales\"]}");
        Output o = run("lint", "--inventory", inventory.toString(), "flows/contact-centre.json");
        assertEquals(1, o.code(), o.out());
        assertTrue(o.out().startsWith("inventory " + inventory + " lists no extensions, mailboxes, agents: those are"
                + " not checked"), o.out());
        assertTrue(o.out().contains("/nodes/support_queue/queue: queue \"support\" is not among"), o.out());
        assertFalse(o.out().contains("mailbox \""), o.out());
    }

    @Test
    void aBrokenInventoryIsAUsageError(@TempDir Path dir) throws IOException {
        Path wrongKey = dir.resolve("wrong.json");
        Files.writeString(wrongKey, "{\"queue\": [\"sales\"]}");
        Output o = run("lint", "--inventory", wrongKey.toString(), "flows");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("ivrflow: " + wrongKey + ": unknown key \"queue\": expected [queues, extensions,"
                + " mailboxes, agents]"), o.err());
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"queues\": [");
        assertTrue(run("lint", "--inventory", notJson.toString(), "flows").err().contains("is not JSON"));
        assertEquals(2, run("lint", "--inventory", dir.resolve("none.json").toString(), "flows").code());
        assertEquals(2, run("lint", "flows", "--inventory").code());
    }

    @Test
    void unknownOptionsOfLintAndScenariosAreUsageErrors() {
        Output lint = run("lint", "--stirct", "flows");
        assertEquals(2, lint.code());
        assertTrue(lint.err().startsWith("ivrflow: unknown option --stirct\nusage:"), lint.err());
        assertEquals(2, run("scenarios", "--verbsoe", "flows").code());
    }

    @Test
    void serviceArgumentsAreCamelMainOptionsOnly() {
        assertEquals(java.util.Optional.empty(), Cli.serviceArgumentsProblem(new String[0]));
        assertEquals(java.util.Optional.empty(), Cli.serviceArgumentsProblem(new String[] {"-duration", "10", "-t"}));
        assertEquals(java.util.Optional.of("unknown command 'provison'"),
                Cli.serviceArgumentsProblem(new String[] {"provison"}));
        assertEquals(java.util.Optional.of("unexpected argument 'x'"),
                Cli.serviceArgumentsProblem(new String[] {"-d", "10", "x"}));
        assertEquals(java.util.Optional.of("unknown option '--duration'"),
                Cli.serviceArgumentsProblem(new String[] {"--duration", "10"}));
        assertEquals(java.util.Optional.of("option -pl needs a value"), Cli.serviceArgumentsProblem(new String[] {"-pl"}));
    }

    @Test
    void helpWordsPrintTheUsage() {
        for (String help : new String[] {"help", "--help", "-h", "-help"}) {
            assertTrue(Cli.isCommand(help), help);
            Output o = run(help);
            assertEquals(0, o.code());
            assertTrue(o.out().contains("java -jar target/ivrflow.jar scenarios"), o.out());
        }
    }

    @Test
    void simulatePrintsWhatTheCallerHearsTheTraceAndTheOutcome() {
        Output o = run("simulate", "flows/inspireworks.json", "--at", "2026-11-23T15:00:00Z", "2", "1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("[es-US] Seleccionaste español"), o.out());
        assertTrue(o.out().contains("says (es-US, Polly.Lupe)"), o.out());
        assertTrue(o.out().contains("trace:   level1 > selected > level2 > audio_intro > audio_message > goodbye"),
                o.out());
        assertTrue(o.out().contains("outcome: hung-up:goodbye"), o.out());
    }

    @Test
    void simulateTakesTheWorldFromOptions() {
        Output o = run("simulate", "flows/inspireworks.json", "--transfer", "+15550123456=busy", "1", "2");
        assertTrue(o.out().contains("The call could not be completed"), o.out());
        assertTrue(o.out().contains("outcome: hung-up:associate_failed"), o.out());
        Output vip = run("simulate", "flows/contact-centre.json", "--at", "2026-11-23T15:00:00Z",
                "--lookup", "caller_lookup=found:vip=true,name=Ada");
        assertTrue(vip.out().contains("Welcome back, Ada."), vip.out());
        assertTrue(vip.out().contains("outcome: agent:2001"), vip.out());
    }

    @Test
    void simulateRefusesAFlowWithErrors(@TempDir Path dir) throws IOException {
        Path flow = dir.resolve("broken.json");
        Files.writeString(flow, "{\"ivrflow\": 1, \"id\": \"b\", \"start\": \"x\", \"languages\": [\"en-US\"],"
                + " \"nodes\": {\"a\": {\"type\": \"hangup\"}}}");
        Output o = run("simulate", flow.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("start node x does not exist"), o.err());
        assertFalse(o.out().contains("outcome"));
    }

    @Test
    void scenariosCommandReportsFailuresAndCoverage(@TempDir Path dir) throws IOException {
        Files.copy(Path.of("flows/inspireworks.json"), dir.resolve("inspireworks.json"));
        Files.writeString(dir.resolve("inspireworks.scenarios.json"), """
                {"flow": "inspireworks", "scenarios": [
                  {"name": "english audio", "steps": [{"press": "1"}, {"press": "1"}],
                   "expect": {"outcome": "hung-up:goodbye"}},
                  {"name": "wrong on purpose", "steps": [{"press": "2"}],
                   "expect": {"language": "en-US"}}]}
                """);
        Output o = run("scenarios", "--min-coverage", "100", dir.toString());
        assertEquals(1, o.code());
        assertTrue(o.out().contains("PASS inspireworks: english audio"), o.out());
        assertTrue(o.out().contains("FAIL inspireworks: wrong on purpose"), o.out());
        assertTrue(o.out().contains("language: expected en-US but was es-US"), o.out());
        assertTrue(o.out().contains("missed edge associate -[failure]-> associate_failed"), o.out());
        assertTrue(o.out().contains("1 passed, 1 failed"), o.out());
    }
}
