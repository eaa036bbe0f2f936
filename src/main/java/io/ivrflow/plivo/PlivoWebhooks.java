package io.ivrflow.plivo;

import io.ivrflow.observe.CallJournal;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.lookup.HttpLookupService;
import io.ivrflow.lookup.LookupService;
import io.ivrflow.prompts.AudioFiles;
import io.ivrflow.prompts.AudioTarget;
import io.ivrflow.prompts.Platform;
import io.ivrflow.prompts.PromptResolver;
import io.ivrflow.prompts.Prompts;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Camel side of the Plivo webhooks: reads Plivo's parameters from the query string and the form body,
 * checks the request signature, lets {@link PlivoCalls} answer, and writes the HTTP reply with only the
 * headers it means to send (platform-http would echo every request header and form field otherwise).
 *
 * <p>Configured from {@code routes/beans.camel.yaml}; see the {@code ivr.plivo.*} keys in the README.
 */
public class PlivoWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(PlivoWebhooks.class);
    static final String XML = "application/xml; charset=UTF-8";

    private FlowRepository flowRepository;
    private Prompts prompts;
    private CallJournal journal = new CallJournal();
    private LookupService lookupService = new HttpLookupService();
    private CallRecorder recorder = CallRecorder.UNAVAILABLE;
    private Clock clock = Clock.systemUTC();
    private String publicUrl = "";
    private String httpPort = "8080";
    private String authToken = "";
    private String extraAuthTokens = "";
    private String signatureCheck = "auto";
    private String tokenSecret = "";
    private long tokenMaxAgeHours = 24;
    private String destinations = "";
    private String sipDomain = "";

    private volatile PlivoCalls calls;
    private volatile PlivoSignature signature;
    private volatile boolean checkSignatures;

    /** Answers a webhook ({@code /plivo/{ivrFlow}/{ivrStep}}). */
    public void handle(Exchange exchange) {
        long arrived = System.nanoTime();
        Message in = exchange.getMessage();
        String flowId = in.getHeader("ivrFlow", "", String.class);
        String step = in.getHeader("ivrStep", "", String.class);
        Request request = read(in);
        if (!authentic(in, request)) {
            reply(in, 403, "text/plain; charset=UTF-8", "");
            return;
        }
        Optional<PlivoCalls.Hook> hook = PlivoCalls.Hook.of(step);
        if (hook.isEmpty()) {
            LOG.warn("no Plivo webhook named {} (flow {})", step, flowId);
            reply(in, 404, XML, new PlivoXml().done());
            return;
        }
        reply(in, 200, XML, calls().handle(flowId, hook.get(), request.params()));
        journal.getMetrics().webhook(hook.get().name().toLowerCase(java.util.Locale.ROOT), System.nanoTime() - arrived);
    }

    /** The hangup callback ({@code /plivo/hangup}): a notification, answered with an empty document. */
    public void hangup(Exchange exchange) {
        Message in = exchange.getMessage();
        Request request = read(in);
        if (!authentic(in, request)) {
            reply(in, 403, "text/plain; charset=UTF-8", "");
            return;
        }
        calls().hangup(request.params());
        reply(in, 200, XML, new PlivoXml().done());
    }

    // ---------------------------------------------------------------- request and reply

    /** Plivo's parameters: decoded, query first, then the form body (POST), which wins on a clash. */
    record Request(String url, String method, Map<String, String> params, Map<String, List<String>> form) {
    }

    private Request read(Message in) {
        String method = in.getHeader(Exchange.HTTP_METHOD, "POST", String.class);
        String rawQuery = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, "", String.class);
        Map<String, String> params = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            try {
                PlivoSignature.queryParams(rawQuery).forEach(q -> params.putIfAbsent(q.key(), q.value()));
            } catch (IllegalArgumentException e) {
                // a malformed escape: no parameters from the query, and the signature check refuses the request
            }
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        if ("POST".equalsIgnoreCase(method) && in.getBody() instanceof Map<?, ?> body) {
            for (Map.Entry<?, ?> e : body.entrySet()) {
                List<String> values = new ArrayList<>();
                if (e.getValue() instanceof Iterable<?> many) {
                    many.forEach(v -> values.add(String.valueOf(v)));
                } else if (e.getValue() != null) {
                    values.add(String.valueOf(e.getValue()));
                }
                form.put(String.valueOf(e.getKey()), values);
                if (!values.isEmpty()) {
                    params.put(String.valueOf(e.getKey()), values.get(0));
                }
            }
        }
        String path = uri.indexOf('?') >= 0 ? uri.substring(0, uri.indexOf('?')) : uri;
        String url = publicUrl() + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return new Request(url, method.toUpperCase(java.util.Locale.ROOT), params, form);
    }

    private boolean authentic(Message in, Request request) {
        calls();
        if (!checkSignatures) {
            return true;
        }
        boolean ok = signature.valid(request.url(), request.method(), request.form(),
                in.getHeader("X-Plivo-Signature-V3-Nonce", String.class),
                in.getHeader("X-Plivo-Signature-V3", String.class),
                in.getHeader("X-Plivo-Signature-Ma-V3", String.class));
        if (!ok) {
            // what was wrong stays here: the caller of a forged request learns nothing
            LOG.warn("refused a Plivo webhook with a missing or wrong signature: {} {}", request.method(),
                    request.url().replaceAll("([?&]s=)[^&]*", "$1…"));
        }
        return ok;
    }

    /** Replies with exactly these headers: the request's (form fields, signatures, tokens) are dropped. */
    static void reply(Message in, int status, String contentType, String body) {
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, contentType);
        in.setBody(body);
    }

    // ---------------------------------------------------------------- set-up

    /** Built on first use, once every property is set. */
    PlivoCalls calls() {
        PlivoCalls c = calls;
        if (c == null) {
            synchronized (this) {
                if (calls == null) {
                    calls = build();
                }
                c = calls;
            }
        }
        return c;
    }

    private PlivoCalls build() {
        List<String> tokens = new ArrayList<>();
        if (!authToken.isBlank()) {
            tokens.add(authToken.trim());
        }
        Arrays.stream(extraAuthTokens.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(tokens::add);
        boolean wanted = "auto".equalsIgnoreCase(signatureCheck) ? !tokens.isEmpty()
                : Boolean.parseBoolean(signatureCheck);
        if (wanted && tokens.isEmpty()) {
            throw new IllegalStateException("ivr.plivo.signature-check is on but no Plivo auth token is configured");
        }
        signature = wanted ? new PlivoSignature(tokens) : null;
        checkSignatures = wanted;
        if (!wanted) {
            LOG.warn("Plivo webhook signatures are NOT checked (no PLIVO_AUTH_TOKEN): anyone can drive calls");
        }
        String secret = !tokenSecret.isBlank() ? tokenSecret : !authToken.isBlank() ? "plivo:" + authToken : null;
        if (secret == null) {
            LOG.warn("no ivr.plivo.token-secret: call states are signed with a random key, so calls cannot move to "
                    + "another instance or survive a restart");
            secret = StateToken.randomSecret();
        }
        String directory = flowRepository == null ? "flows" : flowRepository.getDirectory();
        return new PlivoCalls(flowRepository, new StateToken(secret, Duration.ofHours(tokenMaxAgeHours)),
                lookupService, recorder, new DialTargets(destinations, sipDomain), new AudioFiles(directory),
                prompts != null ? prompts.resolver() : new PromptResolver(new AudioFiles(directory), null,
                        List.of(PromptResolver.Source.RECORDED, PromptResolver.Source.PLATFORM), Duration.ZERO),
                prompts != null ? prompts.platform("plivo") : new Platform("plivo", AudioTarget.parse("mp3"), true,
                        Platform.SERVED),
                journal, clock, publicUrl());
    }

    String publicUrl() {
        return baseUrl(publicUrl, Integer.parseInt(httpPort.trim()));
    }

    /** The base URL Plivo reaches this service at, without a trailing slash; empty: {@code http://localhost:<port>}. */
    static String baseUrl(String configured, int port) {
        String base = configured == null || configured.isBlank() ? "http://localhost:" + port : configured.trim();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }

    /** Prompt audio: recorded, synthesised and cached (without it, recorded files and Plivo's Speak only). */
    public void setPrompts(Prompts prompts) {
        this.prompts = prompts;
    }

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    public void setJournal(CallJournal journal) {
        this.journal = journal;
    }

    public CallJournal getJournal() {
        return journal;
    }

    public void setLookupService(LookupService lookupService) {
        this.lookupService = lookupService;
        this.calls = null;
    }

    public void setRecorder(CallRecorder recorder) {
        this.recorder = recorder;
        this.calls = null;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
        this.calls = null;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    public void setHttpPort(String httpPort) {
        this.httpPort = httpPort;
    }

    public void setAuthToken(String authToken) {
        this.authToken = authToken == null ? "" : authToken;
    }

    public void setExtraAuthTokens(String extraAuthTokens) {
        this.extraAuthTokens = extraAuthTokens == null ? "" : extraAuthTokens;
    }

    /** {@code auto} (on when an auth token is configured), {@code true} or {@code false}. */
    public void setSignatureCheck(String signatureCheck) {
        this.signatureCheck = signatureCheck;
    }

    public void setTokenSecret(String tokenSecret) {
        this.tokenSecret = tokenSecret == null ? "" : tokenSecret;
    }

    public void setTokenMaxAgeHours(long tokenMaxAgeHours) {
        this.tokenMaxAgeHours = tokenMaxAgeHours;
    }

    public void setDestinations(String destinations) {
        this.destinations = destinations;
    }

    public void setSipDomain(String sipDomain) {
        this.sipDomain = sipDomain;
    }

    @Override
    public String toString() {
        return "PlivoWebhooks[publicUrl=" + publicUrl() + ", signatures=" + (checkSignatures ? "checked" : "off") + "]";
    }
}
