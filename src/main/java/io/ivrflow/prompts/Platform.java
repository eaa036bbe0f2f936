package io.ivrflow.prompts;

import java.util.concurrent.CompletableFuture;

/**
 * A platform prompts are made for.
 *
 * @param name      {@code plivo}, {@code wazo}
 * @param target    the audio it plays
 * @param hasTts    whether it can speak text itself (Plivo's Speak); Wazo cannot
 * @param publisher how a cached file reaches it
 */
public record Platform(String name, AudioTarget target, boolean hasTts, Publisher publisher) {

    /** Makes cached audio playable by a platform: nothing to do when ivrflow serves it, a copy or upload otherwise. */
    public interface Publisher {
        /** Whether the platform can already play the entry. */
        boolean published(AudioCache.Entry entry);

        CompletableFuture<Void> publish(AudioCache.Entry entry);
    }

    /** Audio the platform fetches from ivrflow's own HTTP server: there as soon as it is cached. */
    public static final Publisher SERVED = new Publisher() {
        @Override
        public boolean published(AudioCache.Entry entry) {
            return true;
        }

        @Override
        public CompletableFuture<Void> publish(AudioCache.Entry entry) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
