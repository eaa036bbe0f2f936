package io.ivrflow.prompts;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one piece of work per key at a time: callers asking for a key under way share its result. The key is
 * forgotten as soon as its work ends, before its result is handed out, so a failure is tried again by the next
 * caller rather than remembered.
 */
public final class SingleFlight<K, V> {

    private final Map<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    public CompletableFuture<V> run(K key, Supplier<CompletableFuture<V>> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> other = running.putIfAbsent(key, mine);
        if (other != null) {
            return other;
        }
        CompletableFuture<V> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((v, e) -> {
            running.remove(key, mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(v);
            }
        });
        return mine;
    }
}
