package io.ivrflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.flowstore.FlowRepository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console end to end: the real service (routes, beans, the example flows plus a broken file) and the page in
 * Debian's headless Chromium. Screenshots of each step go to {@code target/screenshots/}.
 */
class ConsoleBrowserTest extends ServiceTestSupport {

    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** The example flows, their audio, and a file that never loads. */
    private static final Path FLOWS = ConsoleTestFlows.withBrokenFile("console-browser");

    @Override
    protected void properties(Properties p) {
        p.put("ivr.flows.directory", FLOWS.toString());
        p.put("ivr.flows.reload-enabled", "true");
    }

    private String console() {
        return "http://localhost:" + managementPort + "/console";
    }

    @Test
    void listsTheFlowsAndDrawsContactCentreWithItsLabelledEdges() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000, Path.of("target/chromedriver-list.log"))) {
            browser.open(console());
            browser.await(".flow-item[data-flow='contact-centre']");

            // every example flow is listed, and the file that does not load, with its error
            List<String> listed = strings(browser.script(
                    "return [...document.querySelectorAll('.flow-item')].map(e => e.dataset.flow || e.dataset.file)"));
            assertTrue(listed.containsAll(List.of("card-payment", "contact-centre", "inspireworks", "wazo-ivr-plugin",
                    "broken.json")), listed.toString());
            String broken = browser.find(".flow-item[data-file='broken.json']").orElseThrow();
            assertEquals("invalid", browser.attribute(broken, "data-status"));
            String brokenText = browser.text(broken);
            assertTrue(brokenText.contains("[unknown-target]") && brokenText.contains("nowhere"), brokenText);
            String ok = browser.find(".flow-item[data-flow='contact-centre']").orElseThrow();
            assertEquals("ok", browser.attribute(ok, "data-status"));
            // the overview lists every lint result: the broken file's error and the seed flow's warning
            Set<String> rules = Set.copyOf(strings(browser.script(
                    "return [...document.querySelectorAll('#all-diagnostics tr.diagnostic')].map(r => r.dataset.rule)")));
            assertTrue(rules.containsAll(Set.of("unknown-target", "unreachable")), rules.toString());
            browser.screenshot(SCREENSHOTS.resolve("1-list.png"));

            // the broken file: its errors, no picture, no keypad
            browser.click(browser.find(".flow-item[data-file='broken.json'] a").orElseThrow());
            browser.waitUntil("the broken file's lint", () -> browser.find("#flow-lint tr.diagnostic").isPresent());
            assertEquals("unknown-target", browser.attribute(browser.find("#flow-lint tr.diagnostic").orElseThrow(),
                    "data-rule"));
            assertTrue(browser.find("#graph").isEmpty());
            assertEquals(Boolean.TRUE, browser.script("return document.getElementById('phone').hidden").asBoolean());

            // contact-centre as a graph: one box per node, one labelled line per pair of nodes an exit joins
            browser.click(browser.find(".flow-item[data-flow='contact-centre'] a").orElseThrow());
            browser.await("#graph .node[data-node='chime']");
            Flow flow = FlowFiles.load(new FlowLoader(), FLOWS).catalog().find("contact-centre").orElseThrow();
            Set<List<String>> pairs = flow.edges().stream().filter(e -> e.target() != null)
                    .map(e -> List.of(e.from(), e.target())).collect(Collectors.toSet());
            assertEquals(flow.nodes().size(), browser.findAll("#graph .node").size());
            assertEquals(pairs.size(), browser.findAll("#graph .edges .edge path").size());
            Map<String, List<String>> labels = edgeLabels(browser);
            assertEquals(pairs.size(), labels.size(), labels.toString());
            assertEquals(List.of("1"), labels.get("main_menu>tag_sales"));
            assertEquals(List.of("9 repeat"), labels.get("main_menu>main_menu"));
            assertEquals(List.of("no input ×3", "no match ×3"), labels.get("main_menu>operator"));
            assertEquals(List.of("open"), labels.get("hours>language"));
            assertEquals(List.of("closed"), labels.get("hours>closed_message"));
            assertEquals(List.of("holiday"), labels.get("hours>holiday_message"));
            assertEquals(List.of("vip = true"), labels.get("vip_check>vip_greeting"));
            assertEquals(List.of("otherwise"), labels.get("vip_check>hours"));
            assertEquals(List.of("not found", "failure/timeout"), labels.get("caller_lookup>hours"));
            assertEquals(List.of("no agents", "failure"), labels.get("sales>sales_busy"));

            browser.screenshot(SCREENSHOTS.resolve("2-graph.png"));

            // a node's card: its prompt in each language, TTS marked (nothing synthesised in this test)
            browser.click(browser.find("#graph .node[data-node='main_menu']").orElseThrow());
            String card = browser.await("#node-card:not([hidden])");
            browser.waitUntil("main_menu's card", () -> browser.text(card).contains("main_menu"));
            browser.screenshot(SCREENSHOTS.resolve("2-node-card.png"));
            String cardText = browser.text(card);
            assertTrue(cardText.contains("For sales, press 1."), cardText);
            assertTrue(cardText.contains("Para ventas, oprima 1."), cardText);
            assertTrue(cardText.contains("TTS"), cardText);

            // a sub-flow node's card opens the flow it calls
            browser.click(browser.find("#node-card button.close").orElseThrow());
            browser.click(browser.find("#graph .node[data-node='payment']").orElseThrow());
            browser.waitUntil("payment's card", () -> browser.find("#node-card .subflow-link").isPresent());
            browser.click(browser.find("#node-card .subflow-link").orElseThrow());
            browser.waitUntil("card-payment's graph", () -> browser.text(browser.find("#flow-title").orElseThrow())
                    .equals("card-payment") && browser.find("#graph .node[data-node='card_number']").isPresent());
            assertEquals("#/flow/card-payment", browser.script("return location.hash").asText());
        }
    }

    @Test
    void callsContactCentreWithTheKeypadUntilItIsQueued() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000, Path.of("target/chromedriver-call.log"))) {
            browser.open(console() + "#/flow/contact-centre");
            browser.await("#graph .node[data-node='chime']");
            // Monday 10:00 in New York: open
            browser.script("document.getElementById('at').value = '2026-11-23T10:00'");
            browser.click(browser.find("#dial").orElseThrow());
            awaitStatus(browser, "Listening at language");

            // what the caller heard so far: the chime (recorded: a player), then words the platform speaks (TTS)
            List<String> heard = heardWords(browser);
            assertEquals("recording audio/chime.wav", heard.get(0));
            assertTrue(heard.contains("Thank you for calling Acme."), heard.toString());
            assertEquals(List.of("recorded", "tts", "tts"), strings(browser.script(
                    "return [...document.querySelectorAll('#heard li')].map(li => li.dataset.source)")));
            String audio = browser.find("#heard li audio").orElseThrow();
            String src = browser.attribute(audio, "src");
            assertTrue(src.startsWith("/console/audio/audio/chime.wav?v="), src);
            assertEquals(2, browser.findAll("#heard li .tts").size());
            assertEquals("language", currentNode(browser));

            browser.click(key(browser, "1"));
            awaitStatus(browser, "Listening at main_menu");
            assertTrue(heardWords(browser).contains(
                    "For sales, press 1. For support, press 2. For billing, press 3. To hear these options again, press 9."));
            assertEquals("main_menu", currentNode(browser));
            browser.screenshot(SCREENSHOTS.resolve("3-mid-call.png"));

            // silence: the no-input apology and the short re-prompt, still at the menu
            browser.click(browser.find("#silence").orElseThrow());
            browser.waitUntil("the no-input apology", () -> heardWords(browser).contains("Sorry, I didn't hear anything."));
            assertEquals("Press 1 for sales, 2 for support, or 3 for billing.", last(heardWords(browser)));
            awaitStatus(browser, "Listening at main_menu");

            browser.click(key(browser, "1"));
            String outcome = browser.await("#outcome:not([hidden])");
            String outcomeText = browser.text(outcome);
            assertTrue(outcomeText.contains("queued:sales") && outcomeText.contains("Queued for sales"), outcomeText);
            assertEquals(List.of("chime", "welcome", "caller_lookup", "hours", "language", "main_menu", "tag_sales",
                    "sales"), strings(browser.script(
                    "return [...document.querySelectorAll('#trace li')].map(li => li.dataset.node)")));
            assertTrue(browser.text(browser.find("#trace li[data-node='language']").orElseThrow()).contains("open from hours"));
            assertTrue(last(heardWords(browser)).contains("Connecting you to sales"));
            // the graph shows the way the call went
            assertEquals("sales", currentNode(browser));
            assertEquals(Set.of("chime", "welcome", "caller_lookup", "hours", "language", "main_menu", "tag_sales",
                    "sales"), Set.copyOf(strings(browser.script(
                    "return [...document.querySelectorAll('#graph .node.visited')].map(n => n.dataset.node)"))));
            assertEquals(Set.of("chime>welcome", "welcome>caller_lookup", "caller_lookup>hours", "hours>language",
                    "language>main_menu", "main_menu>tag_sales", "tag_sales>sales"), Set.copyOf(strings(browser.script(
                    "return [...document.querySelectorAll('#graph .edges .edge.taken')]"
                            + ".map(e => e.dataset.from + '>' + e.dataset.to)"))));
            assertEquals(List.of(), strings(browser.script("return [...document.querySelectorAll('.key')]"
                    + ".filter(k => !k.disabled).map(k => k.dataset.key)")), "keys still live once the call is over");
            browser.screenshot(SCREENSHOTS.resolve("4-outcome.png"));

            // the player's URL answers with the recording, from the management port
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + managementPort + src)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertEquals("audio/wav", r.headers().firstValue("Content-Type").orElse(""));
            assertArrayEquals("RIFF".getBytes(), java.util.Arrays.copyOf(r.body(), 4));
            assertArrayEquals(Files.readAllBytes(FLOWS.resolve("audio/chime.wav")), r.body());
        }
    }

    @Test
    void redrawsTheOpenFlowWhenItsFileChangesAndShowsARefusedEdit() throws Exception {
        Path fixtures = Path.of("src/test/resources/operate");
        Path file = FLOWS.resolve("hotline.json");
        FlowRepository repository = context.getRegistry().lookupByNameAndType("flowRepository", FlowRepository.class);
        try (HeadlessChromium browser = HeadlessChromium.start(1400, 1000, Path.of("target/chromedriver-reload.log"))) {
            replace(file, fixtures.resolve("hotline-v1.json"));
            browser.waitUntil("hotline to serve", () -> repository.entry("hotline").isPresent());
            String v1 = repository.entry("hotline").orElseThrow().version();
            browser.open(console() + "#/flow/hotline");
            String sales = browser.await("#graph .node[data-node='sales']");
            assertTrue(browser.text(sales).contains("+15550001111"), browser.text(sales));
            assertEquals(v1, browser.script("return document.getElementById('flow').dataset.version").asText());

            // a new version: the page redraws the graph by itself, without being reloaded or navigated
            browser.script("window.notReloaded = true");
            replace(file, fixtures.resolve("hotline-v2.json"));
            browser.waitUntil("the graph to show version 2",
                    () -> textOf(browser, "#graph .node[data-node='sales']").contains("+15550002222"));
            String v2 = repository.entry("hotline").orElseThrow().version();
            assertNotEquals(v1, v2);
            assertEquals(v2, browser.script("return document.getElementById('flow').dataset.version").asText());
            assertTrue(browser.script("return window.notReloaded === true").asBoolean(), "the page was reloaded");
            assertTrue(textOf(browser, "#flow-meta").contains("version " + v2));

            // a broken edit is refused: version 2 still drawn, the badge and the lint table say why
            replace(file, fixtures.resolve("hotline-broken.json"));
            browser.waitUntil("the refused edit's lint", () -> browser.find("#flow-lint tr.diagnostic[data-rule='unknown-target']")
                    .isPresent());
            assertEquals("stale: errors", textOf(browser, "#flow-status"));
            assertTrue(textOf(browser, "#graph .node[data-node='sales']").contains("+15550002222"));
            assertEquals(v2, browser.script("return document.getElementById('flow').dataset.version").asText());
            String refused = repository.entry("hotline").orElseThrow().fileVersion();
            assertTrue(textOf(browser, "#flow-meta").contains("the file's version " + refused + " is refused"));
            browser.screenshot(SCREENSHOTS.resolve("5-refused-edit.png"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The text of the element a selector finds now, read in one script: the page may redraw between finding an
     * element and reading it ("" when there is none).
     */
    private static String textOf(HeadlessChromium browser, String css) {
        return browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", css)
                .asText();
    }

    /** Replaces a flow file in one step, as an editor or a deployment would. */
    private static void replace(Path file, Path content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.copy(content, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    // ---------------------------------------------------------------- helpers

    private static String key(HeadlessChromium browser, String key) {
        String k = browser.find(".key[data-key='" + key + "']").orElseThrow();
        browser.waitUntil("key " + key + " to be live", () -> browser.attribute(k, "disabled") == null);
        return k;
    }

    private static void awaitStatus(HeadlessChromium browser, String status) {
        browser.waitUntil("\"" + status + "\"", () -> browser.find("#call-status")
                .map(s -> browser.text(s).startsWith(status)).orElse(false));
    }

    private static String currentNode(HeadlessChromium browser) {
        List<String> current = strings(browser.script(
                "return [...document.querySelectorAll('#graph .node.current')].map(n => n.dataset.node)"));
        assertEquals(1, current.size(), current.toString());
        return current.get(0);
    }

    private static List<String> heardWords(HeadlessChromium browser) {
        return strings(browser.script(
                "return [...document.querySelectorAll('#heard li .words')].map(w => w.textContent)"));
    }

    /** Label lines of each drawn edge, by {@code from>to}. */
    private static Map<String, List<String>> edgeLabels(HeadlessChromium browser) {
        JsonNode edges = browser.script("return [...document.querySelectorAll('#graph .labels .edge')].map(e => ({"
                + "key: e.dataset.from + '>' + e.dataset.to,"
                + "lines: [...e.querySelectorAll('text')].map(t => t.textContent)}))");
        Map<String, List<String>> out = new HashMap<>();
        edges.forEach(e -> out.put(e.path("key").asText(), strings(e.path("lines"))));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        assertNotNull(array);
        assertFalse(array.isMissingNode(), "no value");
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String last(List<String> list) {
        return list.get(list.size() - 1);
    }

    static {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
