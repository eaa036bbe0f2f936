package io.ivrflow.console;

import io.ivrflow.ops.HttpReply;
import org.apache.camel.Header;

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

    private static final Pattern NAME = Pattern.compile("([a-z0-9-]+\\.(js|css|svg))");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8", "svg", "image/svg+xml");

    private final Map<String, byte[]> read = new ConcurrentHashMap<>();

    /** GET /console/assets/{name}. */
    public HttpReply asset(@Header("name") String name) {
        Matcher m = NAME.matcher(name == null ? "" : name);
        Optional<byte[]> bytes = m.matches() ? find(m.group(1)) : Optional.empty();
        if (bytes.isEmpty()) {
            return HttpReply.text(404, HttpReply.TEXT, "no such console file\n");
        }
        return HttpReply.of(200, TYPES.get(m.group(2)), bytes.get());
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
