package io.ivrflow.prompts;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves recorded prompts at {@code /audio/<path under the flows folder>} for Plivo's {@code <Play>}:
 * an ETag from the content, 304 when the platform already has it, and a year of caching since a changed
 * file gets a new {@code ?v=} URL.
 */
public class AudioEndpoint {

    private AudioFiles files;
    private String pathPrefix = "/audio/";

    public void setDirectory(String directory) {
        this.files = new AudioFiles(directory);
    }

    /** Where the files are served: {@code /audio/} for the platforms, {@code /console/audio/} for the console. */
    public void setPathPrefix(String pathPrefix) {
        this.pathPrefix = pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/";
    }

    public void serve(Exchange exchange) {
        Message m = exchange.getMessage();
        String path = requestPath(m);
        String relative = path.startsWith(pathPrefix) ? path.substring(pathPrefix.length()) : "";
        String ifNoneMatch = m.getHeader("If-None-Match", String.class);
        Optional<AudioFiles.Audio> audio;
        try {
            audio = files.find(URLDecoder.decode(relative, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            audio = Optional.empty();
        }
        m.removeHeaders("*");
        if (audio.isEmpty()) {
            notFound(m, "no such recording");
            return;
        }
        AudioFiles.Audio a = audio.get();
        immutable(m, a.bytes(), a.contentType(), a.etag(), ifNoneMatch);
    }

    /** The request's path, without its query string. */
    public static String requestPath(Message m) {
        String uri = m.getHeader(Exchange.HTTP_URI, "", String.class);
        int q = uri.indexOf('?');
        return q >= 0 ? uri.substring(0, q) : uri;
    }

    static void notFound(Message m, String why) {
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        m.setBody(why + "\n");
    }

    /**
     * Answers with a file that never changes under its URL: a year of caching, its ETag, and 304 when the
     * platform already holds that version.
     */
    static void immutable(Message m, byte[] bytes, String contentType, String etag, String ifNoneMatch) {
        m.setHeader("ETag", etag);
        m.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            m.setBody(null);
            return;
        }
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setBody(bytes);
    }
}
