package io.ivrflow.flow;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a platform has that flows name: its queues, extensions, mailboxes and agents. {@code lint --inventory}
 * checks every queue, agent, extension transfer and voicemail node against it: a name the platform does not have
 * is an error, so a typo fails in review rather than on a caller. A kind the inventory does not list at all is
 * not checked (a Plivo account has no agents to list).
 *
 * <p>Extensions and mailboxes may be listed as {@code 1001} or {@code 1001@context}; a node with a context must
 * match one of the two, a node without matches either.
 *
 * @param kinds kind ({@code queues}, {@code extensions}, {@code mailboxes}, {@code agents}) → names
 */
public record PlatformInventory(String source, Map<String, Set<String>> kinds) {

    public static final List<String> KINDS = List.of("queues", "extensions", "mailboxes", "agents");
    private static final int SHOWN = 10;

    public PlatformInventory {
        Map<String, Set<String>> copy = new TreeMap<>();
        // sorted, so messages list names in a stable order
        kinds.forEach((k, v) -> copy.put(k, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(v))));
        kinds = Map.copyOf(copy);
    }

    /**
     * An inventory file: {@code {"queues": ["sales", ...], "extensions": ["1001", "2000@default"], "mailboxes":
     * [...], "agents": ["2001"]}}, any of the four. Anything else is refused with what is wrong.
     */
    public static PlatformInventory read(String source, JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException(source + ": an inventory is a JSON object with any of " + KINDS);
        }
        Map<String, Set<String>> kinds = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KINDS.contains(e.getKey())) {
                throw new IllegalArgumentException(source + ": unknown key \"" + e.getKey() + "\": expected " + KINDS);
            }
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(source + ": \"" + e.getKey() + "\" must be an array of names");
            }
            Set<String> names = new TreeSet<>();
            for (JsonNode n : e.getValue()) {
                if (!n.isTextual() && !n.isIntegralNumber()) {
                    throw new IllegalArgumentException(source + ": \"" + e.getKey() + "\" holds " + n
                            + ", not a name or a number");
                }
                names.add(n.asText());
            }
            kinds.put(e.getKey(), names);
        }
        return new PlatformInventory(source, kinds);
    }

    /** The union of two inventories: a kind is checked when either lists it. */
    public PlatformInventory and(PlatformInventory other) {
        Map<String, Set<String>> all = new TreeMap<>();
        for (PlatformInventory i : List.of(this, other)) {
            i.kinds.forEach((k, v) -> all.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
        }
        return new PlatformInventory(source + " + " + other.source, all);
    }

    /** The kinds this inventory does not list, which are not checked. */
    public List<String> unchecked() {
        return KINDS.stream().filter(k -> !kinds.containsKey(k)).toList();
    }

    /** The file with an error for each name its nodes give that the platform does not have. */
    public FlowLoader.Loaded check(FlowLoader.Loaded loaded) {
        if (loaded.flow() == null) {
            return loaded;
        }
        List<Diagnostic> found = new ArrayList<>();
        for (Node node : loaded.flow().nodes().values()) {
            if (node instanceof Node.Queue q) {
                unknown(loaded, node, "queue", "queues", q.queue(), null).ifPresent(found::add);
            } else if (node instanceof Node.Agent a) {
                unknown(loaded, node, "agent", "agents", a.agent(), null).ifPresent(found::add);
            } else if (node instanceof Node.Transfer t && t.to() == Node.TransferKind.EXTENSION) {
                unknown(loaded, node, "extension", "extensions", t.destination(), t.context()).ifPresent(found::add);
            } else if (node instanceof Node.Voicemail v) {
                unknown(loaded, node, "mailbox", "mailboxes", v.mailbox(), null).ifPresent(found::add);
            }
        }
        return loaded.with(found);
    }

    private java.util.Optional<Diagnostic> unknown(FlowLoader.Loaded loaded, Node node, String field, String kind,
                                                   String name, String context) {
        Set<String> known = kinds.get(kind);
        if (known == null || name == null || name.contains("${") || known(known, name, context)) {
            return java.util.Optional.empty();
        }
        String what = context == null ? "\"" + name + "\"" : "\"" + name + "@" + context + "\"";
        String near = known.stream().filter(k -> Strings.distance(k, name) <= 2).findFirst()
                .map(k -> "; did you mean \"" + k + "\"?").orElse("");
        String listed = known.isEmpty() ? "it lists none"
                : "it has " + String.join(", ", known.stream().limit(SHOWN).toList())
                + (known.size() > SHOWN ? " ... (" + known.size() + " in all)" : "");
        String pointer = node.pointer() + "/" + (loaded.locations().has(node.pointer() + "/" + field) ? field : "target");
        return java.util.Optional.of(new Diagnostic(Diagnostic.Severity.ERROR, loaded.file().toString(), pointer, 0, 0,
                "inventory", field + " " + what + " is not among the platform's " + kind + " (" + source + "): "
                + listed + near));
    }

    private static boolean known(Set<String> known, String name, String context) {
        if (context != null) {
            return known.contains(name) || known.contains(name + "@" + context);
        }
        return known.contains(name) || known.stream().anyMatch(k -> k.startsWith(name + "@"));
    }
}
