package io.ivrflow.prompts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechTest {

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final List<Duration> slept = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Speech speech(SpeechBackend... backends) {
        return new Speech(List.of(backends), new AudioCache(dir), pool, 3, Duration.ofMillis(100), slept::add);
    }

    private static SpeechRequest hello() {
        return new SpeechRequest("Hello", false, "en-US", null, AudioTarget.TELEPHONY_WAV);
    }

    private static SpeechBackend.SpeechException throttled() {
        return new SpeechBackend.SpeechException("ThrottlingException", true);
    }

    @Test
    void throttlingIsRetriedWithDoublingBackoff() {
        ScriptedBackend polly = new ScriptedBackend("polly").failFirst(throttled(), throttled());
        AudioCache.Entry e = speech(polly).ensure(hello()).join();
        assertEquals(3, polly.calls().size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), slept);
        assertEquals(polly.spec(hello()).orElseThrow().key(), e.key());
    }

    @Test
    void aBackendThatKeepsFailingGivesWayToTheNextAfterItsRetries() {
        ScriptedBackend polly = new ScriptedBackend("polly").alwaysFail();
        ScriptedBackend local = new ScriptedBackend("local");
        Speech speech = speech(polly, local);
        AudioCache.Entry e = speech.ensure(hello()).join();
        assertEquals(4, polly.calls().size(), "1 attempt + 3 retries");
        assertEquals(1, local.calls().size());
        assertEquals(local.spec(hello()).orElseThrow().key(), e.key());
        // the next time, the cache has the local audio: Polly is not asked again
        assertEquals(e, speech.ensure(hello()).join());
        assertEquals(4, polly.calls().size());
        assertEquals(1, local.calls().size());
    }

    @Test
    void aFailureThatRetryingCannotFixIsNotRetried() {
        ScriptedBackend polly = new ScriptedBackend("polly")
                .failFirst(new SpeechBackend.SpeechException("InvalidSsmlException", false));
        ScriptedBackend local = new ScriptedBackend("local");
        speech(polly, local).ensure(hello()).join();
        assertEquals(1, polly.calls().size());
        assertEquals(List.of(), slept);
        assertEquals(1, local.calls().size());
    }

    @Test
    void whenEveryBackendFailsTheAnswerSaysWhy() {
        Speech speech = speech(new ScriptedBackend("local").failFirst(
                new SpeechBackend.SpeechException("espeak-ng exited with 1", false)));
        CompletionException e = assertThrows(CompletionException.class, () -> speech.ensure(hello()).join());
        assertTrue(e.getCause().getMessage().contains("espeak-ng exited with 1"), e.getCause().getMessage());
        assertEquals(0, speech.cache().size());
    }

    @Test
    void cachedCountsHitsAndMisses() {
        Speech speech = speech(new ScriptedBackend("local"));
        assertTrue(speech.cached(hello()).isEmpty());
        speech.ensure(hello()).join();
        assertTrue(speech.cached(hello()).isPresent());
        assertEquals(1, speech.hits());
        assertEquals(2, speech.misses(), "the first cached() and ensure()'s own look");
        assertEquals(1, speech.made());
    }
}
