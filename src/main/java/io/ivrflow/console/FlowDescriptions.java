package io.ivrflow.console;

import io.ivrflow.engine.Engine;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Edge;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.Node;
import io.ivrflow.flow.Prompt;
import io.ivrflow.flowstore.FlowRepository;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the console shows of the flow files: the list with each file's lint results, and one flow in full (its
 * picture, each node's facts, prompts and diagnostics). Plain records, turned into JSON as they are.
 */
public final class FlowDescriptions {

    /**
     * A lint result.
     *
     * @param node the node the pointer is in, when it is in one
     */
    public record Finding(String severity, String rule, String pointer, int line, int column, String message,
                          String node) {
    }

    /**
     * One flow file in the list.
     *
     * @param id          null for a file that never loaded
     * @param status      {@code ok}, {@code stale-with-errors} (an earlier good version serves) or {@code invalid}
     * @param version     content hash of the version that serves (null when none does)
     * @param fileVersion content hash of the file as it is now (differs from version while an edit is refused)
     */
    public record Listed(String id, String file, String status, String version, String fileVersion, int nodeCount,
                         List<String> languages, long errors, long warnings, List<Finding> diagnostics) {
    }

    public record Listing(String lastReload, List<Listed> flows) {
    }

    /** The words of one prompt in one language, and what the console can play for them. */
    public record Words(String language, String text, boolean ssml, boolean dynamic, PromptAudio.Sound sound) {
    }

    /**
     * One prompt of a node.
     *
     * @param role {@code on entry}, {@code re-prompt}, {@code no input 1}, {@code no match 2}...
     */
    public record NodePrompt(String role, List<Words> languages) {
    }

    /** A way out of a node: what takes it and where it goes. */
    public record Exit(String label, String kind, String exit, String target) {
    }

    /** @param subflow the flow a sub-flow node calls (the card links to its graph), else null */
    public record NodeDetail(String id, String kind, String family, String summary, String pointer,
                             List<NodeDescription.Fact> facts, List<NodePrompt> prompts, List<Exit> exits,
                             List<Finding> diagnostics, String subflow) {
    }

    /** One flow in full, as {@link Listed} for its versions. */
    public record Described(String id, String file, String status, String version, String fileVersion, String start,
                            List<String> languages,
                            String defaultLanguage, String timezone, List<Finding> diagnostics, FlowGraph graph,
                            List<NodeDetail> nodes) {
    }

    private final FlowRepository repository;
    private final PromptAudio audio;

    public FlowDescriptions(FlowRepository repository, PromptAudio audio) {
        this.repository = repository;
        this.audio = audio;
    }

    public Listing list() {
        List<Listed> out = new ArrayList<>();
        for (FlowRepository.Entry e : repository.entries()) {
            Flow f = e.flow();
            out.add(new Listed(f == null ? null : f.id(), fileName(e.file()), e.status(), e.version(), e.fileVersion(),
                    f == null ? 0 : f.nodes().size(), f == null ? List.of() : f.languages(), e.errorCount(),
                    e.warningCount(), findings(e.diagnostics(), f)));
        }
        return new Listing(repository.lastReload() == null ? null : repository.lastReload().toString(), out);
    }

    /** The flow of that id as it serves now: from the file that loaded cleanly, else the stale one. */
    public Optional<Described> describe(String flowId) {
        Optional<FlowRepository.Entry> entry = repository.entries().stream()
                .filter(e -> e.flow() != null && e.flow().id().equals(flowId))
                .min(Comparator.comparing(e -> FlowRepository.OK.equals(e.status()) ? 0 : 1));
        return entry.map(e -> {
            Flow f = e.flow();
            List<Finding> findings = findings(e.diagnostics(), f);
            List<NodeDetail> nodes = new ArrayList<>();
            for (Node n : f.nodes().values()) {
                nodes.add(detail(f, n, findings));
            }
            return new Described(f.id(), fileName(e.file()), e.status(), e.version(), e.fileVersion(), f.start(),
                    f.languages(),
                    f.defaultLanguage(), zone(f), findings, FlowGraph.of(f),
                    nodes);
        });
    }

    private NodeDetail detail(Flow f, Node n, List<Finding> findings) {
        List<NodePrompt> prompts = new ArrayList<>();
        add(prompts, "on entry", n.prompt(), f);
        if (n instanceof Node.InputNode in) {
            add(prompts, "re-prompt", in.handling().reprompt(), f);
            List<Prompt> noInput = in.handling().noInput().prompts();
            for (int i = 0; i < noInput.size(); i++) {
                add(prompts, "no input " + (i + 1), noInput.get(i), f);
            }
            List<Prompt> noMatch = in.handling().noMatch().prompts();
            for (int i = 0; i < noMatch.size(); i++) {
                add(prompts, "no match " + (i + 1), noMatch.get(i), f);
            }
        }
        List<Exit> exits = new ArrayList<>();
        for (Edge e : n.edges()) {
            EdgeLabel label = EdgeLabel.of(n, e);
            exits.add(new Exit(label.text(), label.kind(), e.label(), e.target()));
        }
        return new NodeDetail(n.id(), n.kind(), NodeDescription.family(n), NodeDescription.summary(n), n.pointer(),
                NodeDescription.facts(n), prompts, exits,
                findings.stream().filter(d -> n.id().equals(d.node())).toList(),
                n instanceof Node.Subflow sub ? sub.flow() : null);
    }

    private void add(List<NodePrompt> prompts, String role, Prompt p, Flow f) {
        if (p == null || p.byLanguage().isEmpty()) {
            return;
        }
        List<Words> words = new ArrayList<>();
        for (String language : f.languages()) {
            // as a caller in that language hears it (a language the prompt lacks falls back as the engine does)
            RenderedPrompt r = Engine.render(f, p, language, Map.of());
            boolean ssml = r.ssml() != null;
            String text = ssml ? r.ssml() : r.text() != null ? r.text() : null;
            words.add(new Words(language, text, ssml, r.dynamic(), audio.of(r)));
        }
        prompts.add(new NodePrompt(role, words));
    }

    /** Diagnostics with the node each is about (the longest node pointer that starts the diagnostic's). */
    static List<Finding> findings(List<Diagnostic> diagnostics, Flow flow) {
        List<Finding> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            String node = null;
            if (flow != null) {
                int best = -1;
                for (Node n : flow.nodes().values()) {
                    String p = n.pointer();
                    if ((d.pointer().equals(p) || d.pointer().startsWith(p + "/")) && p.length() > best) {
                        node = n.id();
                        best = p.length();
                    }
                }
            }
            out.add(new Finding(d.severity().name().toLowerCase(Locale.ROOT), d.rule(), d.pointer(), d.line(),
                    d.column(), d.message(), node));
        }
        return out;
    }

    /** The zone schedules read the time in; UTC is written so (rather than "Z"). */
    private static String zone(Flow f) {
        if (f.timezone() == null) {
            return null;
        }
        return f.timezone().normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : f.timezone().getId();
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }
}
