package io.ivrflow.prompts;

import io.ivrflow.flow.Flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes every prompt of a set of flows ahead of calls, for each platform, so callers hit the cache. Prompts
 * with a recorded file that exists need nothing; the others are synthesised (in parallel, on the speech
 * executor) and published to the platform.
 */
public final class Pregeneration {

    /** How one prompt for one platform ended. */
    public enum Outcome { RECORDED, CACHED, MADE, NO_WORDS, FAILED }

    /** Called as each prompt finishes, in the order they finish. */
    public interface Progress {
        void done(int finished, int total, PromptCatalog.Item item, Platform platform, Outcome outcome, String detail);
    }

    /** Totals of a run. */
    public record Report(int total, int recorded, int cached, int made, int failed, List<String> failures,
                         Duration took) {
        public boolean ok() {
            return failed == 0;
        }

        @Override
        public String toString() {
            return total + " prompt(s): " + made + " made, " + cached + " already cached, " + recorded
                    + " recorded, " + failed + " failed, in " + took.toMillis() + " ms";
        }
    }

    private final PromptResolver resolver;

    public Pregeneration(PromptResolver resolver) {
        this.resolver = resolver;
    }

    public Report run(Collection<Flow> flows, List<Platform> platforms, Progress progress) {
        long started = System.nanoTime();
        List<PromptCatalog.Item> items = new ArrayList<>();
        if (resolver.playsSynthesised()) {
            flows.forEach(f -> items.addAll(PromptCatalog.of(f)));
        }
        int total = items.size() * platforms.size();
        AtomicInteger finished = new AtomicInteger();
        int[] counts = new int[Outcome.values().length];
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Platform platform : platforms) {
            for (PromptCatalog.Item item : items) {
                all.add(one(item, platform).handle((outcome, error) -> {
                    Outcome o = error == null ? outcome : Outcome.FAILED;
                    String detail = error == null ? "" : Speech.unwrap(error).getMessage();
                    synchronized (counts) {
                        counts[o.ordinal()]++;
                    }
                    if (o == Outcome.FAILED) {
                        failures.add(item.flowId() + " " + item.where() + " (" + item.language() + ", "
                                + platform.name() + "): " + detail);
                    }
                    if (progress != null) {
                        progress.done(finished.incrementAndGet(), total, item, platform, o, detail);
                    }
                    return null;
                }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return new Report(total, counts[Outcome.RECORDED.ordinal()], counts[Outcome.CACHED.ordinal()],
                counts[Outcome.MADE.ordinal()], counts[Outcome.FAILED.ordinal()], List.copyOf(failures),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private CompletableFuture<Outcome> one(PromptCatalog.Item item, Platform platform) {
        if (resolver.hasRecording(item.prompt())) {
            return CompletableFuture.completedFuture(Outcome.RECORDED);
        }
        return SpeechRequest.of(item.prompt(), platform.target()).map(r -> {
            Speech speech = resolver.speech();
            boolean before = speech.cached(r).filter(speech.cache()::stillThere)
                    .filter(platform.publisher()::published).isPresent();
            if (before) {
                return CompletableFuture.completedFuture(Outcome.CACHED);
            }
            return resolver.make(r, platform).thenApply(e -> Outcome.MADE);
        }).orElseGet(() -> CompletableFuture.completedFuture(Outcome.NO_WORDS));
    }
}
