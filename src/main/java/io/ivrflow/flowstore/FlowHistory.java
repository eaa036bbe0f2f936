package io.ivrflow.flowstore;

import io.ivrflow.ops.Faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every version of every flow this service has seen, by content hash: when it was activated, refused (it had
 * errors) or removed, and by whom (a file change or the flows API). The contents are kept under
 * {@code <directory>/<flow id>/<version>.json}, with one JSON line per event in {@code history.jsonl}, so the
 * history survives a restart and a version can be fetched or put back. Without a usable directory it is kept
 * in memory only (and said once in the log).
 *
 * <p>Contents are kept for a flow's newest {@code keepVersions} distinct versions, and always for the one last
 * activated (a run of refused edits must not push out the version that serves); older contents are deleted when a
 * new one is written. The events stay (history.jsonl is a line per change), marked as no longer kept.
 */
public final class FlowHistory {

    private static final Logger LOG = LoggerFactory.getLogger(FlowHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events kept in memory per flow; the file keeps them all. */
    static final int MAX_EVENTS_PER_FLOW = 500;
    /** Flow ids become folder names: only these characters (the flow schema allows no others). */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{16}");

    /** What happened to a flow. */
    public enum Change { ACTIVATED, REFUSED, REMOVED }

    /**
     * One event of a flow's history.
     *
     * @param version content hash of the file (null for a removal of a file that could not be read)
     * @param source  {@code file} (a change in the flows folder) or {@code api}
     * @param errors  lint errors of that content (a refused version has some)
     */
    public record Event(String flowId, String version, Instant at, Change change, String source, String file,
                        int errors, int warnings) {
    }

    private final Path directory;
    private final int keepVersions;
    private final Map<String, Deque<Event>> events = new HashMap<>();
    private final Map<String, byte[]> memoryContents = new HashMap<>();
    private boolean diskFailed;
    private final Faults faults;

    /**
     * @param directory    where to keep the history; null keeps it in memory
     * @param keepVersions contents kept per flow (at least 1)
     */
    public FlowHistory(Path directory, int keepVersions) {
        this(directory, keepVersions, Faults.unwatched());
    }

    /** @param faults told when the history cannot be written to disk (and is kept in memory from then on) */
    public FlowHistory(Path directory, int keepVersions, Faults faults) {
        this.faults = faults;
        this.directory = directory;
        this.keepVersions = Math.max(1, keepVersions);
        readBack();
    }

    public static boolean safeId(String flowId) {
        return flowId != null && SAFE_ID.matcher(flowId).matches() && !flowId.contains("..");
    }

    /** Records an event; {@code content} (may be null) is the file's bytes for that version. */
    public synchronized void record(Event e, byte[] content) {
        if (!safeId(e.flowId())) {
            return;
        }
        Deque<Event> list = events.computeIfAbsent(e.flowId(), k -> new ArrayDeque<>());
        Event last = list.peekFirst();
        if (last != null && last.change() == e.change() && java.util.Objects.equals(last.version(), e.version())) {
            // the same news again (a restart reading the same files): history records changes only
            return;
        }
        list.addFirst(e);
        while (list.size() > MAX_EVENTS_PER_FLOW) {
            list.removeLast();
        }
        if (directory == null || diskFailed) {
            // no disk to keep contents on: memory keeps them (a few KB per version)
            if (content != null && e.version() != null
                    && memoryContents.putIfAbsent(key(e.flowId(), e.version()), content) == null) {
                prune(e.flowId());
            }
            return;
        }
        try {
            Path folder = directory.resolve(e.flowId());
            Files.createDirectories(folder);
            if (content != null && e.version() != null) {
                Path file = folder.resolve(e.version() + ".json");
                if (!Files.exists(file)) {
                    Path tmp = Files.createTempFile(folder, ".", ".tmp");
                    Files.write(tmp, content);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                    prune(e.flowId());
                }
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("flow", e.flowId());
            line.put("version", e.version());
            line.put("at", e.at().toString());
            line.put("change", e.change().name().toLowerCase());
            line.put("source", e.source());
            line.put("file", e.file());
            line.put("errors", e.errors());
            line.put("warnings", e.warnings());
            Files.writeString(folder.resolve("history.jsonl"), JSON.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException ex) {
            diskFailed = true;
            faults.record("flow-history", "write", ex.toString());
            if (content != null && e.version() != null) {
                memoryContents.putIfAbsent(key(e.flowId(), e.version()), content);
            }
            LOG.warn("Flow history cannot be written under {} ({}); it is kept in memory only from now on",
                    directory.toAbsolutePath(), ex.toString());
        }
    }

    /** A flow's events, newest first. */
    public synchronized List<Event> of(String flowId) {
        Deque<Event> list = events.get(flowId);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Flow ids with a history. */
    public synchronized List<String> flows() {
        return events.keySet().stream().sorted().toList();
    }

    /** The content of one version, when it was kept. */
    public synchronized Optional<byte[]> content(String flowId, String version) {
        if (!safeId(flowId) || version == null || !VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        byte[] inMemory = memoryContents.get(key(flowId, version));
        if (inMemory != null) {
            return Optional.of(inMemory.clone());
        }
        if (directory != null) {
            try {
                return Optional.of(Files.readAllBytes(directory.resolve(flowId).resolve(version + ".json")));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether the content of that version is still kept. */
    public synchronized boolean kept(String flowId, String version) {
        if (!safeId(flowId) || version == null || !VERSION.matcher(version).matches()) {
            return false;
        }
        return memoryContents.containsKey(key(flowId, version))
                || directory != null && Files.isRegularFile(directory.resolve(flowId).resolve(version + ".json"));
    }

    /** The versions whose contents stay: the newest {@code keepVersions} seen, and the one last activated. */
    private Set<String> versionsToKeep(String flowId) {
        Set<String> keep = new HashSet<>();
        boolean activatedSeen = false;
        for (Event e : events.getOrDefault(flowId, new ArrayDeque<>())) {
            if (e.version() == null) {
                continue;
            }
            if (keep.size() < keepVersions) {
                keep.add(e.version());
            }
            if (!activatedSeen && e.change() == Change.ACTIVATED) {
                activatedSeen = true;
                keep.add(e.version());
            }
        }
        return keep;
    }

    /** Deletes the contents of a flow's versions beyond what is kept (in memory and on disk). */
    private void prune(String flowId) {
        Set<String> keep = versionsToKeep(flowId);
        String prefix = flowId + "/";
        memoryContents.keySet().removeIf(k -> k.startsWith(prefix) && !keep.contains(k.substring(prefix.length())));
        if (directory == null || diskFailed) {
            return;
        }
        Path folder = directory.resolve(flowId);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json") && VERSION.matcher(name.substring(0, name.length() - 5)).matches()
                        && !keep.contains(name.substring(0, name.length() - 5))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ex) {
            // pruning is housekeeping: the next new version tries again
            LOG.debug("Flow history of {}: old versions not pruned ({})", flowId, ex.toString());
        }
    }

    private static String key(String flowId, String version) {
        return flowId + "/" + version;
    }

    private void readBack() {
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> folders = Files.list(directory)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                Path log = folder.resolve("history.jsonl");
                if (!Files.isRegularFile(log)) {
                    continue;
                }
                List<Event> read = new ArrayList<>();
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    parse(line).ifPresent(read::add);
                }
                Deque<Event> list = new ArrayDeque<>();
                for (int i = read.size() - 1; i >= 0 && list.size() < MAX_EVENTS_PER_FLOW; i--) {
                    list.addLast(read.get(i));
                }
                if (!list.isEmpty()) {
                    events.put(list.getFirst().flowId(), list);
                }
            }
        } catch (IOException e) {
            LOG.warn("Flow history under {} cannot be read back ({}); starting a new one", directory, e.toString());
        }
    }

    /** A damaged line (a crash mid-write) is skipped, not fatal. */
    private static Optional<Event> parse(String line) {
        try {
            var n = JSON.readTree(line);
            String flow = n.path("flow").asText("");
            if (!safeId(flow)) {
                return Optional.empty();
            }
            return Optional.of(new Event(flow, n.path("version").isNull() ? null : n.path("version").asText(null),
                    Instant.parse(n.path("at").asText()), Change.valueOf(n.path("change").asText().toUpperCase()),
                    n.path("source").asText("file"), n.path("file").asText(null), n.path("errors").asInt(),
                    n.path("warnings").asInt()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
