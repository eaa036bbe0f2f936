package io.ivrflow.plivo;

import io.ivrflow.flow.FlowReleases;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.observe.CallJournal;
import io.ivrflow.ops.HttpReply;
import io.ivrflow.ops.Requests;
import io.ivrflow.ops.UserInput;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PromptResolver;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of the Plivo webhooks (routes/plivo-webhooks.camel.yaml): reads Plivo's parameters from the query
 * string and the form body, checks the request's signature, and lets {@link PlivoCalls} answer with a Plivo XML
 * document. Nothing a request carries comes back in the response (one header policy for every endpoint).
 */
public class PlivoWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(PlivoWebhooks.class);

    /** Plivo retries within seconds: two minutes of documents, at most this many, are kept for repeats. */
    private static final int REPEATS_KEPT = 5_000;
    private static final java.time.Duration REPEATS_KEPT_FOR = java.time.Duration.ofMinutes(2);
    /** Calls whose last step is remembered against replays, for the state tokens' life (about 150 bytes each). */
    private static final int CALLS_REMEMBERED = 200_000;

    private final PlivoCalls calls;
    private final PlivoSignature signature;
    private final CallJournal journal;
    private final String publicUrl;

    public PlivoWebhooks(PlivoSettings settings, FlowReleases releases, CallJournal journal, LookupService lookups,
                         CallRecorder recorder, AudioFiles audio, PromptResolver prompts, Platform platform,
                         Clock clock) {
        this.journal = journal;
        this.publicUrl = settings.publicUrl();
        this.signature = settings.checkSignatures() ? new PlivoSignature(settings.authTokens()) : null;
        if (signature == null) {
            LOG.warn("Plivo webhook signatures are NOT checked (no PLIVO_AUTH_TOKEN): anyone can drive calls");
        }
        String secret = !settings.tokenSecret().isBlank() ? settings.tokenSecret()
                : !settings.authToken().isBlank() ? "plivo:" + settings.authToken() : null;
        if (secret == null) {
            LOG.warn("no ivr.plivo.token-secret: call states are signed with a random key, so calls cannot move to "
                    + "another instance or survive a restart");
            secret = StateToken.randomSecret();
        }
        this.calls = new PlivoCalls(releases, new StateToken(secret, settings.tokenMaxAge()), lookups, recorder,
                new DialTargets(settings.destinations(), settings.sipDomain()), audio, prompts, platform, journal,
                clock, publicUrl, new WebhookReplays(REPEATS_KEPT, REPEATS_KEPT_FOR, CALLS_REMEMBERED,
                        settings.tokenMaxAge(), clock));
    }

    /** {@code /plivo/{flow}/{step}}: answers a webhook with the next document. */
    public HttpReply webhook(@Header("flow") String flowId, @Header("step") String step,
                             @Header(Exchange.HTTP_METHOD) String method, @Header(Exchange.HTTP_URI) String uri,
                             @Header(Exchange.HTTP_RAW_QUERY) String rawQuery, @Body byte[] body,
                             @Header("X-Plivo-Signature-V3-Nonce") String nonce,
                             @Header("X-Plivo-Signature-V3") String v3,
                             @Header("X-Plivo-Signature-Ma-V3") String maV3) {
        long arrived = System.nanoTime();
        Request request = read(method, uri, rawQuery, body);
        if (!authentic(request, nonce, v3, maV3)) {
            return HttpReply.text(403, HttpReply.TEXT, "");
        }
        Optional<PlivoCalls.Hook> hook = PlivoCalls.Hook.of(step);
        if (hook.isEmpty()) {
            LOG.warn("no Plivo webhook named {} (flow {})", UserInput.shown(step),
                    UserInput.shown(flowId));
            return xml(404, new PlivoXml().done());
        }
        Optional<String> malformed = malformed(request.params());
        if (malformed.isPresent()) {
            LOG.warn("refused a Plivo {} webhook for flow {}: {}", hook.get().name().toLowerCase(Locale.ROOT),
                    UserInput.shown(flowId), malformed.get());
            return xml(400, new PlivoXml().hangup().done());
        }
        HttpReply reply = xml(200, calls.handle(flowId, hook.get(), request.params()));
        journal.metrics().webhook(hook.get().name().toLowerCase(Locale.ROOT), System.nanoTime() - arrived);
        return reply;
    }

    /** {@code /plivo/hangup}: the end of a call, a notification answered with an empty document. */
    public HttpReply hangup(@Header(Exchange.HTTP_METHOD) String method, @Header(Exchange.HTTP_URI) String uri,
                            @Header(Exchange.HTTP_RAW_QUERY) String rawQuery, @Body byte[] body,
                            @Header("X-Plivo-Signature-V3-Nonce") String nonce,
                            @Header("X-Plivo-Signature-V3") String v3,
                            @Header("X-Plivo-Signature-Ma-V3") String maV3) {
        Request request = read(method, uri, rawQuery, body);
        if (!authentic(request, nonce, v3, maV3)) {
            return HttpReply.text(403, HttpReply.TEXT, "");
        }
        calls.hangup(request.params());
        return xml(200, new PlivoXml().done());
    }

    /** Plivo's call ids are UUIDs; numbers, SIP addresses and keys are short. */
    private static final java.util.regex.Pattern CALL_UUID = java.util.regex.Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Map<String, Integer> LONGEST = Map.of("From", 256, "To", 256, "Digits", 128,
            "CallerName", 256, "lang", 35, "start", 128);

    /**
     * What no request of Plivo's looks like, said without the values: such a request would be carried into every
     * state token and URL of the call (a document Plivo refuses past 100 KB), so it is refused at the door.
     */
    static Optional<String> malformed(Map<String, String> params) {
        String callId = params.get("CallUUID");
        if (callId != null && !CALL_UUID.matcher(callId).matches()) {
            return Optional.of("CallUUID is not a Plivo call id (" + callId.length() + " characters)");
        }
        for (Map.Entry<String, Integer> limit : LONGEST.entrySet()) {
            String value = params.get(limit.getKey());
            if (value != null && value.length() > limit.getValue()) {
                return Optional.of(limit.getKey() + " is " + value.length() + " characters long (at most "
                        + limit.getValue() + ")");
            }
        }
        return Optional.empty();
    }

    private static HttpReply xml(int status, String document) {
        return HttpReply.of(status, HttpReply.XML, document.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- request

    /**
     * Plivo's parameters, decoded: query first, then the form body (POST), which wins on a clash; {@code url} is
     * the URL Plivo signed, {@code path} the one to log (the query may carry a caller's number).
     */
    record Request(String url, String path, String method, Map<String, String> params,
                   Map<String, List<String>> form) {
    }

    /** @param uri the request's URI as sent (the path Plivo signed, not a normalised one) */
    private Request read(String method, String uri, String rawQuery, byte[] body) {
        String m = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        Map<String, String> params = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            try {
                PlivoSignature.queryParams(rawQuery).forEach(q -> params.putIfAbsent(q.key(), q.value()));
            } catch (IllegalArgumentException e) {
                // a malformed escape: no parameters from the query, and the signature check refuses the request
            }
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        if ("POST".equals(m) && body != null && body.length > 0) {
            try {
                for (PlivoSignature.Param p : PlivoSignature.queryParams(new String(body, StandardCharsets.UTF_8))) {
                    form.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value());
                }
            } catch (IllegalArgumentException e) {
                // a malformed escape in the body: no form parameters; the signature check refuses the request
            }
            form.forEach((k, v) -> params.put(k, v.get(0)));
        }
        String p = Requests.path(uri);
        String url = publicUrl + p + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return new Request(url, p, m, params, form);
    }

    private boolean authentic(Request request, String nonce, String v3, String maV3) {
        if (signature == null) {
            return true;
        }
        boolean ok = signature.valid(request.url(), request.method(), request.form(), nonce, v3, maV3);
        if (!ok) {
            // what was wrong stays here, and the query (numbers, the call's state) is not logged
            LOG.warn("refused a Plivo webhook with a missing or wrong signature: {} {}", request.method(),
                    request.path());
        }
        return ok;
    }

    @Override
    public String toString() {
        return "PlivoWebhooks[publicUrl=" + publicUrl + ", signatures=" + (signature != null ? "checked" : "off") + "]";
    }
}
