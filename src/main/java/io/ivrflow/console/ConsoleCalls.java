package io.ivrflow.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.flowstore.FlowRepository;
import io.ivrflow.ops.UserInput;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.World;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The console's keypad calls over HTTP (routes/console-call*.camel.yaml): {@code POST /console/api/calls} dials a
 * flow in the simulator, {@code GET /console/api/calls/{id}} shows the call, {@code POST
 * /console/api/calls/{id}/keys|wait|hangup} acts as the caller. No token: the management port is internal.
 */
public class ConsoleCalls {

    private static final Pattern CALLER = Pattern.compile("[+0-9A-Za-z@:._-]{1,64}");
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private FlowRepository flowRepository;
    private PromptAudio audio;
    private int maxCalls = 50;
    private long idleMinutes = 30;
    private Clock clock = Clock.systemUTC();

    private volatile CallSessions sessions;

    /**
     * POST /console/api/calls {flow, caller?, called?, language?, at?, start?, world?}: 201 and the call. {@code world}
     * says how lookups, queues, transfers and recording answer, as in a scenario file.
     */
    public void start(Exchange exchange) {
        JsonAnswers.answer(exchange, 201, () -> {
            FlowCatalog flows = flowRepository.catalog();
            ConsoleCall.Start s = startRequest(body(exchange.getMessage(), true), flows);
            return sessions().add(id -> ConsoleCall.start(id, s, flows, audio)).view();
        });
    }

    /** GET /console/api/calls/{id}. */
    public void view(Exchange exchange) {
        JsonAnswers.answer(exchange, 200, () -> call(exchange.getMessage()).view());
    }

    /** POST /console/api/calls/{id}/{action}: {@code keys} {keys}, {@code wait} (stay silent), {@code hangup}. */
    public void act(Exchange exchange) {
        Message m = exchange.getMessage();
        JsonAnswers.answer(exchange, 200, () -> {
            ConsoleCall call = call(m);
            String action = m.getHeader("action", "", String.class);
            return switch (action) {
                case "keys" -> call.press(text(body(m, true), "keys"));
                case "wait" -> call.staySilent();
                case "hangup" -> call.hangUp();
                default -> throw ApiError.notFound("no action " + UserInput.shown(action)
                        + " on a call: keys, wait or hangup");
            };
        });
    }

    private ConsoleCall call(Message m) {
        String id = m.getHeader("id", "", String.class);
        if (!SESSION_ID.matcher(id).matches()) {
            throw ApiError.notFound("no call " + UserInput.shown(id));
        }
        return sessions().get(id).orElseThrow(() -> ApiError.notFound("no call " + id
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

    private static JsonNode body(Message m, boolean required) {
        String type = m.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(java.util.Locale.ROOT);
        if (type.contains("form")) {
            // platform-http has already taken a form apart; say what the API wants instead of guessing
            throw ApiError.badRequest("send the body as JSON, with Content-Type: application/json (not " + type + ")");
        }
        String text = m.getBody(String.class);
        if (text == null || text.isBlank()) {
            if (required) {
                throw ApiError.badRequest("the request needs a JSON object body");
            }
            return JsonAnswers.JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JsonAnswers.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return node;
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

    private CallSessions sessions() {
        CallSessions s = sessions;
        if (s == null) {
            synchronized (this) {
                if (sessions == null) {
                    sessions = new CallSessions(maxCalls, Duration.ofMinutes(idleMinutes), clock);
                }
                s = sessions;
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- configuration

    public void setFlowRepository(FlowRepository flowRepository) {
        this.flowRepository = flowRepository;
    }

    /** What the console can play for a prompt (one bean, shared with the flow pages). */
    public void setAudio(PromptAudio audio) {
        this.audio = audio;
    }

    /** Calls kept at once; a new one beyond that takes the place of the one left alone longest. */
    public void setMaxCalls(int maxCalls) {
        this.maxCalls = maxCalls;
    }

    /** A call nobody has looked at for this long is dropped. */
    public void setIdleMinutes(long idleMinutes) {
        this.idleMinutes = idleMinutes;
    }

    /** Tests move time on by hand. */
    void setClock(Clock clock) {
        this.clock = clock;
    }
}
