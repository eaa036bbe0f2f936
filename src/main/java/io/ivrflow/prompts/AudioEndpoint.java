package io.ivrflow.prompts;

import io.ivrflow.ops.HttpReply;
import io.ivrflow.ops.Requests;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Serves recorded prompts at {@code /audio/<path under the flows folder>} for Plivo's {@code <Play>} (and the
 * console's players at {@code /console/audio/}): an ETag from the content, 304 when the platform already has it,
 * and a year of caching since a changed file gets a new {@code ?v=} URL.
 */
public class AudioEndpoint {

    private final AudioFiles files;
    private final String pathPrefix;

    /** @param pathPrefix where the files are served: {@code /audio/}, or {@code /console/audio/} */
    public AudioEndpoint(AudioFiles files, String pathPrefix) {
        this.files = files;
        this.pathPrefix = pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/";
    }

    public HttpReply serve(@Header(Exchange.HTTP_URI) String uri, @Header("If-None-Match") String ifNoneMatch) {
        String path = Requests.path(uri);
        String relative = path.startsWith(pathPrefix) ? path.substring(pathPrefix.length()) : "";
        Optional<AudioFiles.Audio> audio;
        try {
            audio = files.find(URLDecoder.decode(relative, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            audio = Optional.empty();
        }
        if (audio.isEmpty()) {
            return HttpReply.text(404, HttpReply.TEXT, "no such recording\n");
        }
        AudioFiles.Audio a = audio.get();
        return immutable(a.bytes(), a.contentType(), a.etag(), ifNoneMatch);
    }

    /**
     * A file that never changes under its URL: a year of caching, its ETag, and 304 when the platform already
     * holds that version.
     */
    static HttpReply immutable(byte[] bytes, String contentType, String etag, String ifNoneMatch) {
        boolean fresh = ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"));
        return new HttpReply(fresh ? 304 : 200, contentType, fresh ? null : bytes,
                Map.of("ETag", etag, "Cache-Control", "public, max-age=31536000, immutable"));
    }
}
