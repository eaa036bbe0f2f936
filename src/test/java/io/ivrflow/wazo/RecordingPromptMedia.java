package io.ivrflow.wazo;

import io.ivrflow.engine.RenderedPrompt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The real prompt-to-media mapping, remembering which prompt each URI plays (for play lengths and checks). */
final class RecordingPromptMedia extends PromptMedia {

    private final Map<String, RenderedPrompt> prompts = new ConcurrentHashMap<>();

    RecordingPromptMedia() {
        super("/var/lib/wazo/sounds/ivrflow");
    }

    @Override
    public List<CompletableFuture<WazoCall.Playback>> playbacks(RenderedPrompt p) {
        List<CompletableFuture<WazoCall.Playback>> list = super.playbacks(p);
        list.forEach(f -> f.thenAccept(pb -> prompts.put(pb.uri(), p)));
        return list;
    }

    RenderedPrompt prompt(String uri) {
        return prompts.get(uri);
    }
}
