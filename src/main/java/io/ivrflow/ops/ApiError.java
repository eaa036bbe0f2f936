package io.ivrflow.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request an HTTP API refuses, with the status and the words that tell the client why. Routes turn it into
 * {@code {"error": "...", "status": n}} ({@link HttpReplies#failure}); it is the client's mistake, so it is never
 * logged as an error.
 */
public final class ApiError extends RuntimeException {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int status;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    private ApiError(int status, String message, Map<String, Object> details, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        // details may hold nulls (a flow with no previous version): shown as JSON null
        this.details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        this.headers = Map.copyOf(headers);
    }

    public ApiError(int status, String message) {
        this(status, message, Map.of(), Map.of());
    }

    public int status() {
        return status;
    }

    /** The error object sent back: {@code error} and {@code status}, then any details (which cannot replace them). */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", getMessage());
        body.put("status", status);
        details.forEach(body::putIfAbsent);
        return body;
    }

    /** The error object as JSON text. */
    public String json() {
        try {
            return JSON.writeValueAsString(body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Response headers that belong with this error ({@code WWW-Authenticate} on a 401, {@code Allow} on a 405). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The same error with more fields in its body (a lint report, the status a peer answered). */
    public ApiError with(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.putAll(more);
        return new ApiError(status, getMessage(), all, headers);
    }

    public ApiError withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiError(status, getMessage(), details, all);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, message).withHeader("WWW-Authenticate", "Bearer");
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, message);
    }
}
