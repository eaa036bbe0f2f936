package io.ivrflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as {@code java -jar} starts it (Camel Main, {@code application.properties}, the composition root, every
 * {@code routes/*.camel.yaml}, {@code flows/}), on free ports, for route tests. Subclasses add properties and may
 * give {@link Collaborators} (a virtual clock, scripted lookups...). Each context has its own name, so its Quartz
 * scheduler and thread names are its own. HTTP helpers send a marker header with every request and check that
 * nothing of the request comes back.
 */
public abstract class ServiceTestSupport extends CamelMainTestSupport {

    /**
     * Stops each test's service and checks it is gone. Camel's test support (4.18) never stops the context of a
     * {@code PER_CLASS} test class (its legacy context manager's stop does nothing): its routes, consumers and
     * schedules ran on into the next classes, taking their bus messages and their Quartz jobs. This stops it when
     * its class is done (a per-method context when its test is done), then waits until no thread bearing the
     * context's name is left, and fails the test otherwise.
     */
    @RegisterExtension
    final ServiceLifecycle serviceLifecycle = new ServiceLifecycle();

    static final class ServiceLifecycle implements AfterEachCallback, AfterAllCallback {
        @Override
        public void afterEach(ExtensionContext junit) throws Exception {
            if (junit.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
                    == TestInstance.Lifecycle.PER_METHOD) {
                stopAndCheck(junit);
            }
        }

        @Override
        public void afterAll(ExtensionContext junit) throws Exception {
            if (junit.getTestInstanceLifecycle().orElse(TestInstance.Lifecycle.PER_METHOD)
                    == TestInstance.Lifecycle.PER_CLASS) {
                stopAndCheck(junit);
            }
        }

        private static void stopAndCheck(ExtensionContext junit) {
            junit.getTestInstance().filter(ServiceTestSupport.class::isInstance).map(ServiceTestSupport.class::cast)
                    .ifPresent(test -> {
                        if (test.context != null) {
                            test.context.stop();
                        }
                        String name = test.contextName;
                        await(() -> Thread.getAllStackTraces().keySet().stream()
                                .noneMatch(t -> t.isAlive() && t.getName().contains(name)),
                                "every thread of " + name + " to end; left: " + Thread.getAllStackTraces().keySet()
                                        .stream().map(Thread::getName).filter(n -> n.contains(name)).toList());
                    });
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper();
    /** Sent with every request: it must come back in no response. */
    public static final String PROBE_HEADER = "X-Test";
    public static final String PROBE_VALUE = "echo-me-not";

    protected final int httpPort = AvailablePortFinder.getNextAvailable();
    protected final int managementPort = AvailablePortFinder.getNextAvailable();
    /** This context's name (also in its threads' names). */
    protected final String contextName = "ivrflow-" + getClass().getSimpleName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Properties of this test on top of application.properties and the defaults set here. */
    protected void properties(Properties p) {
    }

    /** What the composition root takes instead of building (nothing by default). */
    protected Collaborators collaborators() {
        return Collaborators.none();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        // runs before the composition root (configurations given here come first)
        configuration.addConfiguration(new GivenCollaborators(collaborators()));
    }

    /**
     * The properties given to Camel. Made when CamelTestSupport's constructor asks (before this class's fields exist)
     * and filled when the context is made (no field initializer: it would replace the object made then).
     */
    private Properties overrides;

    @Override
    public void configureContext(CamelContextConfiguration c) {
        super.configureContext(c);
        overrides = new Properties();
        c.withUseOverridePropertiesWithPropertiesComponent(overrides);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        Properties p = overrides;
        defaults(p, contextName, httpPort, managementPort);
        properties(p);
        return super.createCamelContext();
    }

    /** What every test's service runs with: its name, its ports, the real route files, no reload, no synthesis. */
    static void defaults(Properties p, String contextName, int httpPort, int managementPort) {
        p.put("camel.main.name", contextName);
        // the files the service loads, so a route file that does not load fails here
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("camel.server.port", String.valueOf(httpPort));
        p.put("camel.management.port", String.valueOf(managementPort));
        p.put("ivr.flows.reload-enabled", "false");
        p.put("ivr.flows.history-directory", "");
        PromptTestSettings.noSynthesis(p);
    }

    /** Binds the test's collaborators where the composition root looks for them. */
    static final class GivenCollaborators implements CamelConfiguration {
        private final Collaborators given;

        GivenCollaborators(Collaborators given) {
            this.given = given;
        }

        @Override
        public void configure(CamelContext context) {
            context.getRegistry().bind("collaborators", given);
        }
    }

    // ---------------------------------------------------------------- health and faults

    /** One check of {@code /observe/health?data=true}, by name ({@code faults}, {@code routes-reload} ...). */
    protected JsonNode healthCheck(String name) throws Exception {
        JsonNode health = JSON.readTree(get(managementPort, "/observe/health?data=true").body());
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check " + name + ": " + health);
    }

    /** How many faults of this source and kind the service counted ({@code ivr_faults_total}). */
    protected double faults(String source, String kind) {
        io.ivrflow.observe.CallMetrics metrics = context.getRegistry().lookupByNameAndType("callMetrics",
                io.ivrflow.observe.CallMetrics.class);
        var counter = metrics.registry().find("ivr.faults").tag("source", source).tag("kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The faults health check's detail for a source and kind, or "" when there was none. */
    protected String faultDetail(String source, String kind) throws Exception {
        return healthCheck("faults").path("data").path("faults." + source + "." + kind).asText("");
    }

    // ---------------------------------------------------------------- waiting

    /** Something to look at again until it is as expected. */
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** Looks until {@code done} holds (20 s at most) and returns what it saw last. */
    public static <T> T await(Probe<T> probe, java.util.function.Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("waited 20 s for " + what + "; last: " + last);
    }

    /** Waits until the condition holds (20 s at most). */
    public static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    // ---------------------------------------------------------------- HTTP

    protected HttpResponse<String> get(int port, String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).GET(), headers);
    }

    protected HttpResponse<String> postJson(int port, String path, String body, String... headers)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), headers);
    }

    protected HttpResponse<String> send(int port, String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    protected HttpResponse<String> send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        b.timeout(Duration.ofSeconds(15)).header(PROBE_HEADER, PROBE_VALUE);
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertNoRequestHeaderEchoed(r, headers);
        return r;
    }

    /** Nothing a request carried may come back in its response. */
    public static void assertNoRequestHeaderEchoed(HttpResponse<String> r, String... sentHeaders) {
        Map<String, List<String>> got = r.headers().map();
        assertTrue(r.headers().firstValue(PROBE_HEADER).isEmpty(), "request header echoed: " + got);
        assertTrue(r.headers().firstValue("Authorization").isEmpty(), "Authorization echoed: " + got);
        for (int i = 1; i < sentHeaders.length; i += 2) {
            String sentValue = sentHeaders[i];
            if (List.of("content-type", "accept", "if-none-match", "if-match").contains(sentHeaders[i - 1].toLowerCase())) {
                continue; // the answer's own type or version may well be the one asked for
            }
            assertFalse(got.values().stream().flatMap(List::stream).anyMatch(v -> v.contains(sentValue)),
                    "the value of request header " + sentHeaders[i - 1] + " came back: " + got);
        }
        assertFalse(got.values().stream().flatMap(List::stream).anyMatch(v -> v.contains(PROBE_VALUE)), got.toString());
        assertFalse(r.body().contains(PROBE_VALUE), r.body());
    }

    public static JsonNode json(HttpResponse<String> r) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "Content-Type: " + r.headers().map());
        return JSON.readTree(r.body());
    }
}
