package io.ivrflow.flowstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.FlowLoader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ivrflow.ops.BearerToken;

import static io.ivrflow.ops.UserInput.shown;

/**
 * The flows API, on the management port ({@code routes/manage-flows.camel.yaml}), for tools and pipelines that
 * ship flows without touching the disk. Every request needs {@code Authorization: Bearer <IVR_MANAGE_TOKEN>};
 * without a configured token the API is off (403).
 * <pre>
 * GET    /manage/flows                          every flow file: status, version, lint counts; the release
 * GET    /manage/flows/{id}                     the serving version's JSON (ETag: its version)
 * GET    /manage/flows/{id}/lint                the lint report of the file as it is now
 * POST   /manage/flows/{id}/validate            the lint report of the JSON sent (nothing is written)
 * PUT    /manage/flows/{id}                     validate, then write and activate (If-Match: a version)
 * DELETE /manage/flows/{id}                     remove the file (If-Match: a version)
 * GET    /manage/flows/{id}/versions            the history: activated, refused, removed
 * GET    /manage/flows/{id}/versions/{version}  that version's JSON
 * POST   /manage/flows/{id}/versions/{version}/activate   put that version back (validated as a PUT is)
 * </pre>
 * A version is the content hash of the file ({@link FlowLoader#version}). Errors are JSON objects with an
 * {@code error} sentence; a refused flow comes back with its lint report (422).
 */
public class FlowsApi {

