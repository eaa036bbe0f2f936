package io.ivrflow.flow;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the seed format (the one the Wazo IVR plugin uses): a bare object of named nodes, entry node
 * {@code main_menu}, actions {@code route_to_queue}, {@code transfer_to_extension} and {@code repeat_menu}.
 *
 * <p>What the format leaves unsaid is filled in so that no caller is stuck: a menu whose fallback is
 * {@code repeat_menu} is said again at most {@value RetryPolicy#DEFAULT_MAX} times for no input and as many
 * for wrong keys, then the call ends with a goodbye ({@value #GOODBYE}). A target that is not a node
 * becomes a node of its own ({@code menu.key}): a queue for {@code route_to_queue}, an extension for
 * {@code transfer_to_extension}.
 */
final class LegacyFlowReader {

    static final String ENTRY = "main_menu";
    static final String GOODBYE = "_goodbye";
    static final String LANGUAGE = "en-US";

    private final String file;
    private final String flowId;
    private final List<Diagnostic> diagnostics;

    LegacyFlowReader(String file, String flowId, List<Diagnostic> diagnostics) {
        this.file = file;
        this.flowId = flowId;
        this.diagnostics = diagnostics;
    }

    Flow read(JsonNode root) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        boolean[] needsGoodbye = {false};
        root.fields().forEachRemaining(e -> {
            String id = e.getKey();
            String p = Pointers.child("", id);
            JsonNode n = e.getValue();
            Prompt prompt = n.has("prompt") ? text(id, n.get("prompt").asText(), p + "/prompt") : null;
            if (n.has("options")) {
                Map<String, Node.Choice> options = new LinkedHashMap<>();
                int longest = 1;
                for (var it = n.get("options").fields(); it.hasNext(); ) {
                    var o = it.next();
                    String op = Pointers.child(p + "/options", o.getKey());
                    options.put(o.getKey(), choice(root, nodes, id + "." + o.getKey(), o.getValue(), op));
                    longest = Math.max(longest, o.getKey().length());
                }
                JsonNode fb = n.get("fallback");
                boolean repeat = fb == null || "repeat_menu".equals(fb.path("action").asText());
                String exit;
                int max;
                if (repeat) {
                    exit = GOODBYE;
                    max = RetryPolicy.DEFAULT_MAX;
                    needsGoodbye[0] = true;
                } else {
                    Node.Choice c = choice(root, nodes, id + ".fallback", fb, p + "/fallback");
                    exit = c.target();
                    max = 1;
                }
                InputSpec spec = new InputSpec(InputSpec.DEFAULT_FIRST_DIGIT_TIMEOUT,
                        InputSpec.DEFAULT_INTER_DIGIT_TIMEOUT, "", 1, longest, true);
                InputHandling handling = new InputHandling(spec, null, new RetryPolicy(max, List.of(), null),
                        new RetryPolicy(max, List.of(), null), exit);
                nodes.put(id, new Node.Menu(id, p, prompt, handling, options));
            } else {
                nodes.put(id, leaf(root, id, p, prompt, n.path("action").asText(), n.path("target").asText()));
            }
        });
        if (needsGoodbye[0] && !nodes.containsKey(GOODBYE)) {
            nodes.put(GOODBYE, new Node.Hangup(GOODBYE, "", text(GOODBYE,
                    "Sorry, we did not receive a valid selection. Thank you for calling. Goodbye.", ""), "normal"));
        }
        if (!root.has(ENTRY)) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, file, "", 0, 0, "unknown-target",
                    "the seed format starts at node " + ENTRY + ", which this file does not have"));
        }
        return new Flow(flowId, file, ENTRY, List.of(LANGUAGE), LANGUAGE, Map.of(), ZoneOffset.UTC, nodes, Map.of(),
                true);
    }

    private Node leaf(JsonNode root, String id, String p, Prompt prompt, String action, String target) {
        if ("route_to_queue".equals(action)) {
            if (root.has(target)) {
                return new Node.Goto(id, p, prompt, target);
            }
            platformTarget(root, p + "/target", target, "queue");
            return new Node.Queue(id, p, prompt, target, null, null, null);
        }
        platformTarget(root, p + "/target", target, "extension");
        return new Node.Transfer(id, p, prompt, Node.TransferKind.EXTENSION, target, null, null, null, null);
    }

    /**
     * A target that names no node is taken for one of the platform's (the format allows it): said as a warning that
     * names it and how it is taken, and as an error when it is one key away from a node's name (a typo, most likely).
     * {@code lint --inventory} checks such targets against the platform's own list.
     */
    private void platformTarget(JsonNode root, String pointer, String target, String takenAs) {
        String near = null;
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String node = it.next();
            if (Strings.distance(node, target) <= 2 && node.length() > 2) {
                near = node;
            }
        }
        if (near != null) {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, file, pointer, 0, 0, "unknown-target",
                    "\"" + target + "\" names no node; did you mean node " + near + "? (otherwise it is taken as the "
                            + takenAs + " \"" + target + "\" on the platform)"));
        } else {
            diagnostics.add(new Diagnostic(Diagnostic.Severity.WARNING, file, pointer, 0, 0, "platform-target",
                    "\"" + target + "\" names no node of this file: it is taken as the " + takenAs + " \"" + target
                            + "\" on the platform"));
        }
    }

    /** A menu option: a node of the file, or a node made for a target outside it. */
    private Node.Choice choice(JsonNode root, Map<String, Node> nodes, String syntheticId, JsonNode action,
                               String pointer) {
        String kind = action.path("action").asText();
        if ("repeat_menu".equals(kind)) {
            return new Node.Choice(null, true, pointer);
        }
        String target = action.path("target").asText();
        if (root.has(target)) {
            return new Node.Choice(target, false, pointer + "/target");
        }
        nodes.put(syntheticId, leaf(root, syntheticId, pointer, null, kind, target));
        return new Node.Choice(syntheticId, false, pointer + "/target");
    }

    private static Prompt text(String key, String text, String pointer) {
        return new Prompt(key, Map.of(LANGUAGE, PromptVariant.ofText(text)), pointer);
    }
}
