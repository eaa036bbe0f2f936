package io.ivrflow.wazo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The wazo-calld commands the adapter uses: the applications API ({@code /applications/{app}/...}) and the
 * on-demand recording of {@code /calls/{id}/record/*}. Each returns calld's answer; what it means is the
 * caller's business.
 */
public final class Calld {

    private final WazoHttp http;
    private final String base;

    /** @param base calld's base URL, e.g. {@code http://localhost:9500/1.0} */
    public Calld(WazoHttp http, String base) {
        this.http = http;
        this.base = base;
    }

    public CompletableFuture<WazoHttp.Response> answer(String app, String callId) {
        return http.send("PUT", call(app, callId) + "/answer", null);
    }

    /** {@code uri} is {@code sound:...}, {@code digits:...}, {@code number:...}, {@code tone:...}; 200 gives the playback. */
    public CompletableFuture<WazoHttp.Response> play(String app, String callId, String uri, String language) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("uri", uri);
        if (language != null) {
            body.put("language", language);
        }
        return http.send("POST", call(app, callId) + "/playbacks", body);
    }

    public CompletableFuture<WazoHttp.Response> stopPlayback(String app, String playbackUuid) {
        return http.send("DELETE", app(app) + "/playbacks/" + seg(playbackUuid), null);
    }

    public CompletableFuture<WazoHttp.Response> hangUp(String app, String callId) {
        return http.send("DELETE", call(app, callId), null);
    }

    public CompletableFuture<WazoHttp.Response> startMusicOnHold(String app, String callId, String mohUuid) {
        return http.send("PUT", call(app, callId) + "/moh/" + seg(mohUuid) + "/start", null);
    }

    public CompletableFuture<WazoHttp.Response> stopMusicOnHold(String app, String callId) {
        return http.send("PUT", call(app, callId) + "/moh/stop", null);
    }

    /** A node (mixing bridge) holding the caller; 201 gives its {@code uuid}. */
    public CompletableFuture<WazoHttp.Response> createNode(String app, String callId) {
        return http.send("POST", app(app) + "/nodes", Map.of("calls", List.of(Map.of("id", callId))));
    }

    /** Calls {@code exten@context} into the node; 201 gives the new call's {@code id}. */
    public CompletableFuture<WazoHttp.Response> callIntoNode(String app, String node, String context, String exten,
                                                              String callerIdNumber) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("context", context);
        body.put("exten", exten);
        body.put("autoanswer", false);
        if (callerIdNumber != null && !callerIdNumber.isBlank()) {
            body.put("displayed_caller_id_number", callerIdNumber);
        }
        return http.send("POST", app(app) + "/nodes/" + seg(node) + "/calls", body);
    }

    public CompletableFuture<WazoHttp.Response> leaveNode(String app, String node, String callId) {
        return http.send("DELETE", app(app) + "/nodes/" + seg(node) + "/calls/" + seg(callId), null);
    }

    /** {@code operation}: start, stop, pause or resume. 204 done, 403 not enabled for this call, 404 no such call. */
    public CompletableFuture<WazoHttp.Response> record(String callId, String operation) {
        return http.send("PUT", base + "/calls/" + seg(callId) + "/record/" + operation, null);
    }

    private String app(String app) {
        return base + "/applications/" + seg(app);
    }

    private String call(String app, String callId) {
        return app(app) + "/calls/" + seg(callId);
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
