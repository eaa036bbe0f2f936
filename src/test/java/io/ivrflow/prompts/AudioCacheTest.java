package io.ivrflow.prompts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AudioCacheTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Set<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void aFileIsWrittenUnderItsKeyWithNothingElseLeftBehind() throws Exception {
        AudioCache cache = new AudioCache(dir);
        AudioCache.Entry e = cache.put(KEY, AudioFormat.WAV, new byte[] {1, 2, 3});
        assertEquals(Set.of(KEY + ".wav"), files());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(e.file()));
        assertEquals(e, cache.get(KEY).orElseThrow());
        assertEquals(e, cache.byFileName(KEY + ".wav").orElseThrow());
        assertTrue(cache.byFileName(KEY + ".mp3").isEmpty(), "the key with another format is another file");
        assertTrue(cache.byFileName("../" + KEY + ".wav").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> cache.put("../etc", AudioFormat.WAV, new byte[1]));
    }

    @Test
    void concurrentRequestsForOneKeyMakeItOnce() throws Exception {
        AudioCache cache = new AudioCache(dir);
        AtomicInteger made = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ExecutorService maker = Executors.newSingleThreadExecutor();
        List<java.util.concurrent.Future<AudioCache.Entry>> results = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return cache.computeIfAbsent(KEY, AudioFormat.WAV, () -> CompletableFuture.supplyAsync(() -> {
                    made.incrementAndGet();
                    sleep(200);
                    return new byte[] {9, 9};
                }, maker)).get(5, TimeUnit.SECONDS);
            }));
        }
        go.countDown();
        for (var r : results) {
            assertEquals(KEY, r.get().key());
        }
        pool.shutdown();
        maker.shutdown();
        assertEquals(1, made.get(), "made once for 32 concurrent requests");
        assertEquals(Set.of(KEY + ".wav"), files());
    }

    @Test
    void aFailedMakingLeavesNoFileAndIsTriedAgainNextTime() throws Exception {
        AudioCache cache = new AudioCache(dir);
        CompletableFuture<AudioCache.Entry> failed = cache.computeIfAbsent(KEY, AudioFormat.WAV,
                () -> CompletableFuture.failedFuture(new IllegalStateException("Polly down")));
        assertThrows(Exception.class, failed::join);
        assertEquals(Set.of(), files());
        AudioCache.Entry e = cache.computeIfAbsent(KEY, AudioFormat.WAV,
                () -> CompletableFuture.completedFuture(new byte[] {7})).join();
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(e.file()));
    }

    @Test
    void aNewInstanceFindsTheFilesAndClearsOldPartialOnes() throws Exception {
        new AudioCache(dir).put(KEY, AudioFormat.MP3, new byte[] {4});
        Path oldPartial = Files.write(dir.resolve(".partial-123.tmp"), new byte[] {1});
        Files.setLastModifiedTime(oldPartial, FileTime.from(Instant.now().minusSeconds(3600)));
        Path freshPartial = Files.write(dir.resolve(".partial-456.tmp"), new byte[] {1});
        AudioCache again = new AudioCache(dir);
        assertEquals(1, again.size());
        assertEquals(AudioFormat.MP3, again.get(KEY).orElseThrow().format());
        assertFalse(Files.exists(oldPartial), "an interrupted write's leftover is removed");
        assertTrue(Files.exists(freshPartial), "a write under way in another process is left alone");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
