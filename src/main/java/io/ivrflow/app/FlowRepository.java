package io.ivrflow.app;

import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The flows the service runs: every flow file of a directory, loaded and linted with {@link FlowFiles}.
 *
 * <p>Callers read an immutable snapshot ({@link #catalog()}), swapped atomically by {@link #reload()}.
 * A file whose new content has errors does not take its flow away: the last version that loaded without
 * error keeps serving (status {@code stale-with-errors}) until the file is fixed or deleted. A deleted file's
 * flow is removed. Nothing a flow file contains makes this class throw; problems are logged, one line per
 * diagnostic, when they first appear or change.
 */
public class FlowRepository {

    private static final Logger LOG = LoggerFactory.getLogger(FlowRepository.class);

    /** Status of a file in {@link #summary()}. */
    public static final String OK = "ok";
    /** The file has errors now, and an earlier version of it still serves. */
    public static final String STALE = "stale-with-errors";
    /** The file has errors and never loaded: no flow serves for it. */
    public static final String INVALID = "invalid";

    /** One flow file as last read, and the flow that serves for it (null when none). */
    public record Entry(Path file, String status, Flow flow, List<Diagnostic> diagnostics, Instant loadedAt) {
        public Entry {
            diagnostics = List.copyOf(diagnostics);
        }

        public long errorCount() {
            return diagnostics.stream().filter(Diagnostic::isError).count();
        }

        public long warningCount() {
            return diagnostics.size() - errorCount();
        }

        public boolean usable() {
            return flow != null;
        }
    }

    /** Everything a reader needs, swapped as one reference. */
    private record Snapshot(Map<Path, Entry> entries, FlowCatalog catalog, Instant lastReload) {
    }

    private volatile String directory = "flows";
    private volatile Snapshot snapshot = new Snapshot(Map.of(), FlowCatalog.of(List.of()), null);
    private FlowLoader loader;

    public FlowRepository() {
    }

    public FlowRepository(String directory) {
        setDirectory(directory);
    }

    public String getDirectory() {
        return directory;
    }

    public void setDirectory(String directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** First load (the bean's init method); the same as {@link #reload()}. */
    public void load() {
        reload();
    }

    /**
     * Reads the directory again and publishes the new snapshot. Never throws: an unreadable directory keeps
     * the current snapshot and is logged.
     */
    public synchronized void reload() {
        Instant now = Instant.now();
        Path dir = Path.of(directory);
        Snapshot previous = snapshot;
        try {
            if (!Files.isDirectory(dir)) {
                LOG.error("Flow directory {} does not exist or is not a directory ({}); keeping {} flow(s) loaded before",
                        dir, dir.toAbsolutePath(), previous.catalog().all().size());
                snapshot = new Snapshot(previous.entries(), previous.catalog(), now);
                return;
            }
            if (loader == null) {
                loader = new FlowLoader();
            }
            FlowFiles.Report report = FlowFiles.load(loader, dir);
            snapshot = merge(previous, report, now);
        } catch (Exception | StackOverflowError e) {
            // a bug in loading must not stop the service: keep serving what we have
            LOG.error("Reloading flows from {} failed, keeping {} flow(s) loaded before: {}", dir,
                    previous.catalog().all().size(), e.toString(), e);
            snapshot = new Snapshot(previous.entries(), previous.catalog(), now);
        }
    }

    private Snapshot merge(Snapshot previous, FlowFiles.Report report, Instant now) {
        Map<Path, Entry> entries = new LinkedHashMap<>();
        for (FlowLoader.Loaded loaded : report.files()) {
            Path key = key(loaded.file());
            Entry before = previous.entries().get(key);
            Entry entry;
            if (!loaded.hasErrors() && loaded.flow() != null) {
                // the same flow as before keeps its load time; a changed one is new
                boolean same = before != null && before.flow() != null && before.flow().equals(loaded.flow());
                entry = same ? new Entry(loaded.file(), OK, before.flow(), loaded.diagnostics(), before.loadedAt())
                        : new Entry(loaded.file(), OK, loaded.flow(), loaded.diagnostics(), now);
            } else if (before != null && before.flow() != null) {
                entry = new Entry(loaded.file(), STALE, before.flow(), loaded.diagnostics(), before.loadedAt());
            } else {
                entry = new Entry(loaded.file(), INVALID, null, loaded.diagnostics(), null);
            }
            entries.put(key, entry);
            logChanges(before, entry);
        }
        for (Map.Entry<Path, Entry> gone : previous.entries().entrySet()) {
            if (!entries.containsKey(gone.getKey())) {
                Entry e = gone.getValue();
                LOG.warn("Flow file {} was removed{}", e.file(),
                        e.flow() == null ? "" : ": flow " + e.flow().id() + " is no longer served");
            }
        }
        // flows that loaded cleanly win an id over a stale version kept from another file
        Map<String, Flow> byId = new LinkedHashMap<>();
        entries.values().stream().filter(e -> OK.equals(e.status()))
                .forEach(e -> byId.putIfAbsent(e.flow().id(), e.flow()));
        entries.values().stream().filter(e -> STALE.equals(e.status()))
                .forEach(e -> byId.putIfAbsent(e.flow().id(), e.flow()));
        Snapshot next = new Snapshot(Collections.unmodifiableMap(entries), FlowCatalog.of(byId.values()), now);
        if (previous.lastReload() == null || !sameState(previous, next)) {
            long stale = entries.values().stream().filter(e -> STALE.equals(e.status())).count();
            long invalid = entries.values().stream().filter(e -> INVALID.equals(e.status())).count();
            if (entries.isEmpty()) {
                LOG.warn("No flow file (*.json) in {} ({})", directory, Path.of(directory).toAbsolutePath());
            } else {
                LOG.info("Flows loaded from {}: {} serving {}, {} file(s) stale with errors, {} invalid file(s)",
                        directory, byId.size(), byId.keySet(), stale, invalid);
            }
        }
        return next;
    }

    private static void logChanges(Entry before, Entry now) {
        boolean changed = before == null || !before.status().equals(now.status())
                || !before.diagnostics().equals(now.diagnostics()) || !Objects.equals(before.flow(), now.flow());
        if (!changed) {
            return;
        }
        for (Diagnostic d : now.diagnostics()) {
            if (d.isError()) {
                LOG.error("{}", d.format());
            } else {
                LOG.warn("{}", d.format());
            }
        }
        switch (now.status()) {
            case OK -> LOG.info("Flow {} loaded from {} ({} nodes{})", now.flow().id(), now.file(),
                    now.flow().nodes().size(), now.warningCount() == 0 ? "" : ", " + now.warningCount() + " warning(s)");
            case STALE -> LOG.error("Flow file {} has {} error(s): the last good version of flow {} (loaded {}) keeps serving",
                    now.file(), now.errorCount(), now.flow().id(), now.loadedAt());
            default -> LOG.error("Flow file {} has {} error(s) and no earlier good version: it is not served",
                    now.file(), now.errorCount());
        }
    }

    private static boolean sameState(Snapshot a, Snapshot b) {
        if (!a.entries().keySet().equals(b.entries().keySet())) {
            return false;
        }
        for (Map.Entry<Path, Entry> e : b.entries().entrySet()) {
            Entry old = a.entries().get(e.getKey());
            if (!old.status().equals(e.getValue().status()) || !old.diagnostics().equals(e.getValue().diagnostics())
                    || !Objects.equals(old.flow(), e.getValue().flow())) {
                return false;
            }
        }
        return true;
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** The flows that can run now (an immutable snapshot). */
    public FlowCatalog catalog() {
        return snapshot.catalog();
    }

    /** Every flow file known at the last reload, with its status, in file name order. */
    public List<Entry> entries() {
        return List.copyOf(snapshot.entries().values());
    }

    /** When the directory was last read (null before the first load). */
    public Instant lastReload() {
        return snapshot.lastReload();
    }

    /**
     * What {@code GET /api/flows} answers: plain maps, lists, strings and numbers, ready for a JSON data format.
     */
    public Map<String, Object> summary() {
        Snapshot s = snapshot;
        List<Map<String, Object>> flows = new ArrayList<>();
        for (Entry e : s.entries().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.flow() == null ? null : e.flow().id());
            m.put("file", e.file().toString());
            m.put("status", e.status());
            m.put("nodeCount", e.flow() == null ? 0 : e.flow().nodes().size());
            m.put("languages", e.flow() == null ? List.of() : e.flow().languages());
            m.put("defaultLanguage", e.flow() == null ? null : e.flow().defaultLanguage());
            m.put("start", e.flow() == null ? null : e.flow().start());
            m.put("errorCount", e.errorCount());
            m.put("warningCount", e.warningCount());
            m.put("loadedAt", e.loadedAt() == null ? null : e.loadedAt().toString());
            m.put("errors", e.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList());
            flows.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("directory", directory);
        root.put("lastReload", s.lastReload() == null ? null : s.lastReload().toString());
        root.put("serving", s.catalog().all().size());
        root.put("flows", flows);
        return root;
    }
}
