package io.ivrflow.plivo;

import io.ivrflow.Collaborators;
import io.ivrflow.RunningService;
import io.ivrflow.engine.Event;
import io.ivrflow.ops.HttpReply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plivo webhooks made of anything: known and random parameter names, values empty, huge, in any script or broken
 * percent-escapes, repeated, in the query or the form body or both, raw bytes, any method, any flow and step. The
 * service answers a 4xx, or a document that obeys Plivo's XML rules and does not leave the caller in silence;
 * never a 5xx, never an exception. Once with signatures off, so the requests reach the calls; once with them on,
 * where nothing unsigned gets further than a 403.
 */
class PlivoWebhookProperties {

    private static final List<String> KNOWN = List.of("CallUUID", "From", "To", "Digits", "DialStatus", "RecordUrl",
            "RecordingDuration", "CallStatus", "HangupCause", "Duration", "Direction", "s", "lang", "start", "v",
            "Event", "CallerName");
    private static final List<String> HOOKS = List.of("answer", "input", "noinput", "next", "dialed", "recorded");

    private static RunningService open;
    private static RunningService signed;
    private static PlivoWebhooks openHooks;
    private static PlivoWebhooks signedHooks;

    @BeforeContainer
    static void start() throws Exception {
        // scripted lookups and recording: nothing leaves the machine, whatever flow a request lands in
        Collaborators world = Collaborators.none()
                .withLookups(request -> CompletableFuture.completedFuture(
                        new Event.LookupResult(request.requestId(), Event.LookupStatus.NOT_FOUND, Map.of())))
                .withRecorder(CallRecorder.UNAVAILABLE);
        Properties off = new Properties();
        off.put("ivr.plivo.signature-check", "false");
        off.put("ivr.plivo.token-secret", "fuzz-secret");
        open = RunningService.start("plivo-fuzz-open", off, world);
        openHooks = open.bean("plivoWebhooks", PlivoWebhooks.class);
        Properties on = new Properties();
        on.put("ivr.plivo.auth-token", "fuzz-auth-token");
        signed = RunningService.start("plivo-fuzz-signed", on, world);
        signedHooks = signed.bean("plivoWebhooks", PlivoWebhooks.class);
    }

    @AfterContainer
    static void stop() throws Exception {
        if (open != null) {
            open.close();
        }
        if (signed != null) {
            signed.close();
        }
    }

    /** One request as the route hands it to the bean. */
    record Request(String flow, String step, String method, String rawQuery, byte[] body) {
        String uri() {
            return "/plivo/" + flow + "/" + step + (rawQuery == null ? "" : "?" + rawQuery);
        }

        @Override
        public String toString() {
            return method + " " + uri() + " body " + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Property(tries = 600, seed = "335325209873545018")
    void anyRequestGetsA4xxOrADocumentThatKeepsTheCallerInformed(@ForAll("requests") Request r) throws Exception {
        HttpReply reply = openHooks.webhook(r.flow(), r.step(), r.method(), r.uri(), r.rawQuery(), r.body(),
                null, null, null);
        assertTrue(List.of(200, 400, 404).contains(reply.status()), r + " -> " + reply.status());
        assertEquals(HttpReply.XML, reply.contentType());
        String xml = new String((byte[]) reply.body(), StandardCharsets.UTF_8);
        assertEquals(List.of(), PlivoXmlRules.violations(xml), xml);
        if (reply.status() == 200) {
            Document d = PlivoWebhooksTest.parse(xml);
            Element last = (Element) d.getDocumentElement().getLastChild();
            assertTrue(last != null && List.of("Hangup", "Redirect", "Dial", "Record", "GetDigits")
                    .contains(last.getTagName()), "the document ends in silence: " + xml);
        }
    }

    @Property(tries = 300, seed = "298750246289414544")
    void nothingUnsignedGetsFurtherThanA403(@ForAll("requests") Request r) {
        HttpReply reply = signedHooks.webhook(r.flow(), r.step(), r.method(), r.uri(), r.rawQuery(), r.body(),
                "12345", "bm90LWEtc2lnbmF0dXJl", null);
        assertEquals(403, reply.status(), r.toString());
    }

    @Property(tries = 120, seed = "334858868670023437")
    void overHttpAnyMethodBodyOrEncodingGetsNoServerErrorAndNoTrace(@ForAll("requests") Request r,
                                                                    @ForAll("httpMethods") String method,
                                                                    @ForAll("contentTypes") String contentType,
                                                                    @ForAll("bigBodies") byte[] extra) throws Exception {
        byte[] body = extra.length > 0 ? extra : r.body();
        // the path as a client could send it; the query as it came, raw bytes and all
        String target = "/plivo/" + URLEncoder.encode(r.flow(), StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(r.step(), StandardCharsets.UTF_8)
                + (r.rawQuery() == null ? "" : "?" + r.rawQuery().replaceAll("[\\s]", "%20"));
        String response = rawHttp(method, target, contentType, body);
        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(status < 500, method + " " + target + " -> " + response);
        assertFalse(response.contains("Exception") || response.contains("\tat "), response);
    }

    /**
     * One HTTP/1.1 request on a connection of its own, closed after it (a reused connection the service closed
     * after answering early, without reading a body, would fail the next request in the client, not the service).
     */
    private static String rawHttp(String method, String target, String contentType, byte[] body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", open.httpPort)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + (contentType.isEmpty() ? "" : "Content-Type: " + contentType + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.UTF_8));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // the service answered (and closed) before taking the whole body: its answer is still there
            }
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1."), "no HTTP answer: " + answer);
            return answer;
        }
    }

