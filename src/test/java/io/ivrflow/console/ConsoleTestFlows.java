package io.ivrflow.console;

import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** A copy of the example flows (with their recorded audio) plus {@code broken.json}, a file that never loads. */
final class ConsoleTestFlows {

    /** A node that goes to a node that does not exist: lint rule unknown-target. */
    static final String BROKEN = """
            {"$schema": "./ivrflow.schema.json", "ivrflow": 1, "id": "broken", "start": "hello",
             "languages": ["en-US"],
             "nodes": {"hello": {"type": "say", "prompt": "Hello.", "next": "nowhere"}}}
            """;

    private ConsoleTestFlows() {
    }

    /** The flows of flows/ that load. */
    static FlowCatalog examples() {
        try {
            return FlowFiles.load(new FlowLoader(), Path.of("flows")).catalog();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder under target/, emptied. */
    static Path emptyFolder(String name) {
        Path dir = Path.of("target", name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path withBrokenFile(String name) {
        Path dir = emptyFolder(name + "-flows");
        try {
            Path source = Path.of("flows");
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : files.toList()) {
                    Path target = dir.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(dir.resolve("broken.json"), BROKEN);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
