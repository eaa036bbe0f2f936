package io.ivrflow.plivo;

import io.ivrflow.ServiceTestSupport;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.prompts.Pregeneration;
import io.ivrflow.prompts.PromptCatalog;
import io.ivrflow.prompts.Prompts;
import io.ivrflow.prompts.Wav;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as it starts, with the local backend: the example flows' prompts are made in the background
 * while HTTP answers, then Plivo is told to Play them from /prompts/audio, which serves them immutable.
 */
class PlivoPromptsRouteTest extends ServiceTestSupport {

    /** Each test starts the service on an empty cache. */
    private final Path cache = Path.of("target/prompt-cache-" + UUID.randomUUID());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected void properties(Properties p) {
        p.put("ivr.plivo.public-url", base());
        p.put("ivr.prompts.order", "recorded,cache,synthesis,platform");
        p.put("ivr.prompts.backends", "local");
        p.put("ivr.prompts.plivo-audio", "wav:22050");
        p.put("ivr.prompts.cache-directory", cache.toString());
        p.put("ivr.prompts.pregenerate-on-start", "true");
        p.put("ivr.prompts.cron", "0/2 * * * * ?");
    }

    private String base() {
        return "http://localhost:" + httpPort;
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private Pregeneration.Report awaitPregeneration(Prompts prompts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (prompts.lastReport() == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertNotNull(prompts.lastReport(), "pre-generation did not finish in 60 s");
        return prompts.lastReport();
    }

    @Test
    void promptsAreMadeInTheBackgroundThenPlayedFromTheServiceWithLongCaching() throws Exception {
        Prompts prompts = context.getRegistry().lookupByNameAndType("prompts", Prompts.class);
        // the routes answer while pre-generation (every prompt of the example flows, seconds of espeak-ng) runs
        assertNull(prompts.lastReport(), "pre-generation was expected to be still running");
        assertEquals(200, get("/api/flows").statusCode());
        Pregeneration.Report report = awaitPregeneration(prompts);
        assertEquals(0, report.failed(), report.failures().toString());
        // the report may already be the schedule's (every 2 s), which finds them all made: the cache, started
        // empty, tells what the background made
        assertTrue(report.made() + report.cached() > 50, report.toString());
        try (var files = Files.list(cache)) {
            assertTrue(files.filter(f -> f.toString().endsWith(".wav")).count() > 50, "files made in the cache");
        }

        // a text prompt is now a Play of the cached file, not a Speak
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/plivo/inspireworks/answer"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FakePlivo.form(FakePlivo.callParams(
                        UUID.randomUUID().toString(), "+15550100000", "+15550199999", "StartApp")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        Document xml = PlivoWebhooksTest.parse(answer.body());
        assertEquals(0, xml.getElementsByTagName("Speak").getLength(), answer.body());
        NodeList plays = xml.getElementsByTagName("Play");
        assertTrue(plays.getLength() >= 1, answer.body());
        String url = plays.item(0).getTextContent().trim();
        Matcher m = Pattern.compile(Pattern.quote(base()) + "/prompts/audio/([0-9a-f]{32})\\.wav").matcher(url);
        assertTrue(m.matches(), url);

        HttpResponse<byte[]> audio = get(url);
        assertEquals(200, audio.statusCode());
        assertEquals("audio/wav", audio.headers().firstValue("Content-Type").orElse(""));
        assertEquals("\"" + m.group(1) + "\"", audio.headers().firstValue("ETag").orElse(""));
        assertTrue(audio.headers().firstValue("Cache-Control").orElse("").contains("max-age=31536000"),
                audio.headers().map().toString());
        assertEquals(22050, Wav.header(audio.body()).sampleRate());
        assertTrue(Wav.header(audio.body()).duration().toMillis() > 2000, "the welcome sentence, spoken");
        assertArrayEquals(Files.readAllBytes(cache.resolve(m.group(1) + ".wav")), audio.body());

        assertEquals(304, get(url, "If-None-Match", "\"" + m.group(1) + "\"").statusCode());
        assertEquals(404, get("/prompts/audio/" + "0".repeat(32) + ".wav").statusCode());
        assertEquals(404, get("/prompts/audio/..%2F..%2Fpom.xml").statusCode());
    }

    @Test
    void theReviewPageShowsEveryPromptOfAFlowPerLanguageWithAPlayer() throws Exception {
        Prompts prompts = context.getRegistry().lookupByNameAndType("prompts", Prompts.class);
        awaitPregeneration(prompts);
        String index = new String(get("/prompts/review").body());
        assertTrue(index.contains("href=\"/prompts/review/contact-centre\""), index);

        HttpResponse<byte[]> page = get("/prompts/review/inspireworks");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = new String(page.body());
        FlowCatalog flows = context.getRegistry().lookupByNameAndType("flowRepository",
                io.ivrflow.flowstore.FlowRepository.class).catalog();
        int items = PromptCatalog.of(flows.find("inspireworks").orElseThrow()).size();
        assertEquals(items, count(html, "<tr data-language="), html);
        assertEquals(items, count(html, "<audio controls"), "every prompt has audio to play");
        assertTrue(count(html, "data-language=\"es-US\"") > 5, html);
        assertTrue(html.contains("Bienvenido a InspireWorks. Oprima 1 para inglés."), html);

        // the VIP greeting is dynamic: its generic form is listed and marked as such
        String cc = new String(get("/prompts/review/contact-centre").body());
        assertTrue(cc.contains("dynamic: filled in per call"), cc);
        assertTrue(cc.contains("recorded: audio/chime.wav"), cc);
        assertEquals(404, get("/prompts/review/no-such-flow").statusCode());
    }

    @Test
    void theScheduleMakesAgainAFileRemovedFromTheCache() throws Exception {
        Prompts prompts = context.getRegistry().lookupByNameAndType("prompts", Prompts.class);
        awaitPregeneration(prompts);
        Path file;
        try (var files = Files.list(cache)) {
            file = files.filter(f -> f.toString().endsWith(".wav")).findFirst().orElseThrow();
        }
        byte[] before = Files.readAllBytes(file);
        Files.delete(file);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), "the Quartz schedule (every 2 s here) made the removed file again");
        assertEquals(Wav.header(before).duration(), Wav.header(Files.readAllBytes(file)).duration());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
