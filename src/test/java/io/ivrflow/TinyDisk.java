package io.ivrflow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs of its own, to fill up: what a full disk really answers ({@code No space left on device}) to the
 * service's writes. Mounting needs root (as CI runs here); elsewhere {@link #mount} gives nothing and the tests
 * that need it say so and are skipped.
 */
public final class TinyDisk implements AutoCloseable {

    private final Path root;

    private TinyDisk(Path root) {
        this.root = root;
    }

    public static Optional<TinyDisk> mount(int kibibytes) throws Exception {
        Path dir = Files.createTempDirectory("ivrflow-tiny-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kibibytes + "k", "tmpfs",
                dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Files.deleteIfExists(dir);
            return Optional.empty();
        }
        return Optional.of(new TinyDisk(dir));
    }

    public Path root() {
        return root;
    }

    /** Writes until the disk says it is full. */
    public void fill() throws IOException {
        try (OutputStream out = Files.newOutputStream(root.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() throws Exception {
        // lazily: a file the stopping service still holds open must not keep the disk mounted
        Process p = new ProcessBuilder("umount", "-l", root.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(root);
    }
}
