package io.ivrflow.prompts;

import io.ivrflow.ops.Faults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Words to cached audio through the backends in order (e.g. Polly, then local): each backend's failures that
 * may pass (throttling, a peer down) are retried with exponential backoff, then the next backend is tried.
 * The cache is asked first, in the same order, so a prompt made by any backend is never made again.
 */
public class Speech {

    private static final Logger LOG = LoggerFactory.getLogger(Speech.class);

    /** How long to sleep between attempts (tests pass a recorder). */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Faults faults;
    private final List<SpeechBackend> backends;
    private final AudioCache cache;
    private final Executor executor;
    private final int retries;
    private final Duration backoff;
    private final Sleeper sleeper;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder made = new LongAdder();

    public Speech(List<SpeechBackend> backends, AudioCache cache, Executor executor, int retries, Duration backoff,
                  Sleeper sleeper) {
        this(backends, cache, executor, retries, backoff, sleeper, Faults.unwatched());
    }

    /** @param faults told of each failed attempt of a backend: throttled, unavailable, or failed for good */
    public Speech(List<SpeechBackend> backends, AudioCache cache, Executor executor, int retries, Duration backoff,
                  Sleeper sleeper, Faults faults) {
        this.faults = faults;
        this.backends = List.copyOf(backends);
        this.cache = cache;
        this.executor = executor;
        this.retries = retries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    public AudioCache cache() {
        return cache;
    }

    public List<SpeechBackend> backends() {
        return backends;
    }

    /** Audio already made for the request by the first backend, in order, that has it. Cheap: no I/O. */
    public Optional<AudioCache.Entry> cached(SpeechRequest r) {
        for (SpeechBackend b : backends) {
            Optional<SpeechSpec> spec = b.spec(r);
            if (spec.isPresent()) {
                Optional<AudioCache.Entry> e = cache.get(spec.get().key());
                if (e.isPresent()) {
                    hits.increment();
                    return e;
                }
            }
        }
        misses.increment();
        return Optional.empty();
    }

    /** The cached audio, or the audio made in the background by the first backend that manages. */
    public CompletableFuture<AudioCache.Entry> ensure(SpeechRequest r) {
        Optional<AudioCache.Entry> known = cached(r);
        return known.map(CompletableFuture::completedFuture).orElseGet(() -> attempt(r, 0, null));
    }

    private CompletableFuture<AudioCache.Entry> attempt(SpeechRequest r, int index, Throwable previous) {
        if (index >= backends.size()) {
            String why = previous == null ? "no backend has a voice for " + r.language()
                    : unwrap(previous).getMessage();
            return CompletableFuture.failedFuture(new SpeechBackend.SpeechException(
                    "cannot synthesise a " + r.language() + " prompt: " + why, false, previous));
        }
        SpeechBackend backend = backends.get(index);
        Optional<SpeechSpec> spec = backend.spec(r);
        if (spec.isEmpty()) {
            return attempt(r, index + 1, previous);
        }
        SpeechSpec s = spec.get();
        return cache.computeIfAbsent(s.key(), s.format(),
                        () -> CompletableFuture.supplyAsync(() -> withRetries(backend, s), executor))
                .exceptionallyCompose(e -> {
                    if (index + 1 < backends.size()) {
                        LOG.warn("speech: {} failed for prompt audio {} ({}); trying {}", backend.name(), s.key(),
                                unwrap(e).getMessage(), backends.get(index + 1).name());
                    }
                    return attempt(r, index + 1, e);
                });
    }

    private byte[] withRetries(SpeechBackend backend, SpeechSpec spec) {
        long started = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            try {
                byte[] audio = backend.synthesise(spec);
                made.increment();
                LOG.debug("speech: {} made {} ({} bytes, {} ms)", backend.name(), spec.key(), audio.length,
                        (System.nanoTime() - started) / 1_000_000);
                return audio;
            } catch (SpeechBackend.SpeechException e) {
                faults.record(backend.name(), !e.retryable() ? "failed"
                        : String.valueOf(e.getMessage()).contains("Throttling") ? "throttled" : "unavailable",
                        e.getMessage());
                if (!e.retryable() || attempt >= retries) {
                    throw new CompletionException(e);
                }
                Duration wait = backoff.multipliedBy(1L << Math.min(attempt, 10));
                LOG.info("speech: {} failed ({}), attempt {} of {}, retrying in {} ms", backend.name(), e.getMessage(),
                        attempt + 1, retries + 1, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }
        }
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Syntheses done by this instance (the cache's files may come from earlier runs). */
    public long made() {
        return made.sum();
    }
}
