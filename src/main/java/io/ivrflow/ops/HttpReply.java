package io.ivrflow.ops;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an HTTP endpoint answers, as a value: status, content type, body and the response headers meant for the
 * client. Beans return it (or any other value, sent as JSON with 200); {@link HttpReplies} writes it.
 *
 * @param body bytes as they are, a String, or an object written as JSON; null for none (304, 204)
 */
public record HttpReply(int status, String contentType, Object body, Map<String, String> headers) {

    public static final String JSON = "application/json; charset=UTF-8";
    public static final String XML = "application/xml; charset=UTF-8";
    public static final String HTML = "text/html; charset=UTF-8";
    public static final String TEXT = "text/plain; charset=UTF-8";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    /** A value written as JSON. */
    public static HttpReply json(int status, Object value) {
        return new HttpReply(status, JSON, value, Map.of());
    }

    public static HttpReply of(int status, String contentType, byte[] body) {
        return new HttpReply(status, contentType, body, Map.of());
    }

    public static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The same reply with one more response header. */
    public HttpReply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpReply(status, contentType, body, all);
    }
}
