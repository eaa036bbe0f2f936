package io.ivrflow.bench;

import io.ivrflow.plivo.PlivoSignature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Prepares signed Plivo webhooks for the Plivo load benchmark ({@code bench/plivo-webhooks.sh}, see
 * docs/benchmarks.md) against a running service, and writes them as files that {@code bench/plivo-webhooks.lua}
 * (wrk) replays.
 *
 * <p>For each call it makes an answer webhook ({@code /plivo/inspireworks/answer} or
 * {@code /plivo/contact-centre/answer}; distinct CallUUIDs; the parameters Plivo sends on answer), sends it once
 * to the service, takes the GetDigits {@code action} URL (which holds the state token, {@code ?s=}) from the XML,
 * makes the digit webhook for it (same CallUUID, {@code Digits=1} or {@code 2}), sends that once, and takes the
 * second menu's action from that answer for a second digit webhook. Every request it sends must come back
 * {@code 200 application/xml}; otherwise it stops with an error. Each request is signed the way Plivo does
 * (V3: HMAC-SHA256 over public URL + sorted form parameters + "." + nonce), and the service does not remember
 * nonces, so the files can be replayed as often as wanted.
 *
 * <p>Files (one request a line: {@code path-and-query TAB nonce TAB signature TAB form-body}):
 * {@code answer.tsv}, {@code digits.tsv} (first and second menu keys) and {@code mixed.tsv} (per call: answer,
 * key, key, as a call sends them).
 *
 * <p>Run: {@code java -cp test-classpath io.ivrflow.bench.PlivoWebhookRequests BASE_URL AUTH_TOKEN OUT_DIR [CALLS]}
 * where BASE_URL is both where the service listens and its {@code ivr.plivo.public-url}.
 */
public final class PlivoWebhookRequests {

    /** Flows called, with the keys callers press at the first and at the second menu. */
    private static final Map<String, List<List<String>>> FLOWS = Map.of(
            "inspireworks", List.of(List.of("1", "2"), List.of("1", "2")),
            "contact-centre", List.of(List.of("1", "2"), List.of("1", "2", "3")));

    private static final List<String> FLOW_ORDER = List.of("inspireworks", "contact-centre");

    /** One prepared request. */
    record Prepared(String pathAndQuery, String nonce, String signature, String body) {
        String line() {
            return pathAndQuery + '\t' + nonce + '\t' + signature + '\t' + body;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;
    private final AtomicInteger sent = new AtomicInteger();
    private final Map<String, Integer> responseKinds = new ConcurrentSkipListMap<>();

    private PlivoWebhookRequests(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PlivoWebhookRequests BASE_URL AUTH_TOKEN OUT_DIR [CALLS]");
            System.exit(2);
        }
        int calls = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        PlivoWebhookRequests g = new PlivoWebhookRequests(args[0], args[1]);
        long start = System.nanoTime();
        g.prepare(calls, out);
        System.out.printf("prepared %d calls in %.1f s (%d requests sent once to check them: 200 application/xml)%n",
                calls, (System.nanoTime() - start) / 1e9, g.sent.get());
        g.responseKinds.forEach((k, n) -> System.out.printf("  %-40s %6d%n", k, n));
    }