    @Provide
    Arbitrary<String> httpMethods() {
        return Arbitraries.of("POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
                "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json", "text/xml",
                "multipart/form-data; boundary=x", "garbage/;;==", "");
    }

    @Provide
    Arbitrary<byte[]> bigBodies() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]), Arbitraries.just(new byte[0]),
                Arbitraries.integers().between(100_000, 3_000_000).map(n -> {
                    byte[] b = new byte[n];
                    java.util.Arrays.fill(b, (byte) 'a');
                    return b;
                }));
    }

    // ---------------------------------------------------------------- what requests are made of

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> flow = Arbitraries.oneOf(
                Arbitraries.of("inspireworks", "contact-centre", "card-payment", "wazo-ivr-plugin"),
                Arbitraries.strings().ofMaxLength(40));
        Arbitrary<String> step = Arbitraries.oneOf(Arbitraries.of(HOOKS), Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> method = Arbitraries.of("POST", "POST", "GET", "PUT", "DELETE", "HEAD", "post", "");
        Arbitrary<String> query = Arbitraries.oneOf(params(), garbage(), Arbitraries.just(null));
        Arbitrary<byte[]> body = Arbitraries.oneOf(params().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                garbage().map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300), Arbitraries.just(new byte[0]));
        return Combinators.combine(flow, step, method, query, body).as(Request::new);
    }

    /** {@code name=value&...}, names mostly Plivo's, values of every shape, escaped as a form would be. */
    private Arbitrary<String> params() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(KNOWN), Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withCharRange('0', '9').ofMaxLength(25),
                Arbitraries.of("completed", "busy", "no-answer", "timeout", "in-progress", "1", "12#", "*", "",
                        "en-US", "es-US", "xx-XX", "main_menu", "https://media.example/r.mp3"),
                Arbitraries.strings().ofMinLength(5_000).ofMaxLength(20_000),
                Arbitraries.strings().withCharRange('A', 'z').ofMinLength(40).ofMaxLength(400));
        return Combinators.combine(name, value).as(Tuple::of).list().ofMaxSize(12)
                .map(pairs -> pairs.stream().map(p -> URLEncoder.encode(p.get1(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(p.get2(), StandardCharsets.UTF_8)).collect(Collectors.joining("&")));
    }

    /** What no form encoder writes: lone and broken escapes, separators without names, control characters. */
    private Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.of("%", "%zz", "a=%G1", "=&=&", "&&&", "CallUUID", "Digits=%E2%82", "s=%00%ff",
                        "CallUUID=x&CallUUID=y&Digits=1&Digits=2"),
                Arbitraries.strings().withChars("%=&+;#?/\\\u0000\n\r\u00e9\u202e").ofMaxLength(60));
    }
}
