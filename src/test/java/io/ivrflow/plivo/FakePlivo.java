package io.ivrflow.plivo;

import io.ivrflow.engine.Event;
import io.ivrflow.sim.Scenario;
import io.ivrflow.sim.SimulatedCall;
import io.ivrflow.sim.World;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Plays Plivo's part of a call against the real webhooks: it signs its requests as Plivo does (V3), runs
 * the XML it gets back element by element the way Plivo does (GetDigits timeouts and actions, Redirect,
 * Dial with a result, Record, Hangup), and plays the caller from a {@link Scenario}'s steps on a virtual
 * clock that the service also reads. Every document it receives goes to {@code onDocument} for checking.
 */
final class FakePlivo {

    /** The numbers of a scenario that names none. */
    static final String DEFAULT_CALLER = "+15550100000";
    static final String DEFAULT_CALLED = "+15550199999";

    /** What the fake saw of one call. */
    record Call(String callId, List<String> heard, List<String> documents, String end, int requests) {
    }

    private static final int MAX_REQUESTS = 300;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authToken;
    private final VirtualClock clock;
    private final Consumer<String> onDocument;
    /** Dial targets of queues: the SIP user part starts with this. */
    private final String queuePrefix;

    FakePlivo(String baseUrl, String authToken, VirtualClock clock, String queuePrefix, Consumer<String> onDocument) {
        this.baseUrl = baseUrl;
        this.authToken = authToken;
        this.clock = clock;
        this.queuePrefix = queuePrefix;
        this.onDocument = onDocument;
    }

    // ---------------------------------------------------------------- one call

    private final class Run {
        final String callId = UUID.randomUUID().toString();
        final Scenario scenario;
        final World world;
        final Deque<Scenario.Step> steps = new ArrayDeque<>();
        final List<String> heard = new ArrayList<>();
        final List<String> documents = new ArrayList<>();
        /** The mailboxes the caller is recorded into, in order (Plivo's Record says none: the flow knows). */
        final Deque<String> mailboxes = new ArrayDeque<>();
        Instant now;
        /** When the caller last did something (steps are relative to it). */
        Instant callerTime;
        int requests;
        String end;

        Run(Scenario scenario) {
            this.scenario = scenario;
            this.world = scenario.world() == null ? World.DEFAULT : scenario.world();
            for (Scenario.Step s : scenario.steps()) {
                if (!(s instanceof Scenario.Check)) {
                    steps.add(s);
                }
            }
            this.now = scenario.at();
            this.callerTime = now;
        }

        Call play() throws Exception {
            Map<String, String> params = callParams("StartApp");
            String query = "";
            if (scenario.language() != null) {
                query += "&lang=" + enc(scenario.language());
            }
            if (scenario.start() != null) {
                query += "&start=" + enc(scenario.start());
            }
            String url = baseUrl + "/plivo/" + scenario.flow() + "/answer" + (query.isEmpty() ? "" : "?" + query.substring(1));
            Document doc = post(url, params);
            while (doc != null && end == null) {
                doc = execute(doc);
            }
            return new Call(callId, heard, documents, end, requests);
        }

