package io.ivrflow.flowstore;

import io.ivrflow.ops.Faults;

import io.ivrflow.flow.Diagnostic;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import io.ivrflow.flow.FlowRelease;
import io.ivrflow.flow.FlowReleases;
import io.ivrflow.flow.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flows the service runs: every flow file of a directory, loaded and linted with {@link FlowFiles}.
 *
 * <p>Callers read an immutable snapshot, swapped atomically by {@link #reload()}. A file whose new content has
 * errors does not take its flow away: the last version that loaded without error keeps serving (status
 * {@code stale-with-errors}) until the file is fixed or deleted. A deleted file's flow is removed. Nothing a flow
 * file contains makes this class throw; problems are logged, one line per diagnostic, when they first appear or
 * change.
 *
 * <p>Each snapshot is a {@link FlowRelease} named by the content hashes of its files. Adapters pin a call to the
 * release it started on ({@link #pinned(String)}), so a reload never changes a flow under a caller; the last
 * {@link #MAX_RELEASES} releases are kept for that. Every version seen goes into the {@link FlowHistory}.
 *
 * <p>{@link #reloadIfChanged()} is what the watch route calls every second: it compares names, sizes and
 * modification times, and reads the files only when one changed (or a full re-read is due). The flows API's
 * changes ({@link #put}, {@link #delete}) write the file and reload under the same lock, so they are never
 * mixed with a file change.
 */
public class FlowRepository implements FlowReleases {

    private static final Logger LOG = LoggerFactory.getLogger(FlowRepository.class);

    /** Status of a file in {@link #summary()}. */
    public static final String OK = "ok";
    /** The file has errors now, and an earlier version of it still serves. */
    public static final String STALE = "stale-with-errors";
    /** The file has errors and never loaded: no flow serves for it. */
    public static final String INVALID = "invalid";
    /** Releases kept for the calls pinned to them; a call on an older one goes on with the current one. */
    public static final int MAX_RELEASES = 64;

    /**
     * One flow file as last read, and the flow that serves for it (null when none).
     *
     * @param version     content hash of the serving flow's file (null when none serves)
     * @param fileVersion content hash of the file as last read (differs from {@code version} when stale)
     */
    public record Entry(Path file, String status, Flow flow, List<Diagnostic> diagnostics, Instant loadedAt,
                        String version, String fileVersion) {
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

        /** The same status, diagnostics and serving version: nothing to log, nothing new to publish. */
        boolean sameAs(Entry other) {
            return other != null && status.equals(other.status) && diagnostics.equals(other.diagnostics)
                    && Objects.equals(version, other.version);
        }

        /** The flow id this file serves, or would serve: its flow's, else its file name's. */
        public String flowId() {
            return flow != null ? flow.id() : FlowLoader.flowIdOf(file);
        }
    }

    /** Everything a reader needs, swapped as one reference. */
    private record Snapshot(Map<Path, Entry> entries, FlowRelease release, Instant lastReload) {
    }

    /** What a change through the flows API came to. */
    public enum Result {
        /** The new version serves (a new flow, or a new version of one). */
        ACTIVATED,
        /** The same content as the version serving: nothing to do. */
        UNCHANGED,
        /** The content has errors ({@code checked} says which); nothing was written. */
        INVALID,
        /** The content is not for this id, or the id cannot be a flow id. */
        BAD_ID,
        /** {@code If-Match} named another version than the one serving. */
        VERSION_MISMATCH,
        /** Another file already serves this flow id, or another serving flow calls the one to delete. */
        CONFLICT,
        /** No such flow. */
        NOT_FOUND,
        /** The flow's file was removed and the flow no longer serves. */
        REMOVED,
        /** The file could not be written or removed. */
        IO_ERROR
    }

    /** A change's result, with the lint of the content sent and the entry serving afterwards (when any). */
    public record Update(Result result, String message, FlowLoader.Loaded checked, Entry entry) {
    }

    private final Path directory;
    private final Faults faults;
    private final long fullReloadMillis;
    private final FlowLoader loader = new FlowLoader();
    private final FlowHistory history;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), FlowRelease.of(List.of(), Map.of(), Instant.EPOCH), null);
    private final Map<String, FlowRelease> releases = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FlowRelease> eldest) {
            return size() > MAX_RELEASES;
        }
    };
    private List<String> fingerprint = List.of();
    private long lastFullReload;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** Nothing is read yet: {@link #load()} does the first reading. */
    public FlowRepository(FlowStoreSettings settings) {
        this(settings, Faults.unwatched());
    }

    /** @param faults told of a flows folder that cannot be read and a history that cannot be written */
    public FlowRepository(FlowStoreSettings settings, Faults faults) {
        this.directory = settings.directory();
        this.fullReloadMillis = settings.fullReload().toMillis();
        this.faults = faults;
        this.history = new FlowHistory(settings.historyDirectory(), settings.historyVersions(), faults);
    }

    /** A folder of flows, history in memory (tools and tests); not loaded yet. */
    public FlowRepository(String directory) {
        this(FlowStoreSettings.of(Path.of(directory)));
    }

    public Path directory() {
        return directory;
    }

    /** The first reading (at startup); the same as {@link #reload()}. */
    public void load() {
        reload();
    }

    /**
     * Reads the directory again and publishes the new snapshot. Never throws: an unreadable directory keeps
     * the current snapshot and is logged.
     */
    public void reload() {
        reload("file");
    }

    /**
     * Reloads when a flow file was added, changed or removed since the last read, or when a full re-read is due
     * ({@link #setFullReloadMillis}). Returns whether the flows serving changed.
     */
    public synchronized boolean reloadIfChanged() {
        List<String> now = fingerprint(directory);
        boolean due = System.currentTimeMillis() - lastFullReload >= fullReloadMillis;
        if (now.equals(fingerprint) && !due && snapshot.lastReload() != null) {
            return false;
        }
        String before = snapshot.release().id();
        reload("file");
        return !before.equals(snapshot.release().id());
    }

    private synchronized void reload(String source) {
        Instant now = Instant.now();
        Path dir = directory;
        Snapshot previous = snapshot;
        lastFullReload = System.currentTimeMillis();
        fingerprint = fingerprint(dir);
        reloads.incrementAndGet();
        try {
            if (!Files.isDirectory(dir)) {
                LOG.error("Flow directory {} does not exist or is not a directory ({}); keeping {} flow(s) loaded before",
                        dir, dir.toAbsolutePath(), previous.release().catalog().all().size());
                faults.record("flows-folder", "read", dir + " is not a readable folder");
                snapshot = new Snapshot(previous.entries(), previous.release(), now);
                return;
            }
            FlowFiles.Report report = FlowFiles.load(loader, dir);
            snapshot = merge(previous, report, now, source);
        } catch (Exception | StackOverflowError e) {
            // a bug in loading must not stop the service: keep serving what we have
            LOG.error("Reloading flows from {} failed, keeping {} flow(s) loaded before: {}", dir,
                    previous.release().catalog().all().size(), e.toString(), e);
            faults.record("flows-folder", "read", e.toString());
            snapshot = new Snapshot(previous.entries(), previous.release(), now);
        }
    }

    /** Names, sizes and modification times of the flow files: what a change of any of them changes. */
    private static List<String> fingerprint(Path dir) {
        try {
            List<String> parts = new ArrayList<>();
            for (Path f : FlowFiles.list(dir)) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                parts.add(f.getFileName() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis() + ":"
                        + a.lastModifiedTime().toInstant().getNano());
            }
            return parts;
        } catch (IOException | RuntimeException e) {
            return List.of("unreadable:" + e);
        }
    }

    private Snapshot merge(Snapshot previous, FlowFiles.Report report, Instant now, String source) {
        Map<Path, Entry> entries = new LinkedHashMap<>();
        for (FlowLoader.Loaded loaded : report.files()) {
            Path key = key(loaded.file());
            Entry before = previous.entries().get(key);
            Entry entry;
            if (!loaded.hasErrors() && loaded.flow() != null) {
                // the same content as before keeps its load time; a changed one is new
                boolean same = before != null && before.flow() != null && Objects.equals(before.version(), loaded.version());
                entry = same ? new Entry(loaded.file(), OK, before.flow(), loaded.diagnostics(), before.loadedAt(),
                        before.version(), loaded.version())
                        : new Entry(loaded.file(), OK, loaded.flow(), loaded.diagnostics(), now, loaded.version(),
                        loaded.version());
            } else if (before != null && before.flow() != null) {
                entry = new Entry(loaded.file(), STALE, before.flow(), loaded.diagnostics(), before.loadedAt(),
                        before.version(), loaded.version());
            } else {
                entry = new Entry(loaded.file(), INVALID, null, loaded.diagnostics(), null, null, loaded.version());
            }
            entries.put(key, entry);
            logChanges(before, entry);
            remember(before, entry, now, source);
        }
        for (Map.Entry<Path, Entry> gone : previous.entries().entrySet()) {
            if (!entries.containsKey(gone.getKey())) {
                Entry e = gone.getValue();
                LOG.warn("Flow file {} was removed{}", e.file(),
                        e.flow() == null ? "" : ": flow " + e.flow().id() + " is no longer served");
                history().record(new FlowHistory.Event(e.flowId(), e.fileVersion(), now, FlowHistory.Change.REMOVED,
                        source, e.file().toString(), 0, 0), null);
            }
        }
        // flows that loaded cleanly win an id over a stale version kept from another file
        Map<String, Entry> byId = new LinkedHashMap<>();
        entries.values().stream().filter(e -> OK.equals(e.status())).forEach(e -> byId.putIfAbsent(e.flow().id(), e));
        entries.values().stream().filter(e -> STALE.equals(e.status())).forEach(e -> byId.putIfAbsent(e.flow().id(), e));
        Map<String, String> versions = new LinkedHashMap<>();
        byId.forEach((id, e) -> versions.put(id, e.version()));
        FlowRelease release = FlowRelease.of(byId.values().stream().map(Entry::flow).toList(), versions, now);
        if (release.id().equals(previous.release().id())) {
            release = previous.release();
        } else {
            synchronized (releases) {
                releases.put(release.id(), release);
            }
        }
        Snapshot next = new Snapshot(Collections.unmodifiableMap(entries), release, now);
        if (previous.lastReload() == null || !sameState(previous, next)) {
            long stale = entries.values().stream().filter(e -> STALE.equals(e.status())).count();
            long invalid = entries.values().stream().filter(e -> INVALID.equals(e.status())).count();
            if (entries.isEmpty()) {
                LOG.warn("No flow file (*.json) in {} ({})", directory, directory.toAbsolutePath());
            } else {
                LOG.info("Flows loaded from {}: {} serving {} (release {}), {} file(s) stale with errors, {} invalid file(s)",
                        directory, byId.size(), versions, release.id(), stale, invalid);
            }
        }
        return next;
    }

    /** Puts a new version of a file into the history: activated when it serves, refused when it has errors. */
    private void remember(Entry before, Entry now, Instant at, String source) {
        if (before != null && Objects.equals(before.fileVersion(), now.fileVersion())) {
            return;
        }
        boolean activated = OK.equals(now.status());
        if (!activated) {
            refused.incrementAndGet();
        }
        history().record(new FlowHistory.Event(now.flowId(), now.fileVersion(), at,
                        activated ? FlowHistory.Change.ACTIVATED : FlowHistory.Change.REFUSED, source,
                        now.file().toString(), (int) now.errorCount(), (int) now.warningCount()),
                contentOf(now.file(), now.fileVersion()));
    }

    /** The file's bytes if they still hash to {@code version} (it may have changed again since it was read). */
    private static byte[] contentOf(Path file, String version) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return FlowLoader.version(bytes).equals(version) ? bytes : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void logChanges(Entry before, Entry now) {
        if (now.sameAs(before)) {
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
            case OK -> LOG.info("Flow {} version {} loaded from {} ({} nodes{})", now.flow().id(), now.version(),
                    now.file(), now.flow().nodes().size(),
                    now.warningCount() == 0 ? "" : ", " + now.warningCount() + " warning(s)");
            case STALE -> LOG.error("Flow file {} (version {}) has {} error(s) and is refused: version {} of flow {} "
                            + "(loaded {}) keeps serving", now.file(), now.fileVersion(), now.errorCount(),
                    now.version(), now.flow().id(), now.loadedAt());
            default -> LOG.error("Flow file {} has {} error(s) and no earlier good version: it is not served",
                    now.file(), now.errorCount());
        }
    }

    private static boolean sameState(Snapshot a, Snapshot b) {
        if (!a.entries().keySet().equals(b.entries().keySet())) {
            return false;
        }
        return b.entries().entrySet().stream().allMatch(e -> e.getValue().sameAs(a.entries().get(e.getKey())));
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    // ---------------------------------------------------------------- reading

    /** The flows that can run now (an immutable snapshot). */
    public FlowCatalog catalog() {
        return snapshot.release().catalog();
    }

    @Override
    public FlowRelease current() {
        return snapshot.release();
    }

    @Override
    public Optional<FlowRelease> find(String id) {
        FlowRelease now = snapshot.release();
        if (now.id().equals(id)) {
            return Optional.of(now);
        }
        synchronized (releases) {
            return Optional.ofNullable(releases.get(id));
        }
    }

    /** Every flow file known at the last reload, with its status, in file name order. */
    public List<Entry> entries() {
        return List.copyOf(snapshot.entries().values());
    }

    /** The file serving a flow id (or, when none serves, the invalid file named after it). */
    public Optional<Entry> entry(String flowId) {
        List<Entry> all = entries();
        return all.stream().filter(e -> e.flow() != null && e.flow().id().equals(flowId)
                        && !STALE.equals(e.status())).findFirst()
                .or(() -> all.stream().filter(e -> e.flow() != null && e.flow().id().equals(flowId)).findFirst())
                .or(() -> all.stream().filter(e -> e.flow() == null && e.flowId().equals(flowId)).findFirst());
    }

    /** When the directory was last read (null before the first load). */
    public Instant lastReload() {
        return snapshot.lastReload();
    }

    /** Directory reads so far, and file versions refused for errors (for the metrics). */
    public long reloadCount() {
        return reloads.get();
    }

    public long refusedCount() {
        return refused.get();
    }

    public FlowHistory history() {
        return history;
    }

    // ---------------------------------------------------------------- changes through the flows API

    /** Loads and lints content for {@code flowId} against the flows serving now, without writing anything. */
    public synchronized FlowLoader.Loaded check(String flowId, byte[] content) {
        Path file = entry(flowId).map(Entry::file).orElse(directory.resolve(flowId + ".json"));
        return FlowFiles.check(loader, file, content, catalog());
    }

    /**
     * Validates, then writes and activates a flow's new content. {@code ifMatch}, when given, must be the
     * version serving now (a concurrent change is not overwritten). Nothing is written when the content has
     * errors: the version serving goes on.
     */
    public synchronized Update put(String flowId, byte[] content, String ifMatch) {
        if (!FlowHistory.safeId(flowId)) {
            return new Update(Result.BAD_ID, "a flow id is letters, digits, '.', '_' and '-' (at most 128)", null, null);
        }
        Optional<Entry> existing = entry(flowId);
        if (ifMatch != null && !ifMatch.equals(existing.map(Entry::version).orElse(null))) {
            return new Update(Result.VERSION_MISMATCH, "flow " + flowId + " is at version "
                    + existing.map(Entry::version).orElse("(none)") + ", not " + ifMatch, null, existing.orElse(null));
        }
        FlowLoader.Loaded checked = check(flowId, content);
        if (checked.flow() != null && !checked.flow().id().equals(flowId)) {
            return new Update(Result.BAD_ID, "the content is flow '" + checked.flow().id() + "', not '" + flowId + "'",
                    checked, existing.orElse(null));
        }
        if (checked.hasErrors()) {
            refused.incrementAndGet();
            history().record(new FlowHistory.Event(flowId, checked.version(), Instant.now(), FlowHistory.Change.REFUSED,
                    "api", checked.file().toString(), (int) errors(checked), (int) (checked.diagnostics().size()
                    - errors(checked))), content);
            LOG.warn("Flows API: version {} of flow {} refused with {} error(s); version {} keeps serving",
                    checked.version(), flowId, errors(checked), existing.map(Entry::version).orElse("(none)"));
            return new Update(Result.INVALID, "the flow has errors; nothing was written", checked, existing.orElse(null));
        }
        if (existing.isPresent() && checked.version().equals(existing.get().version())
                && OK.equals(existing.get().status())) {
            return new Update(Result.UNCHANGED, "version " + checked.version() + " already serves", checked, existing.get());
        }
        Path file = checked.file();
        Optional<Entry> occupant = entries().stream().filter(e -> key(e.file()).equals(key(file))).findFirst();
        if (occupant.isPresent() && occupant.get().flow() != null && !occupant.get().flow().id().equals(flowId)) {
            return new Update(Result.CONFLICT, file + " serves flow " + occupant.get().flow().id(), checked, null);
        }
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + flowId, ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.error("Flows API: cannot write {}: {}", file, e.toString());
            return new Update(Result.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), checked, existing.orElse(null));
        }
        reload("api");
        Optional<Entry> after = entry(flowId);
        boolean serving = after.map(e -> checked.version().equals(e.version())).orElse(false);
        LOG.info("Flows API: flow {} version {} written to {}{}", flowId, checked.version(), file,
                serving ? " and serving" : ", but it does not serve (see the reload's errors)");
        return serving ? new Update(Result.ACTIVATED, "version " + checked.version() + " serves", checked, after.get())
                : new Update(Result.INVALID, "written, but the reload refused it", checked, after.orElse(null));
    }

    /**
     * Removes a flow's file. Refused while another serving flow calls it as a sub-flow (their callers would hit a
     * missing flow), and when {@code ifMatch} names another version than the one serving.
     */
    public synchronized Update delete(String flowId, String ifMatch) {
        Optional<Entry> existing = entry(flowId);
        if (existing.isEmpty()) {
            return new Update(Result.NOT_FOUND, "no flow " + flowId, null, null);
        }
        if (ifMatch != null && !ifMatch.equals(existing.get().version())) {
            return new Update(Result.VERSION_MISMATCH, "flow " + flowId + " is at version " + existing.get().version()
                    + ", not " + ifMatch, null, existing.get());
        }
        List<String> callers = catalog().all().stream().filter(f -> !f.id().equals(flowId))
                .filter(f -> f.nodes().values().stream().anyMatch(n -> n instanceof Node.Subflow s && flowId.equals(s.flow())))
                .map(Flow::id).sorted().toList();
        if (!callers.isEmpty()) {
            return new Update(Result.CONFLICT, "flow " + flowId + " is called as a sub-flow by " + callers, null,
                    existing.get());
        }
        try {
            Files.deleteIfExists(existing.get().file());
        } catch (IOException e) {
            return new Update(Result.IO_ERROR, "cannot remove " + existing.get().file() + ": " + e.getMessage(), null,
                    existing.get());
        }
        reload("api");
        LOG.info("Flows API: flow {} removed ({})", flowId, existing.get().file());
        return new Update(Result.REMOVED, "flow " + flowId + " removed", null, existing.get());
    }

    private static long errors(FlowLoader.Loaded l) {
        return l.diagnostics().stream().filter(Diagnostic::isError).count();
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
            m.put("version", e.version());
            m.put("fileVersion", e.fileVersion());
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
        root.put("directory", directory.toString());
        root.put("lastReload", s.lastReload() == null ? null : s.lastReload().toString());
        root.put("release", s.release().id());
        root.put("serving", s.release().catalog().all().size());
        root.put("flows", flows);
        return root;
    }
}
