package io.ivrflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven by its chromedriver over the W3C WebDriver protocol with the JDK's HTTP
 * client: no Selenium, and nothing that could try to download a browser or a driver. The flags keep Chromium off
 * the network (no updates, sync, QUIC or first-run work), which it would otherwise wait for on a closed machine.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final Path profile;
    private final String base;
    private final String session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HeadlessChromium(Process driver, Path profile, String base, String session) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
        this.session = session;
    }

    /** Starts chromedriver and a browser session with a new empty profile; the driver's log goes to {@code log}. */
    static HeadlessChromium start(int width, int height, Path log) throws IOException, InterruptedException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: apt-get install chromium chromium-driver"
                        + " (.ci/run installs them)");
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path profile = Files.createTempDirectory("ivrflow-chromium-");
        String base = "http://127.0.0.1:" + port;
        try {
            HttpClient http = HttpClient.newHttpClient();
            Instant deadline = Instant.now().plusSeconds(20);
            while (true) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (JSON.readTree(r.body()).path("value").path("ready").asBoolean()) {
                        break;
                    }
                } catch (IOException notYet) {
                    // the driver is still starting
                }
                if (Instant.now().isAfter(deadline) || !driver.isAlive()) {
                    throw new IllegalStateException("chromedriver did not start; see " + log);
                }
                Thread.sleep(100);
            }
            ObjectNode options = JSON.createObjectNode().put("binary", CHROMIUM.toString());
            ArrayNode args = options.putArray("args");
            Stream.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars", "--force-device-scale-factor=1",
                    "--window-size=" + width + "," + height, "--user-data-dir=" + profile).forEach(args::add);
            ObjectNode caps = JSON.createObjectNode();
            caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                    .set("goog:chromeOptions", options);
            JsonNode created = call(http, "POST", base + "/session", caps, Duration.ofSeconds(60));
            return new HeadlessChromium(driver, profile, base, created.path("sessionId").asText());
        } catch (RuntimeException | IOException | InterruptedException e) {
            driver.destroy();
            delete(profile);
            throw e;
        }
    }

    // ---------------------------------------------------------------- the page

    void open(String url) {
        post("/url", JSON.createObjectNode().put("url", url));
    }

    /** Elements matching a CSS selector, now. */
    List<String> findAll(String css) {
        JsonNode found = post("/elements", JSON.createObjectNode().put("using", "css selector").put("value", css));
        List<String> ids = new ArrayList<>();
        found.forEach(e -> ids.add(e.path(ELEMENT).asText()));
        return ids;
    }

    Optional<String> find(String css) {
        return findAll(css).stream().findFirst();
    }

    /** The first element matching, once there is one (10 s at most). */
    String await(String css) {
        waitUntil("an element " + css, () -> find(css).isPresent());
        return find(css).orElseThrow();
    }

    void click(String element) {
        post("/element/" + element + "/click", JSON.createObjectNode());
    }

    String text(String element) {
        return get("/element/" + element + "/text").asText();
    }

    /** A DOM attribute (as written, not the property). */
    String attribute(String element, String name) {
        JsonNode v = get("/element/" + element + "/attribute/" + name);
        return v.isNull() ? null : v.asText();
    }

    /** Runs a script in the page ({@code arguments[i]} are the args); its return value as JSON. */
    JsonNode script(String js, Object... args) {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        ArrayNode a = body.putArray("args");
        for (Object arg : args) {
            a.add(JSON.valueToTree(arg));
        }
        return post("/execute/sync", body);
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(get("/screenshot").asText()));
    }

    /** Polls until {@code condition} holds (10 s at most), failing with what was awaited. */
    void waitUntil(String what, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.get()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited 10 s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        try {
            call(http, "DELETE", base + "/session/" + session, null, Duration.ofSeconds(20));
        } catch (RuntimeException | IOException | InterruptedException e) {
            // the driver goes anyway
        } finally {
            driver.destroy();
            delete(profile);
        }
    }

    // ---------------------------------------------------------------- protocol

    private JsonNode get(String path) {
        return session("GET", path, null);
    }

    private JsonNode post(String path, JsonNode body) {
        return session("POST", path, body);
    }

    private JsonNode session(String method, String path, JsonNode body) {
        try {
            return call(http, method, base + "/session/" + session + path, body, Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One WebDriver command: its {@code value}, or an error with WebDriver's message. */
    private static JsonNode call(HttpClient http, String method, String url, JsonNode body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(r.body()).path("value");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + method + " " + url + ": " + r.statusCode() + " "
                    + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no failure
        }
    }
}
