package io.ivrflow.wazo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One wazo-calld application event from the {@code wazo-headers} exchange, reduced to what the adapter uses.
 * The body is {@code {name, ..., "data": {...}}} with the same name in the AMQP headers; like wazo-bus, the
 * header wins and the body is the fallback.
 *
 * @param callId the call the event is about: {@code data.call.id} or {@code data.call_id}
 * @param data   the event's {@code data} object
 */
public record BusEvent(String name, String applicationUuid, String callId, JsonNode data) {

    /** The events the adapter acts on; other application events are acknowledged and ignored. */
    public static final Set<String> HANDLED = Set.of("application_call_entered", "application_call_initiated",
            "application_call_answered", "application_call_dtmf_received", "application_playback_created",
            "application_playback_deleted", "application_node_updated", "application_call_deleted");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message that is not a usable application event: it is dead-lettered. */
    public static final class Garbled extends RuntimeException {
        public Garbled(String message) {
            super(message);
        }
    }

    /** Reads a message; throws {@link Garbled} with the reason when it is not an application event. */
    public static BusEvent parse(byte[] body, Map<String, ?> headers) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new Garbled("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Garbled("body is not a JSON object");
        }
        String name = text(headers.get("name"));
        if (name == null) {
            name = root.path("name").isTextual() ? root.path("name").asText() : null;
        }
        if (name == null || name.isBlank()) {
            throw new Garbled("no event name");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new Garbled(name + " without a data object");
        }
        String app = text(headers.get("application_uuid"));
        if (app == null) {
            app = data.path("application_uuid").isTextual() ? data.path("application_uuid").asText() : null;
        }
        if (app == null || app.isBlank()) {
            throw new Garbled(name + " without an application_uuid");
        }
        String callId = data.path("call").path("id").isTextual() ? data.path("call").path("id").asText()
                : data.path("call_id").isTextual() ? data.path("call_id").asText() : null;
        BusEvent event = new BusEvent(name, app, callId, data);
        event.check();
        return event;
    }

    public static BusEvent parse(String body, Map<String, ?> headers) {
        return parse(body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The fields each handled event needs, so a half-formed one is dead-lettered rather than half-acted on. */
    private void check() {
        if (!HANDLED.contains(name) || name.equals("application_node_updated")) {
            return;
        }
        if (callId == null || callId.isBlank()) {
            throw new Garbled(name + " without a call id");
        }
        switch (name) {
            case "application_call_dtmf_received" -> {
                String dtmf = data.path("dtmf").asText("");
                if (!dtmf.matches("[0-9*#A-Da-d]")) {
                    throw new Garbled(name + " with a dtmf that is not one key");
                }
            }
            case "application_playback_created", "application_playback_deleted" -> {
                if (!data.path("playback").path("uuid").isTextual()) {
                    throw new Garbled(name + " without playback.uuid");
                }
            }
            default -> {
            }
        }
    }

    public boolean handled() {
        return HANDLED.contains(name);
    }

    public String dtmf() {
        return data.path("dtmf").asText("");
    }

    public String playbackUuid() {
        return data.path("playback").path("uuid").asText(null);
    }

    public String playbackState() {
        return data.path("playback").path("state").asText("");
    }

    /** {@code data.call.<field>} as text, or null. */
    public String call(String field) {
        JsonNode v = data.path("call").get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public JsonNode callVariables() {
        return data.path("call").path("variables");
    }

    private static String text(Object header) {
        if (header == null) {
            return null;
        }
        String s = header instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : header.toString();
        return s.isBlank() ? null : s;
    }
}
