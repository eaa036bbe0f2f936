package io.ivrflow.console;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's page, script and style sheet, packaged in the jar under {@code console/}
 * ({@code src/main/resources/console}) and served from {@code /console/assets/<name>}: part of the build, not
 * of the deployment, so they are read once. Only plain names of known types are served.
 */
public class ConsoleAssets {

    private static final Pattern NAME = Pattern.compile("/console/assets/([a-z0-9-]+\\.(js|css|svg))");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8", "svg", "image/svg+xml");

    private final Map<String, byte[]> read = new ConcurrentHashMap<>();

    /** GET /console/assets/{name}. */
    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        Matcher name = NAME.matcher(io.ivrflow.prompts.AudioEndpoint.requestPath(m));
        Optional<byte[]> bytes = name.matches() ? find(name.group(1)) : Optional.empty();
        m.removeHeaders("*");
        m.setHeader("X-Content-Type-Options", "nosniff");
        if (bytes.isEmpty()) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
            m.setBody("no such console file\n");
            return;
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.group(2)));
        m.setBody(bytes.get());
    }

    /** Files that exist are kept; names that do not are not remembered, so asking for many cannot fill memory. */
    private Optional<byte[]> find(String name) {
        byte[] known = read.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> found = resource(name);
        found.ifPresent(b -> read.put(name, b));
        return found;
    }

    private static Optional<byte[]> resource(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read console/" + name + " from the class path", e);
        }
    }
}
