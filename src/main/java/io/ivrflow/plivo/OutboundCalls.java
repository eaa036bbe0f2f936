package io.ivrflow.plivo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.BearerToken;
import io.ivrflow.ops.HttpReply;
import io.ivrflow.ops.Repeats;
import io.ivrflow.ops.Requests;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.ivrflow.ops.UserInput.shown;

/**
 * {@code POST /api/calls}: asks Plivo to call a number and run one of our flows when it answers.
 *
 * <p>The request is {@code {"to": "+15551234567", "flow": "inspireworks", "from": optional, "language":
 * optional}}. Everything a person can get wrong is checked here, before Plivo is asked, and answered with a
 * status and a sentence that says what to fix: 401 (API token), 503 (no Plivo credentials), 400 (the
 * request), 404 / 422 (the flow), then 201 once Plivo accepted the call, 502 when Plivo refused it, 504 when
 * Plivo did not answer. Plivo then fetches {@code {public-url}/plivo/{flow}/answer} (the webhook routes) and
 * posts to {@code {public-url}/plivo/hangup} at the end.
 *
 * <p>The route reads nothing but {@link Reply}: this class sees no exchange, so it is tested with plain calls,
 * and a mistake here cannot leak request headers into the response.
 */
public class OutboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** E.164: a plus, a non-zero country code digit, 8 to 15 digits in all. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** Plivo's caller id: E.164 with or without the plus (the console shows numbers without it). */
    private static final Pattern CALLER_ID = Pattern.compile("\\+?[1-9][0-9]{7,14}");
    /** One SIP destination; '<' (Plivo's separator of several destinations), spaces and commas are refused. */
    static final Pattern SIP_URI = Pattern.compile("sips?:[A-Za-z0-9._~!$&'*+=;%-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?",
            Pattern.CASE_INSENSITIVE);
    /** What people type around digits ("+1 (555) 123-4567"): dropped before checking a number. */
    private static final Pattern NUMBER_PUNCTUATION = Pattern.compile("[\\s().\\-]");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");
    private static final Set<String> FIELDS = Set.of("to", "flow", "from", "language");
    private static final String EXAMPLE = "{\"to\": \"+15551234567\", \"flow\": \"inspireworks\"}";

    /**
     * What {@code POST /api/calls} answers: the HTTP status and the JSON object to send.
     *
     * @param repeated the answer given earlier to a request with the same {@code Idempotency-Key}
     */
    public record Reply(int status, Map<String, Object> content, boolean repeated) {
        public Reply {
            // keeps the order fields were put in: the JSON reads in that order
            content = Collections.unmodifiableMap(new LinkedHashMap<>(content));
        }

        Reply(int status, Map<String, Object> content) {
            this(status, content, false);
        }

        static Reply error(int status, String error) {
            return new Reply(status, Map.of("error", error));
        }
    }

    /** A request with an Idempotency-Key: what it asked (a digest of its body) and what it was answered. */
    private record Placed(String request, Reply reply) {
    }

    /** Answers given once Plivo was asked: a repeat of such a request must not ask again. */
    private static final Set<Integer> PLIVO_ASKED = Set.of(201, 502, 504);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final PlivoApi plivoApi;
    private final FlowRepository flowRepository;
    private final String baseUrl;
    private final String callerId;
    private final BearerToken apiToken;
    /** Requests with an Idempotency-Key, a day long (the usual retry window of API clients). */
    private final Repeats<Placed> placed;

    public OutboundCalls(PlivoApi plivoApi, FlowRepository flowRepository, PlivoSettings settings, Clock clock) {
        this.placed = new Repeats<>(10_000, Duration.ofHours(24), Duration.ofSeconds(30), clock);
        this.plivoApi = plivoApi;
        this.flowRepository = flowRepository;
        this.baseUrl = settings.publicUrl();
        this.callerId = settings.callerId();
        this.apiToken = settings.apiToken();
        LOG.info("Outbound calls (POST /api/calls): {}, webhooks under {}, caller id {}, API token {}", plivoApi, baseUrl,
                callerId.isEmpty() ? "not set (PLIVO_NUMBER)" : callerId, tokenRequired() ? "required" : "not required");
        if (plivoApi.configured() && baseUrl.startsWith("http://localhost:")) {
            LOG.warn("ivr.plivo.public-url (IVR_PLIVO_PUBLIC_URL) is not set: Plivo will be told to fetch {} which it "
                    + "cannot reach from the internet", baseUrl);
        }
    }

    public boolean tokenRequired() {
        return apiToken.configured();
    }

    /** The base of the webhook URLs given to Plivo, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * {@code POST /api/calls} over HTTP: 201 and what Plivo said, or the refusal as an {@link ApiError}.
     */
    public HttpReply call(@Body byte[] body, @Header("Authorization") String authorization,
                          @Header("Idempotency-Key") String idempotencyKey) {
        Reply reply = place(body == null ? "" : new String(Requests.limit(body), StandardCharsets.UTF_8), authorization,
                idempotencyKey);
        if (reply.status() < 400) {
            HttpReply ok = HttpReply.json(reply.status(), reply.content());
            return reply.repeated() ? ok.withHeader("Idempotent-Replayed", "true") : ok;
        }
        Map<String, Object> details = new LinkedHashMap<>(reply.content());
        String error = String.valueOf(details.remove("error"));
        ApiError refusal = new ApiError(reply.status(), error).with(details);
        throw reply.status() == 401 ? refusal.withHeader("WWW-Authenticate", "Bearer") : refusal;
    }

    /**
     * Handles one {@code POST /api/calls} that may carry an {@code Idempotency-Key}: a request repeated with the same
     * key and body gets the first one's answer once Plivo was asked (placed, refused or silent), without asking
     * Plivo again, for a day; the same key with another body is refused (422); a repeat while the first is still
     * being answered waits for it.
     */
    public Reply place(String body, String authorization, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            return place(body, authorization);
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            return Reply.error(400, "the Idempotency-Key header must be 1 to 255 visible ASCII characters");
        }
        if (tokenRequired() && !apiToken.matches(authorization)) {
            // answered before the key is looked at: repeats are for the token's holder only
            return place(body, authorization);
        }
        String request = digest(body);
        Repeats.Answer<Placed> answer = placed.once(idempotencyKey, () -> new Placed(request, place(body, authorization)),
                p -> PLIVO_ASKED.contains(p.reply().status()),
                () -> new Placed(request, Reply.error(409, "the first request with this Idempotency-Key is still "
                        + "being answered; try again later")));
        if (!answer.repeated()) {
            return answer.value().reply();
        }
        if (!answer.value().request().equals(request)) {
            return Reply.error(422, "this Idempotency-Key was used for another request: use a new key for each call");
        }
        Reply first = answer.value().reply();
        LOG.info("POST /api/calls repeated with the same Idempotency-Key: the first answer ({}) is given again, "
                + "Plivo is not asked", first.status());
        return new Reply(first.status(), first.content(), true);
    }

    private static String digest(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Handles one {@code POST /api/calls}. Never throws: an unexpected failure is a 500 with a generic sentence
     * (the details go to the log).
     *
     * @param body          the request body (JSON)
     * @param authorization the request's {@code Authorization} header, or null
     */
    public Reply place(String body, String authorization) {
        try {
            return placeChecked(body, authorization);
        } catch (RuntimeException e) {
            LOG.error("Placing an outbound call failed unexpectedly", e);
            return Reply.error(500, "internal error while placing the call; see the service log");
        }
    }

    private Reply placeChecked(String body, String authorization) {
        if (tokenRequired() && !apiToken.matches(authorization)) {
            LOG.debug("POST /api/calls refused: missing or wrong API token");
            return Reply.error(401, "missing or wrong API token: send the header 'Authorization: Bearer <IVR_API_TOKEN>'");
        }
        if (!plivoApi.configured()) {
            return Reply.error(503, "Plivo credentials are not configured (PLIVO_AUTH_ID, PLIVO_AUTH_TOKEN)");
        }

        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return Reply.error(400, "the request body must be a JSON object like " + EXAMPLE);
        }
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return Reply.error(400, "unknown field '" + shown(name) + "': expected to, flow, from, language");
            }
            if (!request.get(name).isTextual() && !request.get(name).isNull()) {
                return Reply.error(400, "'" + name + "' must be a string, like " + EXAMPLE);
            }
        }

        String to = normalizedDestination(request.path("to").asText(""));
        if (to.isEmpty()) {
            return Reply.error(400, "'to' is required: the number to call in E.164 form (+15551234567) or a sip: URI");
        }
        if (!E164.matcher(to).matches() && !SIP_URI.matcher(to).matches()) {
            return Reply.error(400, "'to' must be a phone number in E.164 form (a + then 8 to 15 digits, like "
                    + "+15551234567) or a sip: URI (sip:user@host); got '" + shown(to) + "'");
        }

        String flowId = request.path("flow").asText("").trim();
        if (flowId.isEmpty()) {
            return Reply.error(400, "'flow' is required: one of " + servedFlows(flowRepository));
        }
        FlowRepository flows = flowRepository;
        Optional<Flow> flow = flows.catalog().find(flowId);
        if (flow.isEmpty()) {
            Optional<FlowRepository.Entry> broken = brokenFile(flows, flowId);
            if (broken.isPresent()) {
                return Reply.error(422, "flow '" + shown(flowId) + "' is not served: " + broken.get().file() + " has "
                        + broken.get().errorCount() + " error(s), first: " + firstError(broken.get()));
            }
            return Reply.error(404, "unknown flow '" + shown(flowId) + "'; flows served: " + servedFlows(flows));
        }

        String language = request.path("language").asText("").trim();
        if (!language.isEmpty()) {
            if (!LANGUAGE_TAG.matcher(language).matches()) {
                return Reply.error(400, "'language' must be a language tag like en-US; got '" + shown(language) + "'");
            }
            List<String> languages = flow.get().languages();
            if (languages != null && !languages.isEmpty() && !languages.contains(language)) {
                return Reply.error(422, "flow '" + flowId + "' has no language '" + language + "'; its languages: "
                        + String.join(", ", languages));
            }
        }

        String from = request.path("from").asText("").trim();
        if (from.isEmpty()) {
            from = callerId;
        }
        if (from.isEmpty()) {
            return Reply.error(400, "no caller id: give 'from' (a number of your Plivo account) or set PLIVO_NUMBER");
        }
        from = NUMBER_PUNCTUATION.matcher(from).replaceAll("");
        if (!CALLER_ID.matcher(from).matches()) {
            return Reply.error(400, "'from' must be a phone number of your Plivo account, like +15551230000; got '"
                    + shown(from) + "'");
        }

        String answerUrl = answerUrl(flowId, language);
        String hangupUrl = baseUrl() + "/plivo/hangup";
        PlivoApi.Result result = plivoApi.makeCall(from, to, answerUrl, hangupUrl);

        if (result.ok()) {
            LOG.info("Outbound call placed: flow={} to={}{} requestUuid={}", flowId, mask(to),
                    language.isEmpty() ? "" : " language=" + language, result.requestUuid());
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("requestUuid", result.requestUuid() == null ? "" : result.requestUuid());
            content.put("message", result.message() == null ? "call fired" : result.message());
            content.put("flow", flowId);
            content.put("to", to);
            return new Reply(201, content);
        }
        if (result.noAnswer()) {
            LOG.warn("Outbound call to {} (flow {}) not placed, Plivo did not answer: {}", mask(to), flowId,
                    result.error());
            return Reply.error(504, "Plivo did not answer in time");
        }
        LOG.warn("Outbound call to {} (flow {}) refused by Plivo: {} (HTTP {})", mask(to), flowId, result.error(),
                result.status());
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("error", "Plivo refused the call: " + result.error() + " (HTTP " + result.status() + ")");
        content.put("plivoStatus", result.status());
        return new Reply(502, content);
    }

    /** {@code {base}/plivo/{flow}/answer[?lang=xx-YY]}: the webhook that runs the flow once the callee answers. */
    String answerUrl(String flowId, String language) {
        String url = baseUrl() + "/plivo/" + URLEncoder.encode(flowId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/answer";
        return language == null || language.isEmpty() ? url
                : url + "?lang=" + URLEncoder.encode(language, StandardCharsets.UTF_8);
    }

    private static String normalizedDestination(String raw) {
        String to = raw.trim();
        return to.regionMatches(true, 0, "sip", 0, 3) ? to : NUMBER_PUNCTUATION.matcher(to).replaceAll("");
    }

    private static Optional<FlowRepository.Entry> brokenFile(FlowRepository flows, String flowId) {
        // a file that never loaded has no flow id; its file name is the best guess of the id it meant to have
        return flows.entries().stream()
                .filter(e -> !e.usable())
                .filter(e -> e.file().getFileName().toString().equals(flowId + ".json"))
                .findFirst();
    }

    private static String firstError(FlowRepository.Entry entry) {
        return entry.diagnostics().stream().filter(Diagnostic::isError).findFirst()
                .map(Diagnostic::format).orElse("(none reported)");
    }

    private static String servedFlows(FlowRepository flows) {
        String served = flows.catalog().all().stream().map(Flow::id).sorted()
                .collect(Collectors.joining(", "));
        return served.isEmpty() ? "(none: check the flows directory)" : served;
    }

    /**
     * A destination as logs show it: country code and last four digits of a number ({@code +1555***4567}), the
     * host of a SIP URI. Enough to match a complaint to a log line, not to call the person back.
     */
    static String mask(String destination) {
        if (destination == null || destination.isEmpty()) {
            return "";
        }
        int at = destination.indexOf('@');
        if (destination.regionMatches(true, 0, "sip", 0, 3) && at > 0) {
            int colon = destination.indexOf(':');
            String user = destination.substring(colon + 1, at);
            return destination.substring(0, colon + 1) + (user.isEmpty() ? "" : user.charAt(0)) + "***"
                    + destination.substring(at);
        }
        if (destination.length() >= 10) {
            return destination.substring(0, 5) + "***" + destination.substring(destination.length() - 4);
        }
        return destination.substring(0, Math.min(3, destination.length())) + "***";
    }

    @Override
    public String toString() {
        return "OutboundCalls[" + plivoApi + ", webhooks under " + baseUrl() + ", API token "
                + (tokenRequired() ? "required" : "not required") + "]";
    }
}