    private void prepare(int calls, Path out) throws Exception {
        // calls are independent: prepare them on a few threads, keep them in order
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<Prepared>>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            int n = i;
            futures.add(pool.submit(() -> call(n)));
        }
        List<Prepared> answers = new ArrayList<>();
        List<Prepared> digits = new ArrayList<>();
        List<Prepared> mixed = new ArrayList<>();
        try {
            for (Future<List<Prepared>> f : futures) {
                List<Prepared> call = f.get();
                answers.add(call.get(0));
                digits.addAll(call.subList(1, call.size()));
                mixed.addAll(call);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
        if (digits.isEmpty()) {
            throw new IllegalStateException("no answer held a GetDigits: nothing to press keys at");
        }
        write(out.resolve("answer.tsv"), answers);
        write(out.resolve("digits.tsv"), digits);
        write(out.resolve("mixed.tsv"), mixed);
        System.out.printf("answer.tsv %d, digits.tsv %d, mixed.tsv %d requests in %s%n", answers.size(),
                digits.size(), mixed.size(), out);
    }

    /**
     * One call: its answer webhook, then a key at up to two menus. When the answer holds no GetDigits (the
     * contact centre outside business hours answers with its voicemail), the keys are pressed on a second
     * answer of the same call started at the flow's language menu ({@code ?start=language}), which is sent
     * to get a state token but is not part of the answer set.
     */
    private List<Prepared> call(int i) throws Exception {
        String flow = FLOW_ORDER.get(i % FLOW_ORDER.size());
        String callId = UUID.randomUUID().toString();
        Map<String, String> answerParams = answerParams(callId, i);
        Prepared answer = signed(baseUrl + "/plivo/" + flow + "/answer", answerParams);
        List<Prepared> call = new ArrayList<>();
        call.add(answer);
        String xml = send(answer, "answer " + flow);
        if (getDigitsAction(xml).isEmpty() && flow.equals("contact-centre")) {
            xml = send(signed(baseUrl + "/plivo/" + flow + "/answer?start=language", answerParams),
                    "answer " + flow + "?start=language (for keys)");
        }
        for (int level = 0; level < 2; level++) {
            Optional<String> action = getDigitsAction(xml);
            if (action.isEmpty()) {
                break;
            }
            List<String> keys = FLOWS.get(flow).get(level);
            Map<String, String> p = callParams(callId, answerParams, "GetDigits");
            p.put("Digits", keys.get((i / FLOW_ORDER.size() + level) % keys.size()));
            Prepared digit = signed(action.get(), p);
            call.add(digit);
            xml = send(digit, "digits " + flow + " level " + (level + 1) + " (" + p.get("Digits") + ")");
        }
        return call;
    }

    /** What Plivo posts to an answer URL. */
    private Map<String, String> answerParams(String callId, int i) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallUUID", callId);
        p.put("ALegUUID", callId);
        p.put("ALegRequestUUID", UUID.randomUUID().toString());
        p.put("RequestUUID", p.get("ALegRequestUUID"));
        p.put("From", String.format("+1555%07d", ThreadLocalRandom.current().nextInt(10_000_000)));
        p.put("To", "+15550199999");
        p.put("CallerName", "+1555" + (1000 + i % 9000));
        p.put("Direction", "inbound");
        p.put("CallStatus", "ringing");
        p.put("Event", "StartApp");
        p.put("BillRate", "0.0085");
        p.put("SessionStart", Instant.now().toString().replace('T', ' ').replace("Z", ""));
        p.put("STIRVerification", "Not Applicable");
        return p;
    }

    /** What Plivo posts to an action URL of the same call. */
    private static Map<String, String> callParams(String callId, Map<String, String> answer, String event) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String k : List.of("CallUUID", "ALegUUID", "ALegRequestUUID", "RequestUUID", "From", "To",
                "CallerName", "Direction", "BillRate", "SessionStart", "STIRVerification")) {
            p.put(k, answer.get(k));
        }
        p.put("CallUUID", callId);
        p.put("CallStatus", "in-progress");
        p.put("Event", event);
        return p;
    }

    private Prepared signed(String url, Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        Map<String, List<String>> form = new TreeMap<>();
        params.forEach((k, v) -> {
            body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v));
            form.put(k, List.of(v));
        });
        // Plivo's nonces are 20 digits
        String nonce = String.format("%010d%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L),
                ThreadLocalRandom.current().nextLong(10_000_000_000L));
        String signature = PlivoSignature.compute(token, url, "POST", form, nonce);
        if (!url.startsWith(baseUrl + "/")) {
            throw new IllegalStateException("an action URL outside the public URL " + baseUrl + ": " + url
                    + " (set IVR_PLIVO_PUBLIC_URL to the URL the benchmark calls)");
        }
        return new Prepared(url.substring(baseUrl.length()), nonce, signature, body.toString());
    }

    private String send(Prepared p, String what) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + p.pathAndQuery()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Plivo-Signature-V3-Nonce", p.nonce())
                .header("X-Plivo-Signature-V3", p.signature())
                .POST(HttpRequest.BodyPublishers.ofString(p.body())).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        sent.incrementAndGet();
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200 || !type.startsWith("application/xml")) {
            throw new IllegalStateException(what + ": POST " + p.pathAndQuery() + " answered " + r.statusCode()
                    + " " + type + ": " + r.body());
        }
        responseKinds.merge(what + " -> " + shape(r.body()), 1, Integer::sum);
        return r.body();
    }

    /** The top-level elements of a document, e.g. {@code Speak,GetDigits,Redirect}. */
    private static String shape(String xml) {
        try {
            Element root = parse(xml).getDocumentElement();
            List<String> names = new ArrayList<>();
            for (org.w3c.dom.Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && (names.isEmpty() || !names.get(names.size() - 1).equals(e.getTagName()))) {
                    names.add(e.getTagName());
                }
            }
            return String.join(",", names);
        } catch (Exception e) {
            return "unparsable";
        }
    }

    private static Optional<String> getDigitsAction(String xml) throws Exception {
        NodeList list = parse(xml).getElementsByTagName("GetDigits");
        return list.getLength() == 0 ? Optional.empty()
                : Optional.of(((Element) list.item(0)).getAttribute("action"));
    }

    private static final ThreadLocal<DocumentBuilder> PARSERS = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    private static Document parse(String xml) throws Exception {
        return PARSERS.get().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void write(Path file, List<Prepared> requests) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Prepared p : requests) {
                w.write(p.line());
                w.write('\n');
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
