package io.ivrflow.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a set of flow files together, so that sub-flow references resolve, and lints each one.
 * In a folder, flows are the {@code *.json} files except {@code *.schema.json} and {@code *.scenarios.json}.
 */
public final class FlowFiles {

    private FlowFiles() {
    }

    /** Every file read, and the catalog of those that were built with no error. */
    public record Report(List<FlowLoader.Loaded> files, FlowCatalog catalog) {
        public List<Diagnostic> diagnostics() {
            return files.stream().flatMap(f -> f.diagnostics().stream()).toList();
        }

        public long errorCount() {
            return diagnostics().stream().filter(Diagnostic::isError).count();
        }

        public long warningCount() {
            return diagnostics().size() - errorCount();
        }
    }

    public static boolean isFlowFile(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".json") && !name.endsWith(".schema.json") && !name.endsWith(".scenarios.json")
                && Files.isRegularFile(p);
    }

    /** Flow files of a folder (not recursive), sorted by name; a file given directly is taken as it is. */
    public static List<Path> list(Path fileOrFolder) throws IOException {
        if (!Files.isDirectory(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        try (Stream<Path> s = Files.list(fileOrFolder)) {
            return s.filter(FlowFiles::isFlowFile).sorted().toList();
        }
    }

    /**
     * Loads and lints files. {@code context} are further files (e.g. the rest of a file's folder) read only
     * to resolve sub-flows: their own diagnostics are not reported.
     */
    public static Report load(FlowLoader loader, List<Path> files, List<Path> context) {
        List<FlowLoader.Loaded> loaded = files.stream().map(f -> loader.load(f.normalize())).toList();
        List<Flow> built = new ArrayList<>(loaded.stream().filter(l -> !l.hasErrors()).map(FlowLoader.Loaded::flow)
                .toList());
        List<Flow> contextFlows = new ArrayList<>();
        context.stream().filter(c -> files.stream().noneMatch(f -> sameFile(f, c))).map(loader::load)
                .filter(l -> !l.hasErrors())
                .filter(l -> built.stream().noneMatch(f -> f.id().equals(l.flow().id())))
                .forEach(l -> contextFlows.add(l.flow()));
        built.addAll(contextFlows);
        FlowCatalog forLint = FlowCatalog.of(built);

        Map<String, Path> seenIds = new HashMap<>();
        List<FlowLoader.Loaded> result = new ArrayList<>();
        for (FlowLoader.Loaded l : loaded) {
            if (l.flow() == null) {
                result.add(l);
                continue;
            }
            List<Diagnostic> more = new ArrayList<>();
            Path other = seenIds.putIfAbsent(l.flow().id(), l.file());
            if (other != null) {
                more.add(new Diagnostic(Diagnostic.Severity.ERROR, l.file().toString(), "/id", 0, 0,
                        "duplicate-id", "flow id " + l.flow().id() + " is already used by " + other));
            }
            more.addAll(FlowLinter.lint(l.flow(), forLint));
            result.add(l.with(more));
        }
        List<Flow> usable = new ArrayList<>(result.stream().filter(l -> l.flow() != null && !l.hasErrors())
                .map(FlowLoader.Loaded::flow).toList());
        usable.addAll(contextFlows);
        return new Report(result, FlowCatalog.of(usable));
    }

    /**
     * Loads and lints one file's new content as it would serve among {@code serving} (the flows it may call as
     * sub-flows; its own older version there is replaced by it). Nothing is read from or written to disk.
     */
    public static FlowLoader.Loaded check(FlowLoader loader, Path file, byte[] content, FlowCatalog serving) {
        FlowLoader.Loaded loaded = loader.load(file, content);
        if (loaded.flow() == null || loaded.hasErrors()) {
            return loaded;
        }
        List<Flow> flows = new ArrayList<>(serving.all().stream().filter(f -> !f.id().equals(loaded.flow().id()))
                .toList());
        flows.add(loaded.flow());
        return loaded.with(FlowLinter.lint(loaded.flow(), FlowCatalog.of(flows)));
    }

    /** Loads every flow of a folder (or one file plus its folder's flows for sub-flow references). */
    public static Report load(FlowLoader loader, Path fileOrFolder) throws IOException {
        List<Path> files = list(fileOrFolder);
        Path folder = Files.isDirectory(fileOrFolder) ? fileOrFolder
                : fileOrFolder.toAbsolutePath().getParent();
        List<Path> context = folder == null || Files.isDirectory(fileOrFolder) ? List.of() : list(folder);
        return load(loader, files, context);
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
