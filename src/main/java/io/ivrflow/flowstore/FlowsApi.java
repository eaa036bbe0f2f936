package io.ivrflow.flowstore;

import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.BearerToken;
import io.ivrflow.ops.HttpReply;
import io.ivrflow.ops.Requests;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.ivrflow.ops.UserInput.shown;

/**
 * The flows API, on the management port ({@code routes/manage-flows.camel.yaml}, which lists every verb and path),
 * for tools and pipelines that ship flows without touching the disk. Every request needs
 * {@code Authorization: Bearer <IVR_MANAGE_TOKEN>} ({@link #authorize}); without a configured token the API is
 * off (403). A version is the content hash of the file ({@link FlowLoader#version}). Methods return what the
 * client gets; a refusal is an {@link ApiError}, sent as {@code {"error": ..., "status": ...}} with the lint
 * report where there is one (422).
 */
public class FlowsApi {

    private final FlowRepository repository;
    private final BearerToken token;

    public FlowsApi(FlowRepository repository, BearerToken token) {
        this.repository = repository;
        this.token = token;
    }

    /** Every request first: the API is off without a token, and the token must match. */
    public void authorize(@Header("Authorization") String authorization) {
        if (!token.configured()) {
            throw ApiError.forbidden("the flows API is off: set IVR_MANAGE_TOKEN (ivr.manage.token) to use it");
        }
        if (!token.matches(authorization)) {
            throw ApiError.unauthorized("missing or wrong token: send 'Authorization: Bearer <IVR_MANAGE_TOKEN>'");
        }
    }

    /** GET /manage/flows: every flow file with status, version and lint counts, the release and the history. */
    public Map<String, Object> list() {
        Map<String, Object> summary = new LinkedHashMap<>(repository.summary());
        summary.put("history", repository.history().flows());
        return summary;
    }

    /** GET /manage/flows/{id}: the serving version's JSON, its version as ETag. */
    public HttpReply get(@Header("id") String id) {
        Optional<FlowRepository.Entry> entry = repository.entry(checked(id));
        if (entry.isEmpty()) {
            throw ApiError.notFound("no flow " + id);
        }
        String version = entry.get().version();
        if (version == null) {
            throw ApiError.notFound("flow " + id + " has no serving version: its file has errors")
                    .with(Map.of("lint", lintReport(id, entry.get())));
        }
        return repository.history().content(id, version).map(c -> flow(c, version))
                .orElseThrow(() -> ApiError.notFound("version " + version + " of flow " + id + " is no longer kept"));
    }

    /** GET /manage/flows/{id}/lint: the lint report of the file as it is now. */
    public Map<String, Object> lint(@Header("id") String id) {
        return repository.entry(checked(id)).map(e -> lintReport(id, e))
                .orElseThrow(() -> ApiError.notFound("no flow " + id));
    }

    /** POST /manage/flows/{id}/validate: the lint report of the JSON sent; nothing is written. */
    public Map<String, Object> validate(@Header("id") String id, @Body byte[] body) {
        return report(checked(id), repository.check(id, content(body)));
    }

    /** PUT /manage/flows/{id}: validates, writes and activates (If-Match: the version it replaces). */
    public HttpReply put(@Header("id") String id, @Body byte[] body, @Header("If-Match") String ifMatch) {
        return write(checked(id), content(body), version(ifMatch));
    }

    /** DELETE /manage/flows/{id}: removes the file (If-Match: the version it removes). */
    public Map<String, Object> delete(@Header("id") String id, @Header("If-Match") String ifMatch) {
        FlowRepository.Update u = repository.delete(checked(id), version(ifMatch));
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("result", u.result().name().toLowerCase(Locale.ROOT));
        content.put("release", repository.current().id());
        if (u.result() != FlowRepository.Result.REMOVED) {
            throw new ApiError(status(u.result(), false), u.message()).with(content);
        }
        content.put("message", u.message());
        return content;
    }

    /** GET /manage/flows/{id}/versions: the history, newest first. */
    public List<Map<String, Object>> versions(@Header("id") String id) {
        return versionList(checked(id));
    }

    /** GET /manage/flows/{id}/versions/{version}: that version's JSON. */
    public HttpReply version(@Header("id") String id, @Header("version") String version) {
        return repository.history().content(checked(id), version).map(c -> flow(c, version))
                .orElseThrow(() -> ApiError.notFound("no version " + shown(version) + " of flow " + id + " is kept"));
    }

    /** POST /manage/flows/{id}/versions/{version}/activate: puts that version back, validated as a PUT is. */
    public HttpReply activate(@Header("id") String id, @Header("version") String version,
                              @Header("If-Match") String ifMatch) {
        byte[] content = repository.history().content(checked(id), version)
                .orElseThrow(() -> ApiError.notFound("no version " + shown(version) + " of flow " + id + " is kept"));
        return write(id, content, version(ifMatch));
    }

    private static HttpReply flow(byte[] content, String version) {
        return HttpReply.of(200, HttpReply.JSON, content).withHeader("ETag", "\"" + version + "\"")
                .withHeader("Cache-Control", "no-store");
    }

    private static String checked(String id) {
        if (!FlowHistory.safeId(id)) {
            throw ApiError.badRequest("'" + shown(id) + "' is not a flow id (letters, digits, '.', '_' and '-')");
        }
        return id;
    }

    private static byte[] content(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiError.badRequest("send the flow's JSON as the request body");
        }
        return Requests.limit(body);
    }

    private HttpReply write(String id, byte[] body, String ifMatch) {
        String previous = repository.entry(id).map(FlowRepository.Entry::version).orElse(null);
        FlowRepository.Update u = repository.put(id, body, ifMatch);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("result", u.result().name().toLowerCase(Locale.ROOT));
        content.put("flow", id);
        if (u.checked() != null) {
            content.put("version", u.checked().version());
        }
        content.put("previousVersion", previous);
        content.put("release", repository.current().id());
        if (u.checked() != null) {
            content.putAll(report(id, u.checked()));
        }
        int status = status(u.result(), previous == null);
        if (status >= 400) {
            throw new ApiError(status, u.message()).with(content);
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("message", u.message());
        ok.putAll(content);
        return HttpReply.json(status, ok);
    }

    private static int status(FlowRepository.Result result, boolean created) {
        return switch (result) {
            case ACTIVATED -> created ? 201 : 200;
            case UNCHANGED, REMOVED -> 200;
            case INVALID -> 422;
            case BAD_ID -> 400;
            case VERSION_MISMATCH -> 412;
            case CONFLICT -> 409;
            case NOT_FOUND -> 404;
            case IO_ERROR -> 500;
        };
    }

    private List<Map<String, Object>> versionList(String id) {
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

    private Map<String, Object> lintReport(String id, FlowRepository.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow", id);
        m.put("file", e.file().toString());
        m.put("status", e.status());
        m.put("version", e.version());
        m.put("fileVersion", e.fileVersion());
        m.putAll(diagnostics(e.diagnostics()));
        return m;
    }

    private static Map<String, Object> report(String id, FlowLoader.Loaded checked) {
        Map<String, Object> m = new LinkedHashMap<>();
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
            m.put("file", d.file());
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
