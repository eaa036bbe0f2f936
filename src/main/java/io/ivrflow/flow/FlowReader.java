package io.ivrflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a schema-valid flow document (full format) into the model. Checks the schema cannot express
 * (time zones, regular expressions, prompt references, one transfer destination) are reported here.
 */
final class FlowReader {

    private final String file;
    private final List<Diagnostic> diagnostics;
    private final Map<String, JsonNode> promptLibrary = new HashMap<>();
    private String defaultLanguage;

    FlowReader(String file, List<Diagnostic> diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    Flow read(JsonNode root) {
        List<String> languages = new ArrayList<>();
        root.path("languages").forEach(l -> languages.add(l.asText()));
        defaultLanguage = root.path("defaultLanguage").asText(languages.get(0));
        if (!languages.contains(defaultLanguage)) {
            error("/defaultLanguage", "schema", "default language " + defaultLanguage + " is not one of " + languages);
        }
        Map<String, String> voices = new LinkedHashMap<>();
        root.path("voices").fields().forEachRemaining(e -> voices.put(e.getKey(), e.getValue().asText()));
        ZoneId zone = zone(root.path("timezone").asText("UTC"), "/timezone");
        root.path("prompts").fields().forEachRemaining(e -> promptLibrary.put(e.getKey(), e.getValue()));

        Map<String, Prompt> messages = new LinkedHashMap<>();
        root.path("messages").fields().forEachRemaining(e ->
                messages.put(e.getKey(), prompt(e.getValue(), "messages." + e.getKey(), "/messages/" + e.getKey())));

        Map<String, Node> nodes = new LinkedHashMap<>();
        root.path("nodes").fields().forEachRemaining(e -> {
            String pointer = Pointers.child("/nodes", e.getKey());
            Node node = node(e.getKey(), pointer, e.getValue(), zone);
            if (node != null) {
                nodes.put(e.getKey(), node);
            }
        });
        return new Flow(root.path("id").asText(), file, root.path("start").asText(), languages, defaultLanguage,
                voices, zone, nodes, messages, false);
    }

    private Node node(String id, String p, JsonNode n, ZoneId flowZone) {
        Prompt prompt = prompt(n.get("prompt"), id, p + "/prompt");
        String type = n.path("type").asText();
        return switch (type) {
            case "menu" -> {
                Map<String, Node.Choice> options = new LinkedHashMap<>();
                int longest = 1;
                for (var it = n.path("options").fields(); it.hasNext(); ) {
                    var e = it.next();
                    String op = Pointers.child(p + "/options", e.getKey());
                    JsonNode v = e.getValue();
                    options.put(e.getKey(), v.isTextual() ? new Node.Choice(v.asText(), false, op)
                            : v.has("repeat") ? new Node.Choice(null, true, op)
                            : new Node.Choice(v.path("next").asText(), false, op + "/next"));
                    longest = Math.max(longest, e.getKey().length());
                }
                boolean hashIsOption = options.keySet().stream().anyMatch(k -> k.contains("#"));
                yield new Node.Menu(id, p, prompt, handling(id, p, n, hashIsOption ? "" : "#", longest, null),
                        options);
            }
            case "collect" -> {
                String pattern = n.has("pattern") ? n.get("pattern").asText() : null;
                if (pattern != null) {
                    try {
                        Pattern.compile(pattern);
                    } catch (PatternSyntaxException e) {
                        error(p + "/pattern", "schema", "not a valid regular expression: " + e.getDescription());
                    }
                }
                yield new Node.Collect(id, p, prompt, handling(id, p, n, "#", 20, null),
                        n.path("variable").asText(), pattern, n.path("sensitive").asBoolean(false), text(n, "next"));
            }
            case "language" -> {
                Map<String, String> options = new LinkedHashMap<>();
                n.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
                // keeping the default language and going on is a polite end to a language menu
                yield new Node.Language(id, p, prompt, handling(id, p, n, "", 1, text(n, "next")), options,
                        text(n, "next"));
            }
            case "say", "play" -> new Node.Say(id, p, prompt, text(n, "next"));
            case "schedule" -> new Node.Schedule(id, p, prompt, hours(n.path("hours"), p + "/hours", flowZone),
                    text(n, "open"), text(n, "closed"), text(n, "holiday"));
            case "queue" -> new Node.Queue(id, p, prompt, n.path("queue").asText(), seconds(n, "timeout"),
                    text(n, "noAgents"), text(n, "onFailure"));
            case "agent" -> new Node.Agent(id, p, prompt, n.path("agent").asText(), seconds(n, "timeout"),
                    text(n, "onFailure"));
            case "transfer" -> transfer(id, p, prompt, n);
            case "voicemail" -> new Node.Voicemail(id, p, prompt, n.path("mailbox").asText(), seconds(n, "maxLength"),
                    text(n, "onFailure"));
            case "record" -> new Node.Record(id, p, prompt,
                    Node.RecordOperation.valueOf(n.path("action").asText().toUpperCase(Locale.ROOT)),
                    text(n, "next"), text(n, "onFailure"));
            case "lookup" -> lookup(id, p, prompt, n);
            case "condition" -> {
                List<Node.Rule> rules = new ArrayList<>();
                for (int i = 0; i < n.path("rules").size(); i++) {
                    rules.add(rule(n.path("rules").get(i), p + "/rules/" + i));
                }
                yield new Node.Condition(id, p, prompt, rules, text(n, "otherwise"));
            }
            case "set" -> {
                Map<String, String> values = new LinkedHashMap<>();
                n.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
                List<String> increment = new ArrayList<>();
                n.path("increment").forEach(v -> increment.add(v.asText()));
                yield new Node.Set(id, p, prompt, values, increment, text(n, "next"));
            }
            case "goto" -> new Node.Goto(id, p, prompt, text(n, "target"));
            case "subflow" -> new Node.Subflow(id, p, prompt, n.path("flow").asText(), text(n, "next"));
            case "return" -> new Node.Return(id, p, prompt);
            case "hangup" -> new Node.Hangup(id, p, prompt, n.path("reason").asText("normal"));
            default -> null; // the schema has reported the unknown type
        };
    }

    private InputHandling handling(String id, String p, JsonNode n, String defaultTerminator, int defaultMaxDigits,
                                   String defaultFallback) {
        JsonNode in = n.path("input");
        InputSpec spec = new InputSpec(
                in.has("firstDigitTimeout") ? seconds(in.get("firstDigitTimeout")) : InputSpec.DEFAULT_FIRST_DIGIT_TIMEOUT,
                in.has("interDigitTimeout") ? seconds(in.get("interDigitTimeout")) : InputSpec.DEFAULT_INTER_DIGIT_TIMEOUT,
                in.path("terminator").asText(defaultTerminator),
                in.path("minDigits").asInt(1),
                in.path("maxDigits").asInt(defaultMaxDigits),
                in.path("bargeIn").asBoolean(true));
        if (spec.minDigits() > spec.maxDigits()) {
            error(p + "/input", "schema", "minDigits " + spec.minDigits() + " is more than maxDigits " + spec.maxDigits());
        }
        Prompt reprompt = prompt(n.get("reprompt"), id + ".reprompt", p + "/reprompt");
        String fallback = n.has("fallback") ? n.get("fallback").asText() : defaultFallback;
        return new InputHandling(spec, reprompt, retry(id, p, n, "noInput"), retry(id, p, n, "noMatch"), fallback);
    }

    private RetryPolicy retry(String id, String p, JsonNode n, String name) {
        JsonNode r = n.path(name);
        List<Prompt> prompts = new ArrayList<>();
        if (r.has("prompt")) {
            prompts.add(prompt(r.get("prompt"), id + "." + name, p + "/" + name + "/prompt"));
        }
        for (int i = 0; i < r.path("prompts").size(); i++) {
            prompts.add(prompt(r.path("prompts").get(i), id + "." + name + "." + (i + 1),
                    p + "/" + name + "/prompts/" + i));
        }
        return new RetryPolicy(r.path("max").asInt(RetryPolicy.DEFAULT_MAX), prompts, text(r, "next"));
    }

    private Node transfer(String id, String p, Prompt prompt, JsonNode n) {
        List<Node.TransferKind> kinds = new ArrayList<>();
        for (Node.TransferKind k : Node.TransferKind.values()) {
            if (n.has(k.name().toLowerCase(Locale.ROOT))) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            error(p, "schema", "a transfer needs exactly one of extension, number or sip (found " + kinds.size() + ")");
            return null;
        }
        Node.TransferKind kind = kinds.get(0);
        return new Node.Transfer(id, p, prompt, kind, n.path(kind.name().toLowerCase(Locale.ROOT)).asText(),
                text(n, "context"), text(n, "callerId"), seconds(n, "timeout"), text(n, "onFailure"));
    }

    private Node lookup(String id, String p, Prompt prompt, JsonNode n) {
        Node.LookupSource source = Node.LookupSource.valueOf(n.path("source").asText().toUpperCase(Locale.ROOT));
        Map<String, String> params = new LinkedHashMap<>();
        if (source == Node.LookupSource.DIRECTORY) {
            params.put("profile", n.path("profile").asText("default"));
            params.put("term", n.path("term").asText("${caller}"));
        } else {
            if (!n.has("url")) {
                error(p, "schema", "an http lookup needs a url");
            }
            params.put("url", n.path("url").asText());
            params.put("method", n.path("method").asText("GET"));
        }
        Map<String, String> assign = new LinkedHashMap<>();
        n.path("assign").fields().forEachRemaining(e -> assign.put(e.getKey(), e.getValue().asText()));
        Duration timeout = n.has("timeout") ? seconds(n.get("timeout")) : Duration.ofSeconds(2);
        return new Node.Lookup(id, p, prompt, source, params, assign, timeout, text(n, "next"), text(n, "notFound"),
                text(n, "onFailure"));
    }

    private Node.Rule rule(JsonNode r, String p) {
        for (Node.Operator op : Node.Operator.values()) {
            String key = op.name().toLowerCase(Locale.ROOT);
            if (r.has(key)) {
                JsonNode v = r.get(key);
                String value = v.isArray() ? joinArray(v) : v.asText();
                if (op == Node.Operator.MATCHES) {
                    try {
                        Pattern.compile(value);
                    } catch (PatternSyntaxException e) {
                        error(p + "/matches", "schema", "not a valid regular expression: " + e.getDescription());
                    }
                }
                if (op.numeric() && !isNumber(value)) {
                    error(p + "/" + key, "schema", "\"" + key + "\" compares numbers; " + value + " is not one");
                }
                return new Node.Rule(r.path("var").asText(), op, value, r.path("next").asText(), p);
            }
        }
        error(p, "schema", "a rule needs one test: eq, ne, lt, le, gt, ge, in, matches, set or unset");
        return new Node.Rule(r.path("var").asText(), Node.Operator.SET, "", r.path("next").asText(), p);
    }

    private static String joinArray(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return String.join("\n", values);
    }

    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- schedules

    private OpeningHours hours(JsonNode h, String p, ZoneId flowZone) {
        ZoneId zone = h.has("timezone") ? zone(h.get("timezone").asText(), p + "/timezone") : flowZone;
        List<OpeningHours.Span> weekly = new ArrayList<>();
        for (int i = 0; i < h.path("weekly").size(); i++) {
            JsonNode s = h.path("weekly").get(i);
            String sp = p + "/weekly/" + i;
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            s.path("days").forEach(d -> days.addAll(dayRange(d.asText())));
            weekly.add(new OpeningHours.Span(days, minutes(s.path("from").asText()), minutes(s.path("to").asText()), sp));
        }
        List<OpeningHours.Holiday> holidays = new ArrayList<>();
        for (int i = 0; i < h.path("holidays").size(); i++) {
            JsonNode d = h.path("holidays").get(i);
            String hp = p + "/holidays/" + i;
            holidays.add(new OpeningHours.Holiday(d.path("name").asText(""),
                    d.has("date") ? date(d.get("date").asText(), hp + "/date") : null,
                    d.has("yearly") ? monthDay(d.get("yearly").asText(), hp + "/yearly") : null, hp));
        }
        List<OpeningHours.DateException> exceptions = new ArrayList<>();
        for (int i = 0; i < h.path("exceptions").size(); i++) {
            JsonNode e = h.path("exceptions").get(i);
            String ep = p + "/exceptions/" + i;
            LocalDate from = date(e.path("date").asText(), ep + "/date");
            LocalDate until = e.has("until") ? date(e.get("until").asText(), ep + "/until") : from;
            if (from != null && until != null && until.isBefore(from)) {
                error(ep + "/until", "schema", "until " + until + " is before date " + from);
            }
            List<OpeningHours.TimeRange> open = new ArrayList<>();
            e.path("open").forEach(r -> open.add(new OpeningHours.TimeRange(minutes(r.path("from").asText()),
                    minutes(r.path("to").asText()))));
            exceptions.add(new OpeningHours.DateException(from, until, e.path("closed").asBoolean(open.isEmpty()),
                    open, ep));
        }
        return new OpeningHours(zone, weekly, holidays, exceptions);
    }

    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private static Set<DayOfWeek> dayRange(String text) {
        String[] ends = text.split("-");
        int from = DAY_NAMES.indexOf(ends[0]);
        int to = DAY_NAMES.indexOf(ends[ends.length - 1]);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (int d = from; ; d = (d + 1) % 7) { // "sat-mon" wraps over the week end
            days.add(DayOfWeek.of(d + 1));
            if (d == to) {
                return days;
            }
        }
    }

    private static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
    }

