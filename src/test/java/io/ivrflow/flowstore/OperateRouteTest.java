package io.ivrflow.flowstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.LogCapture;
import io.ivrflow.ServiceTestSupport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's side of the service, with the real routes on free ports and a flows folder of its own: hot
 * reload (a call in progress keeps its version), the flows API on the management port, the call log, metrics and
 * health.
 */
class OperateRouteTest extends ServiceTestSupport {

    private static final String TOKEN = "test-manage-token-7c1e";
    private static final Path FIXTURES = Path.of("src/test/resources/operate");
    private static final Pattern ACTION = Pattern.compile("action=\"http://localhost:\\d+(/plivo/[^\"]+)\"");
    private static final Pattern REDIRECT = Pattern.compile("<Redirect[^>]*>http://localhost:\\d+(/plivo/[^<]+)</Redirect>");
    /** Each test method gets a new context, and a new flows folder (made before the context reads it). */
    private Path flows;
    private Path history;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected void properties(Properties p) {
        try {
            flows = Files.createTempDirectory("ivrflow-flows");
            history = Files.createTempDirectory("ivrflow-history");
            Files.copy(FIXTURES.resolve("hotline-v1.json"), flows.resolve("hotline.json"));
            Files.copy(FIXTURES.resolve("pin.json"), flows.resolve("pin.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("ivr.flows.directory", flows.toString());
        p.put("ivr.flows.history-directory", history.toString());
        p.put("ivr.flows.reload-enabled", "true");
        p.put("ivr.flows.watch-period", "200");
        p.put("ivr.manage.token", TOKEN);
        // the cache is looked at (and missed: there is no backend): the cache counters must move
        p.put("ivr.prompts.order", "recorded,cache,platform");
        p.put("ivr.prompts.backends", "");
        p.put("ivr.prompts.cache-directory", history.resolve("no-cache").toString());
    }

    // ---------------------------------------------------------------- hot reload

    @Test
    void aCallInProgressFinishesOnItsVersionNewCallsGetTheNewOneAndABrokenChangeIsRefused() throws Exception {
        String v1 = servingVersion("hotline");
        String answerA = answer("hotline", "call-A");
        String inputA = first(ACTION, answerA);
        // the release rides in the sealed state token, the only parameter of the action URL
        assertTrue(inputA.matches(".*/plivo/hotline/input\\?s=[A-Za-z0-9_-]+"), inputA);

        // the file changes while call A waits in the menu: the new version is picked up within a second or so
        replace("hotline-v2.json");
        String v2 = await(() -> servingVersion("hotline"), v -> !v.equals(v1), "version 2 to serve");

        // call A presses 1: it is transferred as version 1 said; a new call B, as version 2 says
        assertTrue(webhook(inputA, "CallUUID=call-A&Digits=1").contains("+15550001111"), "call A stays on version 1");
        String inputB = first(ACTION, answer("hotline", "call-B"));
        String b = webhook(inputB, "CallUUID=call-B&Digits=1");
        assertTrue(b.contains("+15550002222") && b.contains("new sales team"), b);

        // a broken change is refused: version 2 keeps serving, the lint report says why
        replace("hotline-broken.json");
        JsonNode lint = await(() -> manage("GET", "/manage/flows/hotline/lint", null),
                l -> "stale-with-errors".equals(l.path("status").asText()), "the broken version to be refused");
        assertEquals(v2, lint.path("version").asText(), lint.toString());
        assertNotEquals(v2, lint.path("fileVersion").asText());
        assertEquals("unknown-target", lint.path("diagnostics").get(0).path("rule").asText(), lint.toString());
        assertEquals("/nodes/menu/options/1", lint.path("diagnostics").get(0).path("pointer").asText());
        String inputC = first(ACTION, answer("hotline", "call-C"));
        assertTrue(webhook(inputC, "CallUUID=call-C&Digits=1").contains("+15550002222"), "still version 2");

        // the history: newest first, every version with its fate, each one's content kept
        JsonNode versions = manage("GET", "/manage/flows/hotline/versions", null);
        assertEquals(List.of("refused", "activated", "activated"), texts(versions, "change"), versions.toString());
        assertEquals(v2, versions.get(1).path("version").asText());
        assertEquals(v1, versions.get(2).path("version").asText());
        assertTrue(versions.get(1).path("serving").asBoolean());
        assertEquals(List.of("true", "true", "true"), texts(versions, "kept"), "no version pruned yet");
        HttpResponse<String> old = send("GET", managementPort, "/manage/flows/hotline/versions/" + v1, null, true);
        assertEquals(Files.readString(FIXTURES.resolve("hotline-v1.json")), old.body());
        assertTrue(Files.isRegularFile(history.resolve("hotline").resolve(v1 + ".json")), "kept on disk");
    }

    // ---------------------------------------------------------------- flows API

    @Test
    void theFlowsApiValidatesWritesActivatesRollsBackAndDeletesBehindItsToken() throws Exception {
        String v1text = Files.readString(FIXTURES.resolve("hotline-v1.json"));
        String v2text = Files.readString(FIXTURES.resolve("hotline-v2.json"));
        String broken = Files.readString(FIXTURES.resolve("hotline-broken.json"));

        HttpResponse<String> anonymous = send("GET", managementPort, "/manage/flows", null, false);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, send("GET", managementPort, "/manage/flows", null, false, "Authorization", "Bearer nope")
                .statusCode());
        assertEquals(404, send("GET", httpPort, "/manage/flows", null, true).statusCode(), "not on the business port");

        // validate: a report, nothing written
        JsonNode report = JSON.readTree(send("POST", managementPort, "/manage/flows/hotline/validate", broken, true).body());
        assertFalse(report.path("valid").asBoolean(), report.toString());
        assertEquals(1, report.path("errors").asInt());
        assertEquals("/nodes/menu/options/1", report.path("diagnostics").get(0).path("pointer").asText());
        assertEquals(flows.resolve("hotline.json").toString(), report.path("diagnostics").get(0).path("file").asText());
        assertEquals(v1text, Files.readString(flows.resolve("hotline.json")));

        // a broken PUT: 422 with the report, the file and the serving version untouched
        String v1 = servingVersion("hotline");
        HttpResponse<String> refused = send("PUT", managementPort, "/manage/flows/hotline", broken, true);
        assertEquals(422, refused.statusCode(), refused.body());
        assertEquals("invalid", JSON.readTree(refused.body()).path("result").asText());
        assertEquals(422, JSON.readTree(refused.body()).path("status").asInt(), "the one error shape");
        assertFalse(JSON.readTree(refused.body()).path("error").asText().isEmpty(), refused.body());
        assertEquals(v1text, Files.readString(flows.resolve("hotline.json")));
        assertEquals(v1, servingVersion("hotline"));

        // a good PUT with the right If-Match: written, serving at once (no wait for the watcher)
        HttpResponse<String> put = send("PUT", managementPort, "/manage/flows/hotline", v2text, true,
                "If-Match", "\"" + v1 + "\"");
        assertEquals(200, put.statusCode(), put.body());
        JsonNode activated = JSON.readTree(put.body());
        String v2 = activated.path("version").asText();
        assertEquals(v1, activated.path("previousVersion").asText());
        assertEquals(v2, servingVersion("hotline"));
        assertEquals(v2text, Files.readString(flows.resolve("hotline.json")));
        HttpResponse<String> got = send("GET", managementPort, "/manage/flows/hotline", null, true);
        assertEquals(v2text, got.body());
        assertEquals("\"" + v2 + "\"", got.headers().firstValue("ETag").orElse(""));

        // a stale If-Match is refused: nobody overwrites a change they have not seen
        assertEquals(412, send("PUT", managementPort, "/manage/flows/hotline", v1text, true,
                "If-Match", "\"" + v1 + "\"").statusCode());
        // the id in the path and in the content must agree
        assertEquals(400, send("PUT", managementPort, "/manage/flows/other", v1text, true).statusCode());

        // roll back to version 1 from the history
        HttpResponse<String> back = send("POST", managementPort, "/manage/flows/hotline/versions/" + v1 + "/activate",
                null, true);
        assertEquals(200, back.statusCode(), back.body());
        assertEquals(v1, servingVersion("hotline"));

        // a new flow: 201, and the business side serves it
        String fresh = v1text.replace("\"id\": \"hotline\"", "\"id\": \"fresh\"");
        assertEquals(201, send("PUT", managementPort, "/manage/flows/fresh", fresh, true).statusCode());
        assertTrue(answer("fresh", "call-F").contains("Press 1 for sales."));

        // delete: gone from the folder and from service; a second delete is a 404
        HttpResponse<String> deleted = send("DELETE", managementPort, "/manage/flows/fresh", null, true);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertFalse(Files.exists(flows.resolve("fresh.json")));
        assertEquals(404, send("GET", managementPort, "/manage/flows/fresh", null, true).statusCode());
        assertEquals(404, send("DELETE", managementPort, "/manage/flows/fresh", null, true).statusCode());
        assertEquals(400, send("GET", managementPort, "/manage/flows/..%2Fetc", null, true).statusCode());
        assertEquals(405, send("POST", managementPort, "/manage/flows/hotline", v1text, true).statusCode());
    }

    // ---------------------------------------------------------------- call log, metrics, health

    @Test
    void callStepsAreLoggedWithSecretsRedactedAndCountedInTheMetrics() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            // hotline: silence once, a wrong key once, then 1: transferred
            String answer = answer("hotline", "call-M");
            String noInput = first(REDIRECT, answer);
            String afterSilence = webhook(noInput, "CallUUID=call-M");
            assertTrue(afterSilence.contains("We did not hear you."), afterSilence);
            String afterWrong = webhook(first(ACTION, afterSilence), "CallUUID=call-M&Digits=7");
            assertTrue(afterWrong.contains("That is not an option."), afterWrong);
            String dial = webhook(first(ACTION, afterWrong), "CallUUID=call-M&Digits=1");
            assertTrue(dial.contains("+15550001111"), dial);
            webhook(first(ACTION, dial), "CallUUID=call-M&DialStatus=completed");

            // pin: a sensitive entry
            String pin = "90417";
            String asked = answer("pin", "call-P");
            String thanks = webhook(first(ACTION, asked), "CallUUID=call-P&Digits=" + pin);
            assertTrue(thanks.contains("Thank you."), thanks);

            List<String> steps = log.messages("io.ivrflow.calls");
            assertTrue(steps.stream().anyMatch(l -> l.startsWith("call=call-M platform=plivo flow=hotline")
                    && l.contains("node=sales") && l.contains("event=digits:1") && l.contains("path=sales")
                    && l.contains("action=say:hotline/sales")), String.join("\n", steps));
            assertTrue(steps.stream().anyMatch(l -> l.startsWith("call=call-M") && l.contains("node=menu")
                    && l.contains("event=no-input") && l.contains("action=say:hotline/menu.noInput")), String.join("\n", steps));
            assertTrue(steps.stream().anyMatch(l -> l.startsWith("call=call-M")
                    && l.contains("action=transfer:number:+15550001111")), String.join("\n", steps));
            assertTrue(steps.stream().anyMatch(l -> l.startsWith("call=call-M") && l.contains("outcome=transferred")),
                    String.join("\n", steps));
            assertTrue(steps.stream().anyMatch(l -> l.startsWith("call=call-P") && l.contains("event=digits:****")),
                    String.join("\n", steps));
            // the PIN is in no line of any logger
            List<LogCapture.Line> leaks = log.lines().stream().filter(l -> l.message().contains(pin)).toList();
            assertTrue(leaks.isEmpty(), "the sensitive entry was logged: " + leaks);
        }

        String metrics = send("GET", managementPort, "/observe/metrics", null, false).body();
        assertMetric(metrics, "ivr_calls_started_total{flow=\"hotline\",platform=\"plivo\"}", 1);
        assertMetric(metrics, "ivr_calls_started_total{flow=\"pin\",platform=\"plivo\"}", 1);
        assertMetric(metrics, "ivr_calls_ended_total{flow=\"hotline\",platform=\"plivo\"}", 1);
        assertMetric(metrics, "ivr_call_outcomes_total{flow=\"hotline\",outcome=\"transferred\",platform=\"plivo\"}", 1);
        assertMetric(metrics, "ivr_call_outcomes_total{flow=\"pin\",outcome=\"hung-up\",platform=\"plivo\"}", 1);
        assertMetric(metrics, "ivr_menu_no_input_total{flow=\"hotline\",node=\"menu\"}", 1);
        assertMetric(metrics, "ivr_menu_no_match_total{flow=\"hotline\",node=\"menu\"}", 1);
        assertMetric(metrics, "ivr_node_visits_total{flow=\"hotline\",node=\"menu\"}", 1);
        assertMetric(metrics, "ivr_node_visits_total{flow=\"hotline\",node=\"sales\"}", 1);
        assertMetric(metrics, "ivr_webhook_seconds_count{hook=\"answer\"}", 2);
        assertMetric(metrics, "ivr_webhook_seconds_count{hook=\"input\"}", 3);
        assertMetric(metrics, "ivr_flows_serving", 2);
        assertTrue(value(metrics, "ivr_prompt_cache_misses_total") >= 8, "every prompt said missed the empty cache");
        assertEquals(0, value(metrics, "ivr_prompt_cache_hits_total"));

        JsonNode health = JSON.readTree(send("GET", managementPort, "/observe/health", null, false).body());
        assertEquals("UP", health.path("status").asText(), health.toString());
        List<String> checks = texts(health.path("checks"), "name");
        assertTrue(checks.containsAll(List.of("flows", "broker")), checks.toString());
    }

