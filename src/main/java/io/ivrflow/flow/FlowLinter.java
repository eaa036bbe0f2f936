package io.ivrflow.flow;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rules with IVR semantics over a built flow. Each rule has a short name used in messages and docs
 * ({@code README.md}, "Lint rules").
 */
public final class FlowLinter {

    /** Plivo GetDigits limits we hold flows to (see docs/input-semantics.md, "Platform limits"). */
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_FIRST_DIGIT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MAX_INTER_DIGIT_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_DIGITS = 99;

    private final Flow flow;
    private final FlowCatalog catalog;
    private final List<Diagnostic> out = new ArrayList<>();
    private final Set<String> counters = new HashSet<>();

    private FlowLinter(Flow flow, FlowCatalog catalog) {
        this.flow = flow;
        this.catalog = catalog;
        flow.nodes().values().forEach(n -> {
            if (n instanceof Node.Set s) {
                counters.addAll(s.increment());
            }
        });
    }

    /** Diagnostics for a flow; {@code catalog} resolves the sub-flows it calls. */
    public static List<Diagnostic> lint(Flow flow, FlowCatalog catalog) {
        FlowLinter l = new FlowLinter(flow, catalog);
        l.targets();
        l.deadEnds();
        l.unreachable();
        l.loops();
        l.inputExits();
        l.prompts();
        l.platformLimits();
        l.schedules();
        return List.copyOf(l.out);
    }

    // ---------------------------------------------------------------- unknown-target, unknown-flow

    private void targets() {
        if (flow.node(flow.start()) == null) {
            error("/start", "unknown-target", "start node " + flow.start() + " does not exist");
        }
        for (Node n : flow.nodes().values()) {
            for (Edge e : n.edges()) {
                if (e.target() != null && flow.node(e.target()) == null) {
                    error(e.pointer(), "unknown-target", "node " + e.target() + " does not exist (" + e.label()
                            + " of " + n.id() + ")");
                }
            }
            if (n instanceof Node.Subflow s && catalog.find(s.flow()).isEmpty()) {
                error(s.pointer() + "/flow", "unknown-flow", "flow " + s.flow() + " is not loaded next to this one");
            }
            if (n instanceof Node.Language l) {
                l.options().forEach((key, lang) -> {
                    if (!flow.languages().contains(lang)) {
                        error(Pointers.child(l.pointer() + "/options", key), "unknown-language",
                                lang + " is not one of the flow's languages " + flow.languages());
                    }
                });
            }
        }
    }

    // ---------------------------------------------------------------- dead-end

    private void deadEnds() {
        for (Node n : flow.nodes().values()) {
            String missing = null;
            if (n instanceof Node.Say s && s.next() == null || n instanceof Node.Set t && t.next() == null
                    || n instanceof Node.Record r && r.next() == null || n instanceof Node.Lookup l && l.next() == null
                    || n instanceof Node.Collect c && c.next() == null || n instanceof Node.Language g && g.next() == null
                    || n instanceof Node.Subflow f && f.next() == null) {
                missing = "next";
            } else if (n instanceof Node.Goto g && g.target() == null) {
                missing = "target";
            } else if (n instanceof Node.Condition c && c.otherwise() == null) {
                missing = "otherwise";
            }
            if (missing != null) {
                error(n.pointer(), "dead-end", n.kind() + " node " + n.id() + " has no \"" + missing
                        + "\": the call would have nowhere to go");
            }
        }
    }

    // ---------------------------------------------------------------- unreachable

