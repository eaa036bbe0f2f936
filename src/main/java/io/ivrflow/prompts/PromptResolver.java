package io.ivrflow.prompts;

import io.ivrflow.engine.RenderedPrompt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What a platform plays for a prompt, trying in the configured order: the recorded file, the synthesis cache,
 * synthesis, the platform's own TTS.
 *
 * <p>A caller never waits for a static prompt where the platform can speak: a cache miss is synthesised in the
 * background (for the next caller) and this caller hears the platform's TTS. Dynamic words (a name from a
 * lookup) and any prompt on a platform without TTS are synthesised while the caller waits, at most the
 * deadline; a dynamic prompt then falls back to its generic form (variables left out), which pre-generation
 * made.
 */
public class PromptResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PromptResolver.class);

    /** Media the platforms play themselves ({@code tone:beep}, {@code digits:123}) rather than files. */
    public static final Pattern MEDIA_URI = Pattern.compile("^(sound|digits|number|tone|characters|recording):.+");

    /** One place a prompt's audio can come from. */
    public enum Source {
        RECORDED, CACHE, SYNTHESIS, PLATFORM;

        /** {@code recorded,cache,synthesis,platform}. */
        public static List<Source> parseOrder(String spec) {
            List<Source> order = new ArrayList<>();
            for (String s : spec.split(",")) {
                if (!s.isBlank()) {
                    order.add(valueOf(s.trim().toUpperCase(Locale.ROOT)));
                }
            }
            if (order.isEmpty()) {
                throw new IllegalArgumentException("the prompt order names no source");
            }
            return List.copyOf(order);
        }
    }

    /** The answer. */
    public sealed interface Resolved {
        /** A recorded file (path under the flows folder), a media URI or a URL, as the flow gives it. */
        record Recorded(String audio) implements Resolved { }

        record Synthesised(AudioCache.Entry entry) implements Resolved { }

        /** Let the platform speak the words itself. */
        record PlatformTts() implements Resolved { }

        /** Nothing to play: no words, nothing cached, no TTS. */
        record Nothing() implements Resolved { }
    }

    private final AudioFiles recorded;
    private final Speech speech;
    private final List<Source> order;
    private final Duration deadline;

    /** @param speech null when nothing is synthesised: recorded files and the platform's TTS only */
    public PromptResolver(AudioFiles recorded, Speech speech, List<Source> order, Duration deadline) {
        this.recorded = recorded;
        this.speech = speech;
        this.order = List.copyOf(order);
        this.deadline = deadline;
    }

    public Speech speech() {
        return speech;
    }

    /** Whether synthesised audio is ever played: not when nothing synthesises or the order leaves the cache out. */
    public boolean playsSynthesised() {
        return speech != null && (order.contains(Source.CACHE) || order.contains(Source.SYNTHESIS));
    }

    /** Completes within the deadline at most. */
    public CompletableFuture<Resolved> resolve(RenderedPrompt p, Platform platform) {
        return step(p, SpeechRequest.of(p, platform.target()), platform, 0);
    }

    private CompletableFuture<Resolved> step(RenderedPrompt p, Optional<SpeechRequest> words, Platform platform,
                                             int i) {
        if (i >= order.size()) {
            return CompletableFuture.completedFuture(new Resolved.Nothing());
        }
        switch (order.get(i)) {
            case RECORDED -> {
                if (hasRecording(p)) {
                    return CompletableFuture.completedFuture(new Resolved.Recorded(p.audio()));
                }
            }
            case CACHE -> {
                Optional<AudioCache.Entry> hit = speech == null ? Optional.empty() : words.flatMap(speech::cached);
                if (hit.isPresent() && platform.publisher().published(hit.get())) {
                    return CompletableFuture.completedFuture(new Resolved.Synthesised(hit.get()));
                }
            }
            case SYNTHESIS -> {
                if (speech != null && words.isPresent()) {
                    CompletableFuture<AudioCache.Entry> making = make(words.get(), platform);
                    if (!p.dynamic() && platform.hasTts() && !making.isDone()) {
                        break; // for the next caller; this one hears the platform's TTS
                    }
                    return within(making, p.key()).thenCompose(made -> made.isPresent()
                            ? CompletableFuture.completedFuture(new Resolved.Synthesised(made.get()))
                            : generic(p, platform).map(CompletableFuture::completedFuture)
                                    .orElseGet(() -> step(p, words, platform, i + 1)));
                }
            }
            case PLATFORM -> {
                if (platform.hasTts() && words.isPresent()) {
                    return CompletableFuture.completedFuture(new Resolved.PlatformTts());
                }
            }
        }
        return step(p, words, platform, i + 1);
    }

    /** Whether the prompt names audio that exists: a recorded file, a media URI or a URL (taken on trust). */
    public boolean hasRecording(RenderedPrompt p) {
        return p.audio() != null && (MEDIA_URI.matcher(p.audio()).matches() || p.audio().contains("://")
                || recorded.find(p.audio()).isPresent());
    }

    /** Made (or found in the cache) and published to the platform. */
    public CompletableFuture<AudioCache.Entry> make(SpeechRequest r, Platform platform) {
        return speech.ensure(r).thenCompose(e -> platform.publisher().published(e)
                ? CompletableFuture.completedFuture(e) : platform.publisher().publish(e).thenApply(v -> e));
    }

    /** The made audio, or empty when making failed or passed the deadline (it goes on, for the next caller). */
    private CompletableFuture<Optional<AudioCache.Entry>> within(CompletableFuture<AudioCache.Entry> making,
                                                                String promptKey) {
        CompletableFuture<Optional<AudioCache.Entry>> answer = making.thenApply(Optional::of)
                .exceptionally(e -> {
                    // the prompt's key, never its words, which may be personal
                    LOG.warn("prompt {}: no audio: {}", promptKey, Speech.unwrap(e).getMessage());
                    return Optional.empty();
                });
        return answer.completeOnTimeout(Optional.empty(), deadline.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (r != null && r.isEmpty() && !making.isDone()) {
                        LOG.info("prompt {}: audio not made within {} ms; falling back", promptKey, deadline.toMillis());
                    }
                });
    }

    /** The generic form of a dynamic prompt, when it is cached. */
    private Optional<Resolved> generic(RenderedPrompt p, Platform platform) {
        if (!p.dynamic()) {
            return Optional.empty();
        }
        return SpeechRequest.of(p.generic(), platform.target()).flatMap(speech::cached)
                .filter(platform.publisher()::published).map(Resolved.Synthesised::new);
    }
}