    // ---------------------------------------------------------------- helpers

    private void replace(String fixture) throws IOException {
        Path tmp = flows.resolve(".hotline.tmp");
        Files.copy(FIXTURES.resolve(fixture), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, flows.resolve("hotline.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String servingVersion(String flow) throws Exception {
        return manage("GET", "/manage/flows/" + flow + "/lint", null).path("version").asText();
    }

    private JsonNode manage(String method, String path, String body) throws Exception {
        return JSON.readTree(send(method, managementPort, path, body, true).body());
    }

    private String answer(String flow, String callId) throws Exception {
        return webhook("/plivo/" + flow + "/answer", "CallUUID=" + callId + "&From=%2B15551230000&To=%2B15557650000");
    }

    /** POSTs a Plivo webhook (unsigned: no auth token is configured here) and returns its XML. */
    private String webhook(String pathAndQuery, String form) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort
                        + pathAndQuery.replace("&amp;", "&")))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private HttpResponse<String> send(String method, int port, String path, String body, boolean token,
                                      String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.headers().firstValue("Authorization").isEmpty(), "Authorization came back: " + r.headers().map());
        assertFalse(r.body().contains(TOKEN), "the token came back");
        return r;
    }

    private static String first(Pattern p, String xml) {
        Matcher m = p.matcher(xml);
        assertTrue(m.find(), p + " not in " + xml);
        return m.group(1);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static void assertMetric(String scrape, String series, double expected) {
        assertEquals(expected, value(scrape, series), series + " in\n" + grep(scrape));
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    private static String grep(String scrape) {
        return String.join("\n", scrape.lines().filter(l -> l.startsWith("ivr_")).toList());
    }
}