    private static final Logger LOG = LoggerFactory.getLogger(FlowsApi.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PREFIX = "/manage/flows";
    /** A flow file is a few KB; a megabyte is a mistake or an attack. */
    static final int MAX_BODY = 1_000_000;

    /** One request, as the route hands it over. */
    public record Request(String method, String path, byte[] body, String authorization, String ifMatch) {
    }

    /** The answer: status, body and content type, and the ETag when the body is one version of a flow. */
    public record Reply(int status, String contentType, byte[] body, String etag) {
        static Reply json(int status, Object content) {
            try {
                return new Reply(status, "application/json; charset=UTF-8", JSON.writeValueAsBytes(content), null);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply error(int status, String error) {
            return json(status, Map.of("error", error));
        }

        static Reply flow(byte[] content, String version) {
            return new Reply(200, "application/json; charset=UTF-8", content, version);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private FlowRepository repository;
    private BearerToken token = BearerToken.of(null);

    public void setRepository(FlowRepository repository) {
        this.repository = repository;
    }

    public void setToken(String token) {
        this.token = BearerToken.of(token);
    }

    /** The route's entry: reads the exchange, answers it; request headers never go back. */
    public void handle(Exchange exchange) {
        Message in = exchange.getMessage();
        String path = in.getHeader(Exchange.HTTP_PATH, "", String.class);
        if (!path.startsWith(PREFIX)) {
            // platform-http gives the path relative to the endpoint's, or the full one, depending on the engine
            path = PREFIX + (path.isEmpty() || path.startsWith("/") ? path : "/" + path);
        }
        Request request = new Request(in.getHeader(Exchange.HTTP_METHOD, "GET", String.class), path,
                in.getBody(byte[].class), in.getHeader("Authorization", String.class),
                in.getHeader("If-Match", String.class));
        Reply reply;
        try {
            reply = answer(request);
        } catch (RuntimeException e) {
            LOG.error("Flows API: {} {} failed", request.method(), request.path(), e);
            reply = Reply.error(500, "internal error; see the service log");
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        in.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        in.setHeader("Cache-Control", "no-store");
        if (reply.etag() != null) {
            in.setHeader("ETag", "\"" + reply.etag() + "\"");
        }
        if (reply.status() == 401) {
            in.setHeader("WWW-Authenticate", "Bearer");
        }
        in.setBody(reply.body());
    }

    /** Answers one request (no Camel: unit tests call it directly). */
    public Reply answer(Request r) {
        if (!token.configured()) {
            return Reply.error(403, "the flows API is off: set IVR_MANAGE_TOKEN (ivr.manage.token) to use it");
        }
        if (!token.matches(r.authorization())) {
            return Reply.error(401, "missing or wrong token: send 'Authorization: Bearer <IVR_MANAGE_TOKEN>'");
        }
        if (r.body() != null && r.body().length > MAX_BODY) {
            return Reply.error(413, "a flow file is at most " + MAX_BODY + " bytes");
        }
        List<String> parts = segments(r.path());
        if (parts == null) {
            return Reply.error(404, "no such resource: " + shown(r.path()));
        }
        String method = r.method().toUpperCase(java.util.Locale.ROOT);
        String ifMatch = version(r.ifMatch());
        if (parts.isEmpty()) {
            return "GET".equals(method) ? Reply.json(200, list()) : notAllowed(method, "GET");
        }
        String id = parts.get(0);
        if (!FlowHistory.safeId(id)) {
            return Reply.error(400, "'" + shown(id) + "' is not a flow id (letters, digits, '.', '_' and '-')");
        }
        if (parts.size() == 1) {
            return switch (method) {
                case "GET" -> get(id);
                case "PUT" -> put(id, r.body(), ifMatch);
                case "DELETE" -> delete(id, ifMatch);
                default -> notAllowed(method, "GET, PUT, DELETE");
            };
        }
        String sub = parts.get(1);
        if (parts.size() == 2 && "lint".equals(sub)) {
            return "GET".equals(method) ? lint(id) : notAllowed(method, "GET");
        }
        if (parts.size() == 2 && "validate".equals(sub)) {
            return "POST".equals(method) ? validate(id, r.body()) : notAllowed(method, "POST");
        }
        if (parts.size() == 2 && "versions".equals(sub)) {
            return "GET".equals(method) ? Reply.json(200, versions(id)) : notAllowed(method, "GET");
        }
        if (parts.size() == 3 && "versions".equals(sub)) {
            return "GET".equals(method) ? version(id, parts.get(2)) : notAllowed(method, "GET");
        }
        if (parts.size() == 4 && "versions".equals(sub) && "activate".equals(parts.get(3))) {
            return "POST".equals(method) ? activate(id, parts.get(2), ifMatch) : notAllowed(method, "POST");
        }
        return Reply.error(404, "no such resource: " + shown(r.path()));
    }

    private Map<String, Object> list() {
        Map<String, Object> summary = new LinkedHashMap<>(repository.summary());
        summary.put("history", repository.history().flows());
        return summary;
    }

    private Reply get(String id) {
        Optional<FlowRepository.Entry> entry = repository.entry(id);
        if (entry.isEmpty() || entry.get().version() == null) {
            return entry.isPresent() ? Reply.json(404, lintReport(id, entry.get(),
                    "flow " + id + " has no serving version: its file has errors"))
                    : Reply.error(404, "no flow " + id);
        }
        String version = entry.get().version();
        return repository.history().content(id, version).map(c -> Reply.flow(c, version))
                .orElseGet(() -> Reply.error(404, "version " + version + " of flow " + id + " is no longer kept"));
    }

    private Reply lint(String id) {
        return repository.entry(id).map(e -> Reply.json(200, lintReport(id, e, null)))
                .orElseGet(() -> Reply.error(404, "no flow " + id));
    }

    private Reply validate(String id, byte[] body) {
        if (body == null || body.length == 0) {
            return Reply.error(400, "send the flow's JSON as the request body");
        }
        return Reply.json(200, report(id, repository.check(id, body), null));
    }

    private Reply put(String id, byte[] body, String ifMatch) {
        if (body == null || body.length == 0) {
            return Reply.error(400, "send the flow's JSON as the request body");
        }
        String previous = repository.entry(id).map(FlowRepository.Entry::version).orElse(null);
        FlowRepository.Update u = repository.put(id, body, ifMatch);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("result", u.result().name().toLowerCase());
        content.put("message", u.message());
        content.put("flow", id);
        if (u.checked() != null) {
            content.put("version", u.checked().version());
        }
        content.put("previousVersion", previous);
        content.put("release", repository.current().id());
        if (u.checked() != null) {
            content.putAll(report(id, u.checked(), null));
        }
        int status = switch (u.result()) {
            case ACTIVATED -> previous == null ? 201 : 200;
            case UNCHANGED -> 200;
            case INVALID -> 422;
            case BAD_ID -> 400;
            case VERSION_MISMATCH -> 412;
            case CONFLICT -> 409;
            case NOT_FOUND -> 404;
            case IO_ERROR -> 500;
            case REMOVED -> 200;
        };
        return Reply.json(status, content);
    }

    private Reply delete(String id, String ifMatch) {
        FlowRepository.Update u = repository.delete(id, ifMatch);
        int status = switch (u.result()) {
            case REMOVED -> 200;
            case NOT_FOUND -> 404;
            case VERSION_MISMATCH -> 412;
            case CONFLICT -> 409;
            default -> 500;
        };
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("result", u.result().name().toLowerCase());
        content.put(status == 200 ? "message" : "error", u.message());
        content.put("release", repository.current().id());
        return Reply.json(status, content);
    }

    private List<Map<String, Object>> versions(String id) {
        List<Map<String, Object>> out = new ArrayList<>();
        String serving = repository.entry(id).map(FlowRepository.Entry::version).orElse(null);
        for (FlowHistory.Event e : repository.history().of(id)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", e.version());
            m.put("at", e.at().toString());
            m.put("change", e.change().name().toLowerCase());
            m.put("source", e.source());
            m.put("errors", e.errors());
            m.put("warnings", e.warnings());
            m.put("serving", e.version() != null && e.version().equals(serving));
            // older contents are pruned (ivr.flows.history-versions): their events stay, without a body to fetch
            m.put("kept", repository.history().kept(id, e.version()));
            out.add(m);
        }
        return out;
    }

    private Reply version(String id, String version) {
        return repository.history().content(id, version).map(c -> Reply.flow(c, version))
                .orElseGet(() -> Reply.error(404, "no version " + shown(version) + " of flow " + id + " is kept"));
    }

    private Reply activate(String id, String version, String ifMatch) {
        Optional<byte[]> content = repository.history().content(id, version);
        if (content.isEmpty()) {
            return Reply.error(404, "no version " + shown(version) + " of flow " + id + " is kept");
        }
        return put(id, content.get(), ifMatch);
    }

    private Map<String, Object> lintReport(String id, FlowRepository.Entry e, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (error != null) {
            m.put("error", error);
        }
        m.put("flow", id);
        m.put("file", e.file().toString());
        m.put("status", e.status());
        m.put("version", e.version());
        m.put("fileVersion", e.fileVersion());
        m.putAll(diagnostics(e.diagnostics()));
        return m;
    }

    private static Map<String, Object> report(String id, FlowLoader.Loaded checked, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (error != null) {
            m.put("error", error);
        }
        m.put("flow", checked.flow() != null ? checked.flow().id() : id);
        m.put("version", checked.version());
        m.put("valid", !checked.hasErrors());
        m.putAll(diagnostics(checked.diagnostics()));
        return m;
    }

    private static Map<String, Object> diagnostics(List<Diagnostic> diagnostics) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", d.isError() ? "error" : "warning");
            m.put("rule", d.rule());
            m.put("pointer", d.pointer());
            m.put("line", d.line());
            m.put("column", d.column());
            m.put("message", d.message());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errors", diagnostics.stream().filter(Diagnostic::isError).count());
        m.put("warnings", diagnostics.stream().filter(d -> !d.isError()).count());
        m.put("diagnostics", list);
        return m;
    }

    private static Reply notAllowed(String method, String allowed) {
        return Reply.error(405, method + " is not allowed here; use " + allowed);
    }

    /** The path's segments after {@code /manage/flows}, decoded; null when it is not under it. */
    private static List<String> segments(String path) {
        String p = path == null ? "" : path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (!p.equals(PREFIX) && !p.startsWith(PREFIX + "/")) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String s : p.substring(PREFIX.length()).split("/")) {
            if (!s.isEmpty()) {
                parts.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return parts;
    }

    /** An If-Match header's version: quotes and a weak prefix removed; {@code *} or blank means none. */
    private static String version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || "*".equals(ifMatch.trim())) {
            return null;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        return v.replace("\"", "");
    }
}
