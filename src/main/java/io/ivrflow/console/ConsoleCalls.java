package io.ivrflow.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.HttpReply;
import io.ivrflow.ops.Requests;
import io.ivrflow.ops.UserInput;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.World;
import org.apache.camel.Body;
import org.apache.camel.Header;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The console's keypad calls over HTTP (routes/console-api.camel.yaml): {@code POST /console/api/calls} dials a
 * flow in the simulator, {@code GET /console/api/calls/{id}} shows the call, {@code POST
 * /console/api/calls/{id}/keys|wait|hangup} acts as the caller. No token: the management port is internal.
 */
public class ConsoleCalls {

    private static final Pattern CALLER = Pattern.compile("[+0-9A-Za-z@:._-]{1,64}");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final FlowRepository flowRepository;
    private final PromptAudio audio;
    private final CallSessions sessions;

    public ConsoleCalls(FlowRepository flowRepository, PromptAudio audio, ConsoleSettings settings, Clock clock) {
        this.flowRepository = flowRepository;
        this.audio = audio;
        this.sessions = new CallSessions(settings.maxCalls(), settings.callIdle(), clock);
    }

    /**
     * POST /console/api/calls {flow, caller?, called?, language?, at?, start?, world?}: 201 and the call. {@code world}
     * says how lookups, queues, transfers and recording answer, as in a scenario file.
     */
    public HttpReply start(@Body byte[] body) {
        FlowCatalog flows = flowRepository.catalog();
        ConsoleCall.Start s = startRequest(Requests.jsonObject(body, true), flows);
        return HttpReply.json(201, sessions.add(id -> ConsoleCall.start(id, s, flows, audio)).view());
    }

    /** GET /console/api/calls/{id}. */
    public CallView view(@Header("id") String id) {
        return call(id).view();
    }

    /** POST /console/api/calls/{id}/{action}: {@code keys} {keys}, {@code wait} (stay silent), {@code hangup}. */
    public CallView act(@Header("id") String id, @Header("action") String action, @Body byte[] body) {
        ConsoleCall call = call(id);
        return switch (action == null ? "" : action) {
            case "keys" -> call.press(text(Requests.jsonObject(body, true), "keys"));
            case "wait" -> call.staySilent();
            case "hangup" -> call.hangUp();
            default -> throw ApiError.notFound("no action " + UserInput.shown(action)
                    + " on a call: keys, wait or hangup");
        };
    }

    private ConsoleCall call(String id) {
        if (id == null || !SESSION_ID.matcher(id).matches()) {
            throw ApiError.notFound("no call " + UserInput.shown(id));
        }
        return sessions.get(id).orElseThrow(() -> ApiError.notFound("no call " + id
                + ": it ended long ago, was never made, or made room for newer calls; start a new one"));
    }

    /** Reads and checks what a new call starts with. */
    static ConsoleCall.Start startRequest(JsonNode body, FlowCatalog flows) {
        String flowId = text(body, "flow");
        Flow flow = flows.find(flowId).orElseThrow(() -> ApiError.badRequest("no flow " + UserInput.shown(flowId)
                + " is loaded (a file with errors that never loaded cannot be called)"));
        String caller = optional(body, "caller", "+15550100000");
        String called = optional(body, "called", "+15550199999");
        for (String number : new String[] {caller, called}) {
            if (!CALLER.matcher(number).matches()) {
                throw ApiError.badRequest("caller and called are numbers or SIP users (up to 64 of +0-9A-Za-z@:._-),"
                        + " not \"" + number + "\"");
            }
        }
        String language = optional(body, "language", null);
        if (language != null && !flow.languages().contains(language)) {
            throw ApiError.badRequest("flow " + flowId + " speaks " + String.join(", ", flow.languages())
                    + ", not " + language);
        }
        String start = optional(body, "start", null);
        if (start != null && flow.node(start) == null) {
            throw ApiError.badRequest("flow " + flowId + " has no node " + start);
        }
        Instant at = instant(optional(body, "at", null), flow.timezone() == null ? ZoneOffset.UTC : flow.timezone());
        World world;
        try {
            world = body.has("world") ? ScenarioFiles.world(body.get("world")) : World.DEFAULT;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiError.badRequest("world: " + e.getMessage());
        }
        return new ConsoleCall.Start(flowId, caller, called, language, at, start, world);
    }

    /**
     * An instant ({@code 2026-11-23T15:00:00Z}, or with an offset), or a wall-clock time without one
     * ({@code 2026-11-23T10:00}) in the flow's time zone, as its schedules read it; none: now.
     */
    static Instant instant(String at, ZoneId zone) {
        if (at == null) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(at).atZone(zone).toInstant();
            } catch (DateTimeParseException again) {
                throw ApiError.badRequest("at must be an instant such as 2026-11-23T15:00:00Z, or a time in the"
                        + " flow's zone (" + zone.getId() + ") such as 2026-11-23T10:00; not \"" + at + "\"");
            }
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ApiError.badRequest("\"" + field + "\" is required (a string)");
        }
        return v.asText();
    }

    private static String optional(JsonNode body, String field, String fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("\"" + field + "\" must be a string");
        }
        return v.asText();
    }
}