    private void unreachable() {
        if (flow.node(flow.start()) == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(flow.start()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Node n = flow.node(id);
            if (n == null || !seen.add(id)) {
                continue;
            }
            n.edges().forEach(e -> {
                if (e.target() != null) {
                    todo.push(e.target());
                }
            });
        }
        flow.nodes().values().stream().filter(n -> !seen.contains(n.id())).forEach(n ->
                warning(n.pointer(), "unreachable", "node " + n.id() + " cannot be reached from " + flow.start()));
    }

    // ---------------------------------------------------------------- unbounded-loop

    /** Strongly connected parts of the graph made of nodes that do not wait for the caller. */
    private void loops() {
        Map<String, List<String>> graph = new HashMap<>();
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.InputNode) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (Edge e : n.edges()) {
                Node t = e.target() == null ? null : flow.node(e.target());
                if (t != null && !(t instanceof Node.InputNode)) {
                    next.add(t.id());
                }
            }
            graph.put(n.id(), next);
        }
        for (Set<String> component : new Tarjan(graph).components()) {
            String first = component.iterator().next();
            boolean cycle = component.size() > 1 || graph.get(first).contains(first);
            if (cycle && !boundedByCounter(component)) {
                Node n = flow.node(first);
                error(n.pointer(), "unbounded-loop", "nodes " + component + " form a loop that neither waits for"
                        + " the caller nor is bounded by a counter (a set node incrementing a variable that a"
                        + " condition in the loop compares, with a way out)");
            }
        }
    }

    private boolean boundedByCounter(Set<String> component) {
        Set<String> incremented = new HashSet<>();
        component.forEach(id -> {
            if (flow.node(id) instanceof Node.Set s) {
                incremented.addAll(s.increment());
            }
        });
        for (String id : component) {
            if (flow.node(id) instanceof Node.Condition c) {
                boolean leaves = c.edges().stream().anyMatch(e -> e.target() != null && !component.contains(e.target()));
                boolean counts = c.rules().stream().anyMatch(r -> incremented.contains(r.variable()) && isCounterTest(r));
                if (leaves && counts) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isCounterTest(Node.Rule r) {
        return r.operator().numeric() || (r.operator() == Node.Operator.EQ && FlowReader.isNumber(r.value()));
    }

    // ---------------------------------------------------------------- menu-fallback

    private void inputExits() {
        for (Node n : flow.nodes().values()) {
            if (!(n instanceof Node.InputNode in)) {
                continue;
            }
            checkExit(in, "noInput", in.handling().noInputExit());
            checkExit(in, "noMatch", in.handling().noMatchExit());
            if (in instanceof Node.Menu m && m.handling().input().hasTerminator()) {
                String t = m.handling().input().terminator();
                m.options().keySet().stream().filter(k -> k.contains(t)).forEach(k -> error(
                        Pointers.child(m.pointer() + "/options", k), "menu-fallback",
                        "option " + k + " contains the terminator key " + t + " and can never be chosen"));
            }
        }
    }

    private void checkExit(Node.InputNode node, String what, String exit) {
        String pointer = node.pointer() + (what.equals("noInput") && node.handling().noInput().next() != null
                ? "/noInput/next" : what.equals("noMatch") && node.handling().noMatch().next() != null
                ? "/noMatch/next" : "");
        if (exit == null) {
            error(node.pointer(), "menu-fallback", node.kind() + " " + node.id() + " has no exit for " + what
                    + " once its budget is spent: give it a \"fallback\" (or \"" + what + "\": {\"next\": ...})"
                    + " that ends the call politely");
            return;
        }
        String problem = politeEnd(node, exit, false, false, new HashSet<>());
        if (problem != null) {
            error(pointer, "menu-fallback", "after the " + what + " budget of " + node.id() + " is spent, " + problem);
        }
    }

    /** Null when every path from {@code id} ends politely or goes on with the caller; else why not. */
    private String politeEnd(Node.InputNode origin, String id, boolean spoke, boolean counted, Set<String> path) {
        Node n = flow.node(id);
        if (n == null) {
            return null; // reported as unknown-target
        }
        if (n == origin) {
            return counted ? null : "the call goes back to " + origin.id() + " with no counter to stop it";
        }
        if (!path.add(id)) {
            return null; // a loop elsewhere: the unbounded-loop rule's business
        }
        try {
            boolean saysSomething = spoke || n.prompt() != null;
            if (n instanceof Node.InputNode || n instanceof Node.Subflow || n instanceof Node.Return) {
                return null;
            }
            if (n instanceof Node.Hangup) {
                return saysSomething ? null : "the call reaches hangup " + id + " without a word to the caller";
            }
            boolean countedHere = counted || (n instanceof Node.Condition c
                    && c.rules().stream().anyMatch(r -> counters.contains(r.variable()) && isCounterTest(r)));
            for (Edge e : n.edges()) {
                if (e.target() == null) {
                    continue;
                }
                String problem = politeEnd(origin, e.target(), saysSomething, countedHere, path);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        } finally {
            path.remove(id);
        }
    }

    // ---------------------------------------------------------------- missing-prompt

    private void prompts() {
        for (Node n : flow.nodes().values()) {
            checkPrompt(n.prompt());
            if (n instanceof Node.InputNode in) {
                checkPrompt(in.handling().reprompt());
                in.handling().noInput().prompts().forEach(this::checkPrompt);
                in.handling().noMatch().prompts().forEach(this::checkPrompt);
            }
        }
        flow.messages().values().forEach(this::checkPrompt);
    }

    private void checkPrompt(Prompt p) {
        if (p == null || p.byLanguage().isEmpty()) {
            return; // an unknown reference is reported where it is read
        }
        for (String lang : flow.languages()) {
            if (!p.byLanguage().containsKey(lang)) {
                error(p.pointer(), "missing-prompt", "no " + lang + " version of this prompt (the flow declares "
                        + flow.languages() + ")");
            }
        }
        p.byLanguage().keySet().stream().filter(l -> !flow.languages().contains(l)).forEach(l ->
                warning(p.pointer() + "/" + l, "missing-prompt", "prompt in " + l + ", which the flow does not declare"));
        p.byLanguage().forEach((lang, v) -> {
            if (v.ssml() != null) {
                String problem = ssmlProblem(v.ssml());
                if (problem != null) {
                    error(p.pointer() + "/" + lang + "/ssml", "ssml", problem);
                }
            }
            String words = v.ssml() != null ? v.ssml() : v.text();
            String tooLong = words == null ? null : speechLengthProblem(words, v.ssml() != null);
            if (tooLong != null) {
                error(p.pointer() + "/" + lang + (v.ssml() != null ? "/ssml" : "/text"), "prompt-length", tooLong);
            }
            if (v.audio() != null && recordingMissing(v.audio())) {
                warning(p.pointer() + "/" + lang + "/audio", "missing-recording", "recorded file " + v.audio()
                        + " does not exist next to the flow; callers hear the "
                        + (v.text() != null || v.ssml() != null ? "text of this prompt" : "platform's default instead"));
            }
        });
    }

    /** Media URIs the platforms play themselves ({@code tone:}, {@code digits:} ...) and URLs are not files. */
    private static final java.util.regex.Pattern NOT_A_FILE =
            java.util.regex.Pattern.compile("^([a-z]+:.*|.*\\$\\{.*)$");

    /** Whether a recorded file named relative to the flow's folder is absent; unknown folder: not reported. */
    private boolean recordingMissing(String audio) {
        if (NOT_A_FILE.matcher(audio).matches() || flow.source() == null) {
            return false;
        }
        java.nio.file.Path source = java.nio.file.Path.of(flow.source()).toAbsolutePath();
        if (!java.nio.file.Files.isRegularFile(source)) {
            return false;
        }
        return !java.nio.file.Files.isRegularFile(source.getParent().resolve(audio));
    }

    // ---------------------------------------------------------------- prompt-length

    /** Polly's SynthesizeSpeech limits: 3,000 billed characters (SSML tags are not billed), 6,000 in all. */
    public static final int MAX_BILLED_CHARACTERS = 3000;
    public static final int MAX_SPEECH_CHARACTERS = 6000;

    /** Why Polly would refuse these words, or null when it would take them. */
    public static String speechLengthProblem(String words, boolean ssml) {
        int billed = ssml ? words.replaceAll("<[^>]*>", "").length() : words.length();
        if (words.length() > MAX_SPEECH_CHARACTERS) {
            return "the prompt is " + words.length() + " characters long, over Polly's limit of "
                    + MAX_SPEECH_CHARACTERS + "; split it";
        }
        if (billed > MAX_BILLED_CHARACTERS) {
            return "the prompt has " + billed + " characters to speak, over Polly's limit of "
                    + MAX_BILLED_CHARACTERS + "; split it";
        }
        return null;
    }

    // ---------------------------------------------------------------- ssml

    /** Tags Plivo's Speak passes to Polly (plus the {@code <speak>} root, which the Plivo adapter removes). */
    private static final Set<String> SSML_TAGS = Set.of("speak", "break", "emphasis", "lang", "p", "phoneme",
            "prosody", "s", "say-as", "sub", "w");

    /**
     * SSML goes into the XML platforms are sent as it is written, so a malformed document would break the
     * whole reply: it must parse (variables count as plain text) and use only the tags Polly knows.
     */
    static String ssmlProblem(String ssml) {
        String filled = ssml.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*}", "x");
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            org.w3c.dom.Document d = f.newDocumentBuilder().parse(new org.xml.sax.InputSource(
                    new java.io.StringReader("<ivrflow-ssml>" + filled + "</ivrflow-ssml>")));
            org.w3c.dom.NodeList all = d.getDocumentElement().getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                String tag = all.item(i).getNodeName();
                if (!SSML_TAGS.contains(tag)) {
                    return "SSML tag <" + tag + "> is not one Polly and Plivo accept " + new java.util.TreeSet<>(SSML_TAGS);
                }
            }
            return null;
        } catch (org.xml.sax.SAXException e) {
            return "SSML is not well-formed XML: " + e.getMessage();
        } catch (javax.xml.parsers.ParserConfigurationException | java.io.IOException e) {
            return "SSML cannot be checked: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- platform-limits

    private void platformLimits() {
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.InputNode in) {
                InputSpec s = in.handling().input();
                String p = n.pointer() + "/input";
                range(p + "/firstDigitTimeout", "firstDigitTimeout", s.firstDigitTimeout(), MIN_TIMEOUT,
                        MAX_FIRST_DIGIT_TIMEOUT);
                range(p + "/interDigitTimeout", "interDigitTimeout", s.interDigitTimeout(), MIN_TIMEOUT,
                        MAX_INTER_DIGIT_TIMEOUT);
                if (s.maxDigits() > MAX_DIGITS) {
                    error(p + "/maxDigits", "platform-limits", "maxDigits " + s.maxDigits() + " is over Plivo's "
                            + MAX_DIGITS);
                }
            }
            Duration ring = n instanceof Node.Transfer t ? t.timeout() : n instanceof Node.Agent a ? a.timeout() : null;
            if (ring != null) {
                wholeSeconds(n.pointer() + "/timeout", "timeout", ring);
            }
            if (n instanceof Node.Voicemail v && v.maxLength() != null) {
                if (v.maxLength().compareTo(Duration.ofSeconds(2)) < 0) {
                    error(n.pointer() + "/maxLength", "platform-limits", "maxLength must be more than 1 second"
                            + " (Plivo Record)");
                }
                wholeSeconds(n.pointer() + "/maxLength", "maxLength", v.maxLength());
            }
        }
    }

    private void range(String pointer, String name, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            error(pointer, "platform-limits", name + " " + seconds(d) + " s is outside " + seconds(min) + "-"
                    + seconds(max) + " s, what Plivo accepts");
        } else {
            wholeSeconds(pointer, name, d);
        }
    }

    private void wholeSeconds(String pointer, String name, Duration d) {
        if (d.toMillis() % 1000 != 0) {
            warning(pointer, "platform-limits", name + " " + seconds(d) + " s: Plivo counts whole seconds, it"
                    + " will be rounded up to " + (d.toMillis() / 1000 + 1) + " s there");
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0);
    }

    // ---------------------------------------------------------------- schedule-empty, schedule-overlap

    private void schedules() {
        for (Node n : flow.nodes().values()) {
            if (!(n instanceof Node.Schedule s)) {
                continue;
            }
            OpeningHours h = s.hours();
            h.weekly().stream().filter(span -> span.from() == span.to()).forEach(span -> error(span.pointer(),
                    "schedule-empty", "span starts and ends at the same time: write 00:00-24:00 for a whole day"));
            if (h.neverOpen()) {
                error(n.pointer() + "/hours", "schedule-empty", "schedule " + n.id() + " is never open: its open"
                        + " exit can never be taken");
            }
            overlaps(h);
            for (OpeningHours.DateException e : h.exceptions()) {
                if (!e.closed() && e.open().stream().allMatch(r -> r.to() <= r.from())) {
                    error(e.pointer() + "/open", "schedule-empty", "exception hours are empty (each range must end"
                            + " after it starts)");
                }
            }
        }
    }

    /** Two weekly spans that are open at the same minute of the week. */
    private void overlaps(OpeningHours h) {
        int week = 7 * OpeningHours.MINUTES_PER_DAY;
        List<int[]> intervals = new ArrayList<>(); // start, end (may pass the week end), span index
        for (int i = 0; i < h.weekly().size(); i++) {
            OpeningHours.Span s = h.weekly().get(i);
            if (s.from() == s.to()) {
                continue;
            }
            int length = s.crossesMidnight() ? s.to() + OpeningHours.MINUTES_PER_DAY - s.from() : s.to() - s.from();
            for (DayOfWeek d : s.days()) {
                int start = (d.getValue() - 1) * OpeningHours.MINUTES_PER_DAY + s.from();
                intervals.add(new int[] {start, start + length, i});
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (int a = 0; a < intervals.size(); a++) {
            for (int b = a + 1; b < intervals.size(); b++) {
                int[] x = intervals.get(a);
                int[] y = intervals.get(b);
                if (x[2] == y[2]) {
                    continue; // one span on different days cannot overlap itself unless longer than a day
                }
                if (overlap(x, y, week) && reported.add(Math.min(x[2], y[2]) + "-" + Math.max(x[2], y[2]))) {
                    OpeningHours.Span later = h.weekly().get(Math.max(x[2], y[2]));
                    warning(later.pointer(), "schedule-overlap", "this span overlaps span "
                            + Math.min(x[2], y[2]) + " of the same schedule");
                }
            }
        }
    }

    private static boolean overlap(int[] x, int[] y, int week) {
        for (int shift : new int[] {-week, 0, week}) {
            if (x[0] < y[1] + shift && y[0] + shift < x[1]) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- output

    private void error(String pointer, String rule, String message) {
        out.add(new Diagnostic(Diagnostic.Severity.ERROR, flow.source(), pointer, 0, 0, rule, message));
    }

    private void warning(String pointer, String rule, String message) {
        out.add(new Diagnostic(Diagnostic.Severity.WARNING, flow.source(), pointer, 0, 0, rule, message));
    }

    /** Tarjan's strongly connected components; recursive, as flows have tens of nodes, not thousands. */
    private static final class Tarjan {
        private final Map<String, List<String>> graph;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<Set<String>> result = new ArrayList<>();
        private int counter;

        Tarjan(Map<String, List<String>> graph) {
            this.graph = graph;
        }

        List<Set<String>> components() {
            graph.keySet().stream().sorted().forEach(v -> {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            });
            return result;
        }

        private void visit(String v) {
            index.put(v, counter);
            low.put(v, counter++);
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, List.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (Objects.equals(low.get(v), index.get(v))) {
                Set<String> component = new LinkedHashSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                result.add(component);
            }
        }
    }
}
