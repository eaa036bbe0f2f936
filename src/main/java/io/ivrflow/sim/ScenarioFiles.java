package io.ivrflow.sim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ivrflow.engine.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code *.scenarios.json} files. A file names its flow and holds a list of scenarios; {@code defaults}
 * gives values every scenario of the file shares (caller, called, at, language, world).
 */
public final class ScenarioFiles {

    public static final String SUFFIX = ".scenarios.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ScenarioFiles() {
    }

    /** Scenario files of a folder (sorted), or the file itself. */
    public static List<Path> list(Path fileOrFolder) throws IOException {
        if (!Files.isDirectory(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        try (Stream<Path> s = Files.list(fileOrFolder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /** Reads a file; a malformed one raises {@link IllegalArgumentException} naming the file and the problem. */
    public static List<Scenario> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            String flow = required(root, "flow").asText();
            JsonNode defaults = root.path("defaults");
            List<Scenario> out = new ArrayList<>();
            JsonNode list = required(root, "scenarios");
            for (int i = 0; i < list.size(); i++) {
                out.add(scenario(file.toString(), flow, list.get(i), defaults, i));
            }
            return out;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Scenario scenario(String source, String flow, JsonNode s, JsonNode d, int index) {
        String name = s.path("name").asText("scenario " + index);
        List<Scenario.Step> steps = new ArrayList<>();
        for (JsonNode step : s.path("steps")) {
            steps.add(step(step, name));
        }
        JsonNode e = s.path("expect");
        Scenario.Expect expect = new Scenario.Expect(text(e, "outcome"), strings(e.get("trace")),
                strings(e.get("heard")), strings(e.get("notHeard")), map(e.get("variables")), text(e, "language"));
        return new Scenario(source, flow, name, pick(s, d, "caller", "+15550100000"),
                pick(s, d, "called", "+15550199999"), pick(s, d, "language", null),
                Instant.parse(pick(s, d, "at", "2026-11-23T15:00:00Z")), text(s, "start"), map(s.get("variables")),
                world(s.has("world") ? s.get("world") : d.path("world")), steps, expect);
    }

    private static Scenario.Step step(JsonNode step, String scenario) {
        if (step.has("press")) {
            return new Scenario.Press(step.get("press").asText(), step.path("interrupt").asBoolean(false),
                    step.has("gap") ? Durations.parse(step.get("gap").asText()) : null);
        }
        if (step.has("wait")) {
            return new Scenario.Wait(Durations.parse(step.get("wait").asText()));
        }
        if (step.has("hangup")) {
            return new Scenario.HangUp();
        }
        if (step.has("expect")) {
            JsonNode x = step.get("expect");
            return new Scenario.Check(text(x, "node"), text(x, "heard"), text(x, "language"));
        }
        throw new IllegalArgumentException("scenario \"" + scenario + "\": unknown step " + step
                + " (use press, wait, hangup or expect)");
    }

    /**
     * How the outside world answers, from a scenario's {@code world} object (also what the web console's calls
     * accept); a malformed one raises {@link IllegalArgumentException}.
     */
    public static World world(JsonNode w) {
        if (w == null || w.isMissingNode()) {
            return World.DEFAULT;
        }
        Map<String, List<World.LookupAnswer>> lookups = new LinkedHashMap<>();
        w.path("lookups").fields().forEachRemaining(e -> {
            List<World.LookupAnswer> answers = new ArrayList<>();
            // one answer, or a list: successive lookups of the node get successive answers
            (e.getValue().isArray() ? e.getValue() : List.of(e.getValue())).forEach(a -> answers.add(
                    new World.LookupAnswer(lookupStatus(a.path("status").asText("found")), map(a.get("fields")),
                            a.has("latency") ? Durations.parse(a.get("latency").asText()) : null)));
            lookups.put(e.getKey(), answers);
        });
        Map<String, Integer> agents = new LinkedHashMap<>();
        w.path("agents").fields().forEachRemaining(e -> agents.put(e.getKey(), e.getValue().asInt()));
        Map<String, Event.FailureReason> queues = new LinkedHashMap<>();
        w.path("queues").fields().forEachRemaining(e -> queues.put(e.getKey(), failure(e.getValue().asText())));
        Map<String, Event.FailureReason> transfers = new LinkedHashMap<>();
        w.path("transfers").fields().forEachRemaining(e -> transfers.put(e.getKey(), failure(e.getValue().asText())));
        return new World(lookups, agents, queues, transfers, w.path("recording").asText("ok").equals("fails"));
    }

    public static Event.LookupStatus lookupStatus(String s) {
        return switch (s) {
            case "found" -> Event.LookupStatus.FOUND;
            case "notFound" -> Event.LookupStatus.NOT_FOUND;
            case "failure", "failed" -> Event.LookupStatus.FAILED;
            default -> throw new IllegalArgumentException("lookup status " + s + ": use found, notFound or failure");
        };
    }

    public static Event.FailureReason failure(String s) {
        return switch (s) {
            case "busy" -> Event.FailureReason.BUSY;
            case "noAnswer" -> Event.FailureReason.NO_ANSWER;
            case "failed" -> Event.FailureReason.FAILED;
            default -> throw new IllegalArgumentException("transfer result " + s + ": use busy, noAnswer or failed");
        };
    }

    private static JsonNode required(JsonNode n, String field) {
        if (!n.has(field)) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return n.get(field);
    }

    private static String pick(JsonNode s, JsonNode defaults, String field, String fallback) {
        return s.has(field) ? s.get(field).asText() : defaults.has(field) ? defaults.get(field).asText() : fallback;
    }

    private static String text(JsonNode n, String field) {
        return n.has(field) ? n.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode n) {
        if (n == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

}
