package io.ivrflow.prompts;

import io.ivrflow.ops.Faults;

import io.ivrflow.prompts.SingleFlight;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthesised audio on disk, one file per {@link SpeechSpec#key()}: {@code <key>.<ext>}. A file is written
 * under a temporary name in the same folder and renamed into place, so a reader sees a whole file or none; a
 * key being made is made once, however many callers ask for it meanwhile. Files never change once written
 * (a different input is a different key), which is what lets them be served as immutable.
 */
public final class AudioCache {

    private static final Logger LOG = LoggerFactory.getLogger(AudioCache.class);
    private static final Pattern FILE = Pattern.compile("([0-9a-f]{32})\\.(mp3|wav)");
    private static final String PARTIAL = ".partial-";

    /** A file of the cache. */
    public record Entry(String key, AudioFormat format, Path file, long size) {
        public String fileName() {
            return key + "." + format.extension();
        }
    }

    private final Path directory;
    private final Map<String, Entry> index = new ConcurrentHashMap<>();
    private final SingleFlight<String, Entry> making = new SingleFlight<>();
    private final Faults faults;

    public AudioCache(Path directory) {
        this(directory, Faults.unwatched());
    }

    /** @param faults told of each file that could not be written (a full or read-only disk) */
    public AudioCache(Path directory, Faults faults) {
        this.faults = faults;
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
            scan();
        } catch (IOException e) {
            throw new UncheckedIOException("prompt cache folder " + this.directory + " is not usable", e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Indexes the files already there and removes partial files an interrupted run left (older than a minute). */
    private void scan() throws IOException {
        Instant stale = Instant.now().minus(Duration.ofMinutes(1));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                Matcher m = FILE.matcher(name);
                if (m.matches() && Files.isRegularFile(f)) {
                    index.put(m.group(1), new Entry(m.group(1), AudioFormat.ofExtension(m.group(2)), f, Files.size(f)));
                } else if (name.startsWith(PARTIAL) && Files.getLastModifiedTime(f).toInstant().isBefore(stale)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(index.get(key));
    }

    /** The entry for a file name the cache serves ({@code <key>.<ext>}), if the file is still there. */
    public Optional<Entry> byFileName(String name) {
        Matcher m = FILE.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Entry e = index.get(m.group(1));
        if (e == null || !e.fileName().equals(name) || !Files.isRegularFile(e.file())) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /**
     * Whether an entry's file is still on disk; a file someone removed is forgotten, so the next pre-generation
     * makes it again (the call path trusts the index, which costs no I/O).
     */
    public boolean stillThere(Entry entry) {
        if (Files.isRegularFile(entry.file())) {
            return true;
        }
        index.remove(entry.key(), entry);
        return false;
    }

    public int size() {
        return index.size();
    }

    /**
     * The entry for {@code key}, made by {@code make} when there is none. Callers asking for a key being made
     * share the one making; a failed making is not remembered, so a later call tries again.
     */
    public CompletableFuture<Entry> computeIfAbsent(String key, AudioFormat format,
                                                    Supplier<CompletableFuture<byte[]>> make) {
        Entry known = index.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return making.run(key, () -> {
            // between the check above and the claim, another making may have finished
            Entry made = index.get(key);
            return made != null ? CompletableFuture.completedFuture(made)
                    : make.get().thenApply(bytes -> put(key, format, bytes));
        });
    }

    /** Writes a file atomically: a temporary file in the folder, flushed to disk, then renamed. */
    public Entry put(String key, AudioFormat format, byte[] bytes) {
        if (!key.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        Path target = directory.resolve(key + "." + format.extension());
        Path partial = null;
        try {
            partial = Files.createTempFile(directory, PARTIAL, ".tmp");
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Entry entry = new Entry(key, format, target, bytes.length);
            index.put(key, entry);
            return entry;
        } catch (IOException e) {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    LOG.debug("cannot remove {}", partial);
                }
            }
            faults.record("prompt-cache", "write", e.toString());
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
