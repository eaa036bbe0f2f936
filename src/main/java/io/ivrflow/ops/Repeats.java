package io.ivrflow.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The first answer to a request, given again to its repeats for a while: a retried or replayed request gets what
 * the first got and does nothing twice. A repeat that arrives while the first is being answered waits for that
 * answer. Bounded by count and age; expiry runs on the calling threads (no scheduler, no pool).
 *
 * @param <T> the answer
 */
public final class Repeats<T> {

    /** An answer, and whether it was the one of an earlier request. */
    public record Answer<T>(T value, boolean repeated) {
    }

    private final Cache<String, CompletableFuture<T>> answers;
    private final Duration waitForFirst;

    /**
     * @param kept         how many answers are kept at most
     * @param keptFor      how long each is kept
     * @param waitForFirst how long a repeat waits for the first request's answer
     */
    public Repeats(int kept, Duration keptFor, Duration waitForFirst, Clock clock) {
        this.answers = Caffeine.newBuilder().maximumSize(kept).expireAfterWrite(keptFor)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).executor(Runnable::run).build();
        this.waitForFirst = waitForFirst;
    }

    /**
     * The answer kept for {@code key}, or the one {@code answer} gives now (kept when {@code keep} says so; a
     * failure is never kept).
     *
     * @param late what a repeat gets when the first request's answer does not come in time, or failed
     */
    public Answer<T> once(String key, Supplier<T> answer, Predicate<T> keep, Supplier<T> late) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> first = answers.asMap().putIfAbsent(key, mine);
        if (first != null) {
            return new Answer<>(await(first, late), true);
        }
        try {
            T value = answer.get();
            if (!keep.test(value)) {
                answers.asMap().remove(key, mine);
            }
            mine.complete(value);
            return new Answer<>(value, false);
        } catch (RuntimeException | Error e) {
            answers.asMap().remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private T await(CompletableFuture<T> first, Supplier<T> late) {
        try {
            return first.get(waitForFirst.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return late.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return late.get();
        }
    }

    /** How many answers are kept now. */
    public long size() {
        answers.cleanUp();
        return answers.estimatedSize();
    }
}
