package io.ivrflow.wazo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Answers of a Wazo service kept for a while. Concurrent asks for the same key share one request; a failed
 * request, or an answer {@code keep} refuses, is not kept, so the next ask tries the service again.
 */
final class TtlCache<K, V> {

    private record Held<V>(Instant until, CompletableFuture<V> value) {
    }

    private final Map<K, Held<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private final int capacity;

    TtlCache(Duration ttl, Clock clock, int capacity) {
        this.ttl = ttl;
        this.clock = clock;
        this.capacity = capacity;
    }

    CompletableFuture<V> get(K key, Function<K, CompletableFuture<V>> load, Predicate<V> keep) {
        if (ttl.isZero()) {
            return load.apply(key);
        }
        Instant now = clock.instant();
        Held<V> held = entries.get(key);
        if (held != null && now.isBefore(held.until()) && !held.value().isCompletedExceptionally()) {
            return held.value();
        }
        if (entries.size() >= capacity) {
            entries.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
            if (entries.size() >= capacity) {
                entries.clear();
            }
        }
        CompletableFuture<V> value = load.apply(key);
        Held<V> fresh = new Held<>(now.plus(ttl), value);
        entries.put(key, fresh);
        value.whenComplete((v, e) -> {
            if (e != null || !keep.test(v)) {
                entries.remove(key, fresh);
            }
        });
        return value;
    }
}
