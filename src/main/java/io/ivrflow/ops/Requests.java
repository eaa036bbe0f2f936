package io.ivrflow.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * What the HTTP endpoints read of a request. Bodies are read as JSON whatever Content-Type came with them
 * ({@code curl --data-binary} sends a form type): the HTTP routes hand bodies over as bytes, untouched.
 */
public final class Requests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An API request is a few KB; a megabyte is a mistake or an attack. */
    public static final int MAX = 1_000_000;

    private Requests() {
    }

    /** The body as a JSON object; missing and not required: an empty object. */
    public static JsonNode jsonObject(byte[] body, boolean required) {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (required) {
                throw ApiError.badRequest("the request needs a JSON object body");
            }
            return JSON.createObjectNode();
        }
        limit(body);
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body is not JSON: " + UserInput.shown(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiError.badRequest("the body cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return node;
    }

    /** Refuses a body over {@link #MAX} bytes. */
    public static byte[] limit(byte[] body) {
        if (body != null && body.length > MAX) {
            throw new ApiError(413, "the body is larger than " + MAX + " bytes");
        }
        return body;
    }

    /** A request URI's path, without its query string. */
    public static String path(String uri) {
        String u = uri == null ? "" : uri;
        int q = u.indexOf('?');
        return q >= 0 ? u.substring(0, q) : u;
    }
}