    private LocalDate date(String text, String pointer) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            error(pointer, "schema", "not a date: " + text);
            return null;
        }
    }

    private MonthDay monthDay(String text, String pointer) {
        try {
            return MonthDay.parse("--" + text);
        } catch (DateTimeException e) {
            error(pointer, "schema", "not a month-day (MM-DD): " + text);
            return null;
        }
    }

    private ZoneId zone(String name, String pointer) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            error(pointer, "schema", "unknown time zone " + name + " (use an IANA name such as Europe/Paris)");
            return ZoneId.of("UTC");
        }
    }

    // ---------------------------------------------------------------- prompts

    /** Reads any prompt shape into per-language variants. */
    Prompt prompt(JsonNode n, String key, String pointer) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject() && n.has("ref")) {
            String name = n.get("ref").asText();
            JsonNode body = promptLibrary.get(name);
            if (body == null) {
                error(pointer + "/ref", "unknown-prompt", "no prompt named " + name + " in /prompts");
                return new Prompt("@" + name, Map.of(), pointer);
            }
            return prompt(body, "@" + name, pointer);
        }
        Map<String, PromptVariant> variants = new LinkedHashMap<>();
        if (n.isTextual()) {
            variants.put(defaultLanguage, PromptVariant.ofText(n.asText()));
        } else if (n.has("text") || n.has("ssml") || n.has("audio")) {
            variants.put(defaultLanguage, variant(n));
        } else {
            n.fields().forEachRemaining(e -> variants.put(e.getKey(),
                    e.getValue().isTextual() ? PromptVariant.ofText(e.getValue().asText()) : variant(e.getValue())));
        }
        return new Prompt(key, variants, pointer);
    }

    private static PromptVariant variant(JsonNode n) {
        return new PromptVariant(text(n, "text"), text(n, "ssml"), text(n, "audio"));
    }

    // ---------------------------------------------------------------- small helpers

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration seconds(JsonNode n, String field) {
        return n.has(field) ? seconds(n.get(field)) : null;
    }

    private static Duration seconds(JsonNode v) {
        return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }

    private void error(String pointer, String rule, String message) {
        diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, file, pointer, 0, 0, rule, message));
    }

    static boolean isFullFormat(JsonNode root) {
        return root instanceof ObjectNode o
                && (o.has("nodes") || o.has("ivrflow") || o.has("start") || o.has("$schema"));
    }
}
