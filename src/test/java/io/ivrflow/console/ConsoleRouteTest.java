package io.ivrflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Flow;
import io.ivrflow.prompts.AudioCache;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.Prompts;
import io.ivrflow.prompts.SpeechRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's routes as the service runs them (every route file, the real beans) over HTTP: the page and its
 * files, the flows and call API, and the audio, all on the management port and nowhere else.
 */
class ConsoleRouteTest extends ServiceTestSupport {

    private static final Path FLOWS = ConsoleTestFlows.withBrokenFile("console-route");
    /** Empty at first: what the test synthesises is the only audio made. */
    private static final Path CACHE = ConsoleTestFlows.emptyFolder("console-route-cache");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected void properties(Properties p) {
        p.put("ivr.flows.directory", FLOWS.toString());
        // synthesised audio is played when cached (the test makes one prompt), never made on a request
        p.put("ivr.prompts.order", "recorded,cache,platform");
        p.put("ivr.prompts.backends", "local");
        p.put("ivr.prompts.pregenerate-on-start", "false");
        p.put("ivr.prompts.cache-directory", CACHE.toString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send(managementPort, "GET", path, null, headers);
    }

    private JsonNode post(String path, String json, int status) throws Exception {
        HttpResponse<String> r = send(managementPort, "POST", path, json, "Content-Type", "application/json");
        assertEquals(status, r.statusCode(), r.body());
        assertJson(r);
        return JSON.readTree(r.body());
    }

    private static void assertJson(HttpResponse<String> r) {
        assertEquals("application/json; charset=UTF-8", r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    @Test
    void thePageAndItsFilesAreOnTheManagementPortOnly() throws Exception {
        HttpResponse<String> page = get("/console");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                && csp.contains("media-src 'self'") && csp.contains("connect-src 'self'"), csp);
        assertTrue(page.body().contains("<script src=\"/console/assets/console.js\""), page.body());
        // nothing in the page comes from elsewhere
        assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "the page loads from another host");

        HttpResponse<String> js = get("/console/assets/console.js");
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=UTF-8", js.headers().firstValue("Content-Type").orElse(""));
        assertTrue(js.body().contains("/console/api/calls"));
        // the SVG namespace is a name, not a place the script goes to
        assertFalse(js.body().replace("'http://www.w3.org/2000/svg'", "").contains("://"),
                "the script talks to its own server only");
        assertEquals("text/css; charset=UTF-8", get("/console/assets/console.css").headers().firstValue("Content-Type")
                .orElse(""));
        assertEquals(404, get("/console/assets/nope.js").statusCode());
        assertEquals(404, get("/console/assets/..%2F..%2Fapplication.properties").statusCode());
        assertEquals(404, get("/console/assets/index.html").statusCode(), "only scripts, styles and images");

        // the business port, which faces Plivo, has no console
        assertEquals(404, send(httpPort, "GET", "/console", null).statusCode());
        assertEquals(404, send(httpPort, "GET", "/console/api/flows", null).statusCode());
    }

    @Test
    void theFlowsWithTheirLintResultsAndOneFlowInFull() throws Exception {
        HttpResponse<String> r = get("/console/api/flows", "X-Ivrflow-Probe", "echo-me");
        assertEquals(200, r.statusCode(), r.body());
        assertJson(r);
        assertTrue(r.headers().firstValue("X-Ivrflow-Probe").isEmpty(), "request header echoed: " + r.headers());
        JsonNode list = JSON.readTree(r.body());
        JsonNode broken = byField(list.path("flows"), "file", "broken.json");
        assertEquals("invalid", broken.path("status").asText());
        assertTrue(broken.path("id").isNull());
        assertEquals(1, broken.path("errors").asInt());
        JsonNode error = broken.path("diagnostics").get(0);
        assertEquals("error", error.path("severity").asText());
        assertEquals("unknown-target", error.path("rule").asText());
        assertEquals("/nodes/hello/next", error.path("pointer").asText());
        assertTrue(error.path("message").asText().contains("nowhere"), error.toString());
        JsonNode seed = byField(list.path("flows"), "id", "wazo-ivr-plugin");
        assertEquals("ok", seed.path("status").asText());
        JsonNode unreachable = byField(seed.path("diagnostics"), "rule", "unreachable");
        assertEquals("voicemail_menu", unreachable.path("node").asText());
        JsonNode platformTarget = byField(seed.path("diagnostics"), "rule", "platform-target");
        assertEquals("warning", platformTarget.path("severity").asText());
        assertEquals("sales_queue", platformTarget.path("node").asText(), "each warning is shown on its node");
        assertEquals(25, byField(list.path("flows"), "id", "contact-centre").path("nodeCount").asInt());

        JsonNode cc = JSON.readTree(get("/console/api/flows/contact-centre").body());
        assertEquals("chime", cc.path("start").asText());
        assertEquals("America/New_York", cc.path("timezone").asText());
        assertEquals(25, cc.path("graph").path("nodes").size());
        JsonNode open = byField(cc.path("graph").path("edges"), "to", "language");
        assertEquals("open", open.path("labels").get(0).path("text").asText());
        assertTrue(cc.path("graph").path("width").asDouble() > 200);
        JsonNode menu = byField(cc.path("nodes"), "id", "main_menu");
        assertEquals(List.of("on entry", "re-prompt", "no input 1", "no match 1"), texts(menu.path("prompts"), "role"));
        assertEquals("Para ventas, oprima 1. Para soporte, oprima 2. Para facturación, oprima 3. Para volver a escuchar"
                + " estas opciones, oprima 9.", menu.path("prompts").get(0).path("languages").get(1).path("text").asText());
        assertTrue(texts(menu.path("exits"), "label").containsAll(List.of("1", "9 repeat", "no input ×3")));

        HttpResponse<String> missing = get("/console/api/flows/nope");
        assertEquals(404, missing.statusCode());
        assertJson(missing);
        assertEquals("no flow nope is loaded", JSON.readTree(missing.body()).path("error").asText());
        assertEquals(405, send(managementPort, "POST", "/console/api/flows", "{}").statusCode());
    }

    @Test
    void aCallOverHttpFromDialToHangUp() throws Exception {
        JsonNode c = post("/console/api/calls", "{\"flow\": \"inspireworks\", \"at\": \"2026-11-23T15:00:00Z\"}", 201);
        String id = c.path("id").asText();
        assertEquals("level1", c.path("node").path("id").asText());
        assertTrue(c.path("listening").asBoolean());

        JsonNode spanish = post("/console/api/calls/" + id + "/keys", "{\"keys\": \"2\"}", 200);
        assertEquals("level2", spanish.path("node").path("id").asText());
        assertEquals("es-US", spanish.path("language").asText());
        JsonNode silent = post("/console/api/calls/" + id + "/wait", null, 200);
        assertEquals("No recibimos su selección. Por favor, inténtelo de nuevo.",
                silent.path("heard").get(silent.path("heard").size() - 2).path("words").asText());
        HttpResponse<String> seen = get("/console/api/calls/" + id);
        assertEquals(200, seen.statusCode());
        assertEquals(silent, JSON.readTree(seen.body()));
        JsonNode hung = post("/console/api/calls/" + id + "/hangup", null, 200);
        assertEquals("caller-hung-up:level2", hung.path("outcome").path("label").asText());
        assertEquals(409, send(managementPort, "POST", "/console/api/calls/" + id + "/keys", "{\"keys\": \"1\"}",
                "Content-Type", "application/json").statusCode());

        // refusals are JSON with a reason, never a stack trace
        JsonNode bad = post("/console/api/calls", "{\"flow\": ", 400);
        assertTrue(bad.path("error").asText().startsWith("the body is not JSON"), bad.toString());
        assertEquals(400, post("/console/api/calls", "{\"flow\": \"broken\"}", 400).path("status").asInt());
        assertTrue(post("/console/api/calls/" + id + "/keys", "{\"keys\": \"A\"}", 400).path("error").asText()
                .startsWith("keys must be"));
        JsonNode unknown = post("/console/api/calls/AAAAAAAAAAAAAAAAAAAAAA/keys", "{\"keys\": \"1\"}", 404);
        assertTrue(unknown.path("error").asText().startsWith("no call AAAAAAAAAAAAAAAAAAAAAA"), unknown.toString());
        HttpResponse<String> form = send(managementPort, "POST", "/console/api/calls", "flow=inspireworks",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, form.statusCode(), form.body());
        assertEquals(405, get("/console/api/calls").statusCode());
        assertEquals(405, send(managementPort, "PUT", "/console/api/calls/" + id, "{}").statusCode());
    }

    @Test
    void recordedAndSynthesisedPromptsPlayFromTheManagementPort() throws Exception {
        // the recording of the chime: immutable under its versioned URL
        JsonNode call = post("/console/api/calls", "{\"flow\": \"contact-centre\", \"at\": \"2026-11-23T15:00:00Z\"}", 201);
        String chime = call.path("heard").get(0).path("sound").path("url").asText();
        HttpResponse<byte[]> audio = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                + chime)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, audio.statusCode());
        assertEquals("audio/wav", audio.headers().firstValue("Content-Type").orElse(""));
        assertEquals("RIFF", new String(audio.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        String etag = audio.headers().firstValue("ETag").orElseThrow();
        assertTrue(audio.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
        assertEquals(304, get(chime, "If-None-Match", etag).statusCode());
        assertEquals(404, get("/console/audio/audio/nope.wav").statusCode());
        assertEquals(404, get("/console/audio/../routes/flows-api.camel.yaml").statusCode());
        // the welcome has no audio yet: its words, spoken by the platform
        assertEquals("tts", call.path("heard").get(1).path("sound").path("source").asText());

        // once synthesised (here by the test; pre-generation in the service), the console plays it
        Prompts prompts = context.getRegistry().lookupByNameAndType("prompts", Prompts.class);
        Flow cc = context.getRegistry().lookupByNameAndType("flowRepository", io.ivrflow.flowstore.FlowRepository.class)
                .catalog().find("contact-centre").orElseThrow();
        RenderedPrompt welcome = Engine.render(cc, cc.node("welcome").prompt(), "en-US", Map.of());
        Platform plivo = prompts.platform("plivo");
        AudioCache.Entry made = prompts.resolver().make(SpeechRequest.of(welcome, plivo.target()).orElseThrow(), plivo)
                .get(60, TimeUnit.SECONDS);

        JsonNode node = byField(JSON.readTree(get("/console/api/flows/contact-centre").body()).path("nodes"), "id", "welcome");
        JsonNode english = node.path("prompts").get(0).path("languages").get(0);
        assertEquals("en-US", english.path("language").asText());
        assertEquals("synthesised", english.path("sound").path("source").asText(), english.toString());
        assertEquals("/console/prompts/audio/" + made.fileName(), english.path("sound").path("url").asText());
        assertEquals("tts", node.path("prompts").get(0).path("languages").get(1).path("sound").path("source").asText(),
                "the Spanish one is not made");
        HttpResponse<byte[]> spoken = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                + english.path("sound").path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, spoken.statusCode());
        assertEquals(made.format().contentType(), spoken.headers().firstValue("Content-Type").orElse(""));
        assertTrue(spoken.body().length > 1000, "real speech");

        JsonNode next = post("/console/api/calls", "{\"flow\": \"contact-centre\", \"at\": \"2026-11-23T15:00:00Z\"}", 201);
        assertEquals("synthesised", next.path("heard").get(1).path("sound").path("source").asText());
        assertEquals(404, get("/console/prompts/audio/00000000000000000000000000000000.wav").statusCode());
    }

    private static JsonNode byField(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