        /** Runs a document; returns the next one when an element hands the call to a URL. */
        Document execute(Document doc) throws Exception {
            for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element e)) {
                    continue;
                }
                if (callerHangsUpBefore(now)) {
                    return hangUp();
                }
                switch (e.getTagName()) {
                    case "Speak", "Play" -> hear(e);
                    case "Wait" -> now = now.plusSeconds(Long.parseLong(e.getAttribute("length").isEmpty() ? "1"
                            : e.getAttribute("length")));
                    case "GetDigits" -> {
                        Document next = getDigits(e);
                        if (next != null || end != null) {
                            return next;
                        }
                    }
                    case "Redirect" -> {
                        return post(e.getTextContent().trim(), callParams("Redirect"));
                    }
                    case "Dial" -> {
                        return dial(e);
                    }
                    case "Record" -> {
                        return record(e);
                    }
                    case "Hangup" -> {
                        end = "hangup";
                        notifyHangup("NORMAL_CLEARING");
                        return null;
                    }
                    default -> throw new AssertionError("the fake does not run <" + e.getTagName() + ">");
                }
            }
            end = "end-of-xml";
            notifyHangup("END_OF_XML");
            return null;
        }

        void hear(Element e) {
            if (e.getTagName().equals("Play")) {
                String path = URI.create(e.getTextContent().trim()).getPath();
                heard.add("[audio " + path.substring(path.indexOf("/audio/") + "/audio/".length()) + "]");
                now = now.plus(SimulatedCall.AUDIO_LENGTH);
            } else {
                String text = spoken(e);
                heard.add(text);
                now = now.plus(SimulatedCall.PER_WORD.multipliedBy(Math.max(text.split("\\s+").length, 2))
                        .plusMillis(300));
            }
        }

        /** Plivo's GetDigits: the caller may type over the nested prompts; no first key within timeout goes on. */
        Document getDigits(Element g) throws Exception {
            Instant start = now;
            for (Node c = g.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element child) {
                    hear(child);
                }
            }
            Instant promptEnd = now;
            Duration timeout = Duration.ofSeconds(intAttr(g, "timeout", 5));
            Duration digitTimeout = Duration.ofSeconds(intAttr(g, "digitTimeout", 2));
            String finishOnKey = g.hasAttribute("finishOnKey") ? g.getAttribute("finishOnKey") : "#";
            int numDigits = intAttr(g, "numDigits", 99);
            Instant deadline = promptEnd.plus(timeout);
            Scenario.Step next = nextAction();
            if (next instanceof Scenario.HangUp) {
                if (!callerTime.isAfter(deadline)) {
                    now = max(callerTime, start);
                    return hangUp();
                }
            } else if (next instanceof Scenario.Press p) {
                Instant first = max(callerTime, p.interrupt() ? start : promptEnd);
                if (first.isBefore(deadline)) {
                    steps.poll();
                    Duration gap = p.gap() == null ? SimulatedCall.KEY_GAP : p.gap();
                    StringBuilder digits = new StringBuilder();
                    Instant at = first;
                    boolean complete = false;
                    for (int i = 0; i < p.keys().length(); i++) {
                        if (i > 0) {
                            if (gap.compareTo(digitTimeout) > 0) {
                                at = at.plus(digitTimeout);
                                complete = true;
                                break;
                            }
                            at = at.plus(gap);
                        }
                        String key = String.valueOf(p.keys().charAt(i));
                        if (key.equals(finishOnKey)) {
                            complete = true;
                            break;
                        }
                        digits.append(key);
                        if (digits.length() >= numDigits) {
                            complete = true;
                            break;
                        }
                    }
                    callerTime = at;
                    now = at;
                    if (!complete) {
                        if (nextAction() instanceof Scenario.HangUp) {
                            return hangUp(); // hung up before the entry was over
                        }
                        now = at.plus(digitTimeout);
                    }
                    Map<String, String> params = callParams("GetDigits");
                    params.put("Digits", digits.toString());
                    return post(g.getAttribute("action"), params);
                }
            }
            now = deadline; // no input: Plivo goes on with the next element
            return null;
        }

        Document dial(Element d) throws Exception {
            Element target = (Element) d.getElementsByTagName("Number").item(0);
            if (target == null) {
                target = (Element) d.getElementsByTagName("User").item(0);
            }
            String address = target.getTextContent().trim();
            String name = address.startsWith("sip:") ? address.substring(4, address.indexOf('@')) : address;
            Event.FailureReason failure;
            if (name.startsWith(queuePrefix)) {
                String queue = name.substring(queuePrefix.length());
                failure = world.queues().get(queue);
                if (failure == null && world.agents(queue) == 0) {
                    failure = Event.FailureReason.NO_AGENTS;
                }
            } else {
                failure = world.transferFailure(name);
            }
            Duration ring = failure == Event.FailureReason.NO_ANSWER || failure == Event.FailureReason.NO_AGENTS
                    ? Duration.ofSeconds(intAttr(d, "timeout", 30)) : Duration.ofSeconds(2);
            if (callerHangsUpBefore(now.plus(ring))) {
                return hangUp();
            }
            now = now.plus(ring);
            Map<String, String> params = callParams("Dial");
            params.put("DialStatus", failure == null ? "completed" : switch (failure) {
                case BUSY -> "busy";
                case NO_ANSWER, NO_AGENTS -> "no-answer";
                default -> "failed";
            });
            params.put("DialALegUUID", callId);
            params.put("DialBLegUUID", failure == null ? UUID.randomUUID().toString() : "");
            params.put("DialRingStatus", String.valueOf(failure == null));
            if (failure == null) {
                now = now.plusSeconds(60); // the bridged conversation
                params.put("CallStatus", "completed");
            }
            return post(d.getAttribute("action"), params);
        }

        Document record(Element r) throws Exception {
            now = now.plusSeconds(10);
            Map<String, String> params = callParams("Record");
            // a mailbox the world says fails leaves no recording behind
            String mailbox = mailboxes.poll();
            if (mailbox == null || world.transferFailure(mailbox) == null) {
                params.put("RecordUrl", "https://media.plivo.example/recordings/" + UUID.randomUUID() + ".mp3");
                params.put("RecordingDuration", "10");
                params.put("RecordingID", UUID.randomUUID().toString());
            }
            return post(r.getAttribute("action"), params);
        }

        Document hangUp() throws Exception {
            end = "caller-hung-up";
            notifyHangup("NORMAL_CLEARING");
            return null;
        }

        boolean callerHangsUpBefore(Instant t) {
            return nextAction() instanceof Scenario.HangUp && !callerTime.isAfter(t);
        }

        /** The next press or hang-up; waits before it move the caller's time on. */
        Scenario.Step nextAction() {
            while (steps.peek() instanceof Scenario.Wait w) {
                steps.poll();
                callerTime = max(callerTime, now).plus(w.duration());
            }
            return steps.peek();
        }

        Map<String, String> callParams(String event) {
            return FakePlivo.callParams(callId, scenario.caller() == null ? DEFAULT_CALLER : scenario.caller(),
                    scenario.called() == null ? DEFAULT_CALLED : scenario.called(), event);
        }

        void notifyHangup(String cause) throws Exception {
            Map<String, String> p = callParams("Hangup");
            p.put("CallStatus", "completed");
            p.put("HangupCause", cause);
            p.put("Duration", String.valueOf(Duration.between(scenario.at(), now).toSeconds()));
            send(baseUrl + "/plivo/hangup", p);
        }

        Document post(String url, Map<String, String> params) throws Exception {
            if (++requests > MAX_REQUESTS) {
                throw new AssertionError("more than " + MAX_REQUESTS + " webhooks in one call: a loop");
            }
            String xml = send(url, params);
            documents.add(xml);
            onDocument.accept(xml);
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }

        String send(String url, Map<String, String> params) throws Exception {
            clock.set(now);
            return FakePlivo.this.send(url, params, 200);
        }
    }

    /**
     * Plays a scenario; its world goes to the services, and a refused recording to Plivo's API.
     *
     * @param mailboxes the voicemail boxes the call reaches, in order (as the simulator saw them)
     */
    Call play(Scenario scenario, WorldServices services, FakePlivoApi api, List<String> mailboxes) throws Exception {
        Run run = new Run(scenario);
        run.mailboxes.addAll(mailboxes);
        services.call(run.callId, run.world);
        if (run.world.recordingFails()) {
            api.refuseRecording(run.callId, "recording is not enabled on this account");
        }
        return run.play();
    }

    // ---------------------------------------------------------------- HTTP as Plivo does it

    /** POSTs a signed form, as Plivo calls an answer or action URL; fails unless the status is {@code expected}. */
    String send(String url, Map<String, String> params, int expected) throws Exception {
        HttpResponse<String> r = http.send(signedPost(url, params, authToken), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError("POST " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The parameters Plivo sends with every request of an inbound call. */
    static Map<String, String> callParams(String callId, String from, String to, String event) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallUUID", callId);
        p.put("From", from);
        p.put("To", to);
        p.put("Direction", "inbound");
        p.put("CallStatus", "in-progress");
        p.put("Event", event);
        return p;
    }

    /** A form body, {@code application/x-www-form-urlencoded}. */
    static String form(Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return body.toString();
    }

    static HttpRequest signedPost(String url, Map<String, String> params, String token) {
        Map<String, List<String>> form = new TreeMap<>();
        params.forEach((k, v) -> form.put(k, List.of(v)));
        String nonce = String.valueOf(System.nanoTime());
        String signature = PlivoSignature.compute(token, url, "POST", form, nonce);
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Plivo-Signature-V3-Nonce", nonce)
                .header("X-Plivo-Signature-V3", signature)
                .header("X-Plivo-Signature-Ma-V3", "not-the-main-account")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
    }

    /** What a Speak says: its text, SSML tags removed (as the simulator reports it). */
    static String spoken(Element speak) {
        return speak.getTextContent().replaceAll("\\s+", " ").replaceAll(" ([.,!?;:])", "$1").trim();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int intAttr(Element e, String name, int fallback) {
        return e.hasAttribute(name) ? Integer.parseInt(e.getAttribute(name)) : fallback;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
