package io.ivrflow.plivo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A small client of Plivo's Call API (make a call, start and stop a recording) on {@code java.net.http}.
 *
 * <p>No SDK: the three requests are plain JSON over HTTPS with Basic authentication, and the official SDK would
 * bring its own HTTP stack, JSON mapper and logging for them. Every outcome, including an unreachable or slow
 * Plivo, comes back as a {@link Result}; nothing is thrown for I/O, so callers decide what a caller of theirs
 * sees. The token is only ever put in the {@code Authorization} header: it is not logged, not in
 * {@link #toString()} and not in any {@link Result}.
 *
 * <p>Thread-safe: the fields are immutable and the one {@link HttpClient} is shared by all requests.
 */
public final class PlivoApi {

    /** {@link Result#status()} when Plivo could not be reached at all (connection refused, unknown host...). */
    public static final int STATUS_UNREACHABLE = 0;
    /** {@link Result#status()} when Plivo did not answer within the timeout (as a gateway would say it). */
    public static final int STATUS_TIMEOUT = 504;

    /** Path segments we build URLs with: call uuids are UUIDs, auth ids are letters and digits. */
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    /** Enough of a non-JSON error body (a proxy's HTML page...) to recognise it, not enough to flood a log. */
    private static final int MAX_ERROR_TEXT = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What Plivo answered. {@code status} is the HTTP status, or {@link #STATUS_UNREACHABLE} /
     * {@link #STATUS_TIMEOUT} when no answer came; {@code requestUuid} and {@code message} come from a success
     * body, {@code error} from an error body (or says why there was no answer).
     */
    public record Result(int status, String requestUuid, String message, String error) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * True when Plivo gave no usable answer: unreachable, or too slow (ours or a gateway's 504). Whether a
         * call was placed is then unknown, unlike a 4xx/5xx where Plivo said no.
         */
        public boolean noAnswer() {
            return status == STATUS_UNREACHABLE || status == STATUS_TIMEOUT;
        }
    }

    private final String apiUrl;
    private final String authId;
    private final String authToken;
    private final Duration timeout;
    private final HttpClient http;

    /** With an HTTP client of its own (tools and tests). */
    public PlivoApi(String apiUrl, String authId, String authToken, Duration timeout) {
        this(apiUrl, authId, authToken, timeout, null);
    }

    /**
     * @param http a client that follows no redirect (a redirect must not carry our Basic credentials to another
     *             host), shared with the service's other requests; null: one of its own
     */
    public PlivoApi(String apiUrl, String authId, String authToken, Duration timeout, HttpClient http) {
        String url = Objects.requireNonNull(apiUrl, "apiUrl").trim();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("Plivo API URL must start with http:// or https://: " + apiUrl);
        }
        this.apiUrl = url;
        this.authId = authId == null ? "" : authId.trim();
        this.authToken = authToken == null ? "" : authToken.trim();
        this.timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(5) : timeout;
        this.http = http != null ? http : HttpClient.newBuilder()
                .connectTimeout(this.timeout)
                // a redirect must not carry our Basic credentials to another host
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Whether an auth id and a token were given: without them every request would be a 401. */
    public boolean configured() {
        return !authId.isEmpty() && !authToken.isEmpty();
    }

    public String apiUrl() {
        return apiUrl;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Places an outbound call: Plivo dials {@code to} from {@code from} and, once answered, asks
     * {@code answerUrl} (POST) what to do; {@code hangupUrl} (POST) hears when the call ends. A 201 carries
     * the {@code request_uuid} Plivo later reports as {@code RequestUUID} on the answer webhook.
     */
    public Result makeCall(String from, String to, String answerUrl, String hangupUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", from);
        // a single destination as a string: the array form is only needed for several numbers joined by '<'
        body.put("to", to);
        body.put("answer_url", answerUrl);
        body.put("answer_method", "POST");
        if (hangupUrl != null && !hangupUrl.isBlank()) {
            body.put("hangup_url", hangupUrl);
            body.put("hangup_method", "POST");
        }
        return send("POST", "Call/", body);
    }

    /** Starts recording a live call as MP3 (Plivo answers 202 with the recording's URL). */
    public Result startRecording(String callUuid) {
        if (!safe(callUuid)) {
            return invalidCallUuid(callUuid);
        }
        return send("POST", "Call/" + callUuid + "/Record/", Map.of("file_format", "mp3"));
    }

    /** Stops every recording of a live call (Plivo answers 204). */
    public Result stopRecording(String callUuid) {
        if (!safe(callUuid)) {
            return invalidCallUuid(callUuid);
        }
        return send("DELETE", "Call/" + callUuid + "/Record/", null);
    }

    private Result send(String method, String relativePath, Map<String, Object> body) {
        if (!configured()) {
            // not sent: Plivo would only answer 401, and an empty Basic header is not worth a round trip
            return new Result(401, null, null, "Plivo credentials are not configured");
        }
        URI uri;
        HttpRequest request;
        try {
            uri = URI.create(apiUrl + "/v1/Account/" + URLEncoder.encode(authId, StandardCharsets.UTF_8) + "/"
                    + relativePath);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Authorization", basic())
                    .header("Accept", "application/json")
                    .header("User-Agent", "ivrflow");
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json; charset=UTF-8")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body),
                                StandardCharsets.UTF_8));
            }
            request = b.build();
        } catch (IllegalArgumentException | JsonProcessingException e) {
            return new Result(STATUS_UNREACHABLE, null, null, "invalid Plivo request: " + e.getMessage());
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return parse(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            // also HttpConnectTimeoutException: a black-holed connection is as slow as a slow answer
            return new Result(STATUS_TIMEOUT, null, null, "no answer from Plivo within " + timeout.toMillis() + " ms (" + apiUrl + ")");
        } catch (ConnectException e) {
            return new Result(STATUS_UNREACHABLE, null, null, "cannot connect to Plivo at " + apiUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (IOException e) {
            return new Result(STATUS_UNREACHABLE, null, null, "Plivo request to " + apiUrl + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(STATUS_UNREACHABLE, null, null, "interrupted while waiting for Plivo");
        }
    }

    /** Reads Plivo's JSON answer; an answer that is not JSON (a proxy's page) still gives a readable error. */
    static Result parse(int status, String body) {
        JsonNode json = null;
        if (body != null && !body.isBlank()) {
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
        }
        String requestUuid = json == null ? null : text(json, "request_uuid");
        String message = json == null ? null : text(json, "message");
        if (status >= 200 && status < 300) {
            return new Result(status, requestUuid, message, null);
        }
        String error = json == null ? null : text(json, "error");
        if (error == null && json != null && json.has("error")) {
            // some errors are objects ({"error": {"to": "invalid"}}): show them as they came
            error = json.get("error").toString();
        }
        if (error == null && message != null) {
            error = message;
        }
        if (error == null) {
            error = body == null || body.isBlank() ? "no error text"
                    : body.strip().length() > MAX_ERROR_TEXT ? body.strip().substring(0, MAX_ERROR_TEXT) + "..." : body.strip();
        }
        return new Result(status, requestUuid, message, error);
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((authId + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean safe(String segment) {
        return segment != null && SAFE_SEGMENT.matcher(segment).matches();
    }

    private static Result invalidCallUuid(String callUuid) {
        // refused here as Plivo would refuse a bad parameter, and before it can change the request path
        return new Result(400, null, null, "invalid call uuid: "
                + (callUuid == null ? "null" : "'" + callUuid.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
    }

    /** Shows where requests go and whether credentials are set, never the credentials. */
    @Override
    public String toString() {
        return "PlivoApi[apiUrl=" + apiUrl + ", credentials=" + (configured() ? "set" : "missing")
                + ", timeout=" + timeout.toMillis() + "ms]";
    }
}
