package io.ivrflow.prompts;

import io.ivrflow.engine.Engine;
import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.Node;
import io.ivrflow.flow.Prompt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every prompt a flow can say, in every language it declares, as a caller in that language hears it (a
 * language a prompt lacks falls back as the engine does), with the engine's safety messages. A dynamic prompt
 * is listed in its generic form, the one that can be made ahead.
 */
public final class PromptCatalog {

    /**
     * One prompt in one language.
     *
     * @param where JSON pointer of the prompt in the flow file ({@code ""} for the engine's own messages)
     */
    public record Item(String flowId, String where, String language, RenderedPrompt prompt, boolean dynamic) {
    }

    private PromptCatalog() {
    }

    public static List<Item> of(Flow flow) {
        List<Prompt> prompts = new ArrayList<>();
        for (Node n : flow.nodes().values()) {
            prompts.add(n.prompt());
            if (n instanceof Node.InputNode in) {
                prompts.add(in.handling().reprompt());
                prompts.addAll(in.handling().noInput().prompts());
                prompts.addAll(in.handling().noMatch().prompts());
            }
        }
        prompts.addAll(flow.messages().values());
        // one entry per distinct thing heard: a shared library prompt is listed once per language
        Map<List<Object>, Item> items = new LinkedHashMap<>();
        for (String language : flow.languages()) {
            List<Prompt> all = new ArrayList<>(prompts);
            all.addAll(Engine.safetyMessages(flow, language));
            for (Prompt p : all) {
                if (p == null || p.byLanguage().isEmpty()) {
                    continue;
                }
                RenderedPrompt heard = Engine.render(flow, p, language, Map.of());
                boolean dynamic = heard.dynamic();
                RenderedPrompt ahead = heard.generic();
                List<Object> identity = java.util.Arrays.asList(ahead.language(), ahead.voice(), ahead.text(),
                        ahead.ssml(), ahead.audio());
                items.putIfAbsent(identity, new Item(flow.id(), Objects.requireNonNullElse(p.pointer(), ""),
                        ahead.language(), ahead, dynamic));
            }
        }
        return List.copyOf(items.values());
    }
}
