package io.ivrflow.flow;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call flow: its header and its nodes.
 *
 * @param id              unique name; the file name for the legacy format
 * @param source          file it was read from (for messages)
 * @param start           id of the node a call enters first
 * @param languages       languages every prompt must exist in; the first is not special
 * @param defaultLanguage language of a call until the caller picks another
 * @param voices          TTS voice per language (e.g. {@code Polly.Joanna}); a language may have none
 * @param timezone        time zone of schedules that do not name one
 * @param nodes           nodes by id, in file order
 * @param messages        built-in messages the engine says when a flow gives it nothing better
 *                        ({@code error}, {@code transferFailed}, {@code goodbye})
 * @param legacy          read from the seed format (a bare object of nodes)
 */
public record Flow(String id, String source, String start, List<String> languages, String defaultLanguage,
                   Map<String, String> voices, ZoneId timezone, Map<String, Node> nodes, Map<String, Prompt> messages,
                   boolean legacy) {

    public Flow {
        languages = List.copyOf(languages);
        voices = Map.copyOf(voices);
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        messages = Map.copyOf(messages);
    }

    public Node node(String nodeId) {
        return nodes.get(nodeId);
    }

    public String voice(String language) {
        return voices.get(language);
    }

    public List<Edge> edges() {
        List<Edge> edges = new ArrayList<>();
        nodes.values().forEach(n -> edges.addAll(n.edges()));
        return edges;
    }
}
