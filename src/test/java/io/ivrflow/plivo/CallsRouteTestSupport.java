package io.ivrflow.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.IvrflowApplication;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the service as {@code java -jar} does (Camel Main, {@code application.properties}, every
 * {@code routes/*.camel.yaml}, {@code flows/}) with the Plivo settings a subclass gives, and sends it HTTP
 * requests that each carry a marker header, so that every answer can be checked for echoed request headers.
 */
abstract class CallsRouteTestSupport extends CamelMainTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Sent with every request: it must come back in no response. */
    static final String PROBE_HEADER = "X-Test";
    static final String PROBE_VALUE = "echo-me-not";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The business HTTP port (a static field of the subclass: this runs before its instance fields exist). */
    abstract int httpPort();

    /** Plivo and API token settings of this test class. */
    abstract void plivoProperties(Properties p);

    @Override
    protected Class<?> getMainClass() {
        return IvrflowApplication.class;
    }

    @Override
    public void configureContext(CamelContextConfiguration c) {
        super.configureContext(c);
        Properties p = new Properties();
        // the files the service loads, so a route file that does not load (or clashes with another) fails here
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("camel.server.port", String.valueOf(httpPort()));
        p.put("camel.management.enabled", "false");
        p.put("ivr.flows.directory", "flows");
        p.put("ivr.flows.reload-enabled", "false");
        io.ivrflow.PromptTestSettings.noSynthesis(p);
        plivoProperties(p);
        c.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), headers);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + httpPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        b.timeout(Duration.ofSeconds(15)).header(PROBE_HEADER, PROBE_VALUE);
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertNoRequestHeaderEchoed(r, headers);
        return r;
    }

    /** platform-http echoes message headers into the response unless the route removes them: none may come back. */
    static void assertNoRequestHeaderEchoed(HttpResponse<String> r, String... sentHeaders) {
        Map<String, List<String>> got = r.headers().map();
        assertTrue(r.headers().firstValue(PROBE_HEADER).isEmpty(), "request header echoed: " + got);
        assertTrue(r.headers().firstValue("Authorization").isEmpty(), "Authorization echoed: " + got);
        for (int i = 1; i < sentHeaders.length; i += 2) {
            String sentValue = sentHeaders[i];
            assertFalse(got.values().stream().flatMap(List::stream).anyMatch(v -> v.contains(sentValue)),
                    "the value of request header " + sentHeaders[i - 1] + " came back: " + got);
        }
        assertFalse(got.values().stream().flatMap(List::stream).anyMatch(v -> v.contains(PROBE_VALUE)), got.toString());
        assertFalse(r.body().contains(PROBE_VALUE), r.body());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "Content-Type: " + r.headers().map());
        return JSON.readTree(r.body());
    }
}
