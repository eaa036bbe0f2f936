package io.ivrflow.cli;

import io.ivrflow.sim.Coverage;
import io.ivrflow.sim.ScenarioFiles;
import io.ivrflow.sim.ScenarioRunner;
import io.ivrflow.sim.ScenarioSuite;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scenarios [--min-coverage N] [--verbose] PATH...}: runs scenario files against the flows next to them
 * and prints node and edge coverage per flow. Exit 1 when a scenario fails or coverage is under N percent.
 */
final class ScenariosCommand {

    private ScenariosCommand() {
    }

    static int run(List<String> argList, PrintStream out, PrintStream err) throws Cli.UsageException, IOException {
        List<String> args = new ArrayList<>(argList);
        double minCoverage = 0;
        int i = args.indexOf("--min-coverage");
        if (i >= 0) {
            if (i + 1 >= args.size()) {
                throw new Cli.UsageException("--min-coverage needs a percentage");
            }
            try {
                minCoverage = Double.parseDouble(args.get(i + 1));
            } catch (NumberFormatException e) {
                throw new Cli.UsageException("--min-coverage takes a number, not " + args.get(i + 1));
            }
            args.remove(i + 1);
            args.remove(i);
        }
        boolean verbose = args.remove("--verbose");
        for (String a : args) {
            if (a.startsWith("--")) {
                throw new Cli.UsageException("unknown option " + a);
            }
        }
        if (args.isEmpty()) {
            args.add("flows");
        }
        long failed = 0;
        boolean underCovered = false;
        for (String a : args) {
            Path path = Path.of(a);
            if (!Files.exists(path)) {
                throw new Cli.UsageException("no such file or folder: " + a);
            }
            Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
            ScenarioSuite.Run run = ScenarioSuite.run(folder, ScenarioFiles.list(path));
            run.errors().forEach(e -> out.println("ERROR " + e));
            for (ScenarioRunner.Result r : run.results()) {
                out.println((r.passed() ? "PASS " : "FAIL ") + r.scenario().flow() + ": " + r.scenario().name());
                r.failures().forEach(f -> out.println("       " + f));
                if (r.call() != null && (verbose || !r.passed())) {
                    r.call().timeline().forEach(line -> out.println("         " + line));
                }
            }
            out.println();
            out.println("coverage:");
            for (Coverage.Report c : run.coverage()) {
                out.println("  " + c.summary());
                c.missedNodes().forEach(n -> out.println("      missed node " + n));
                c.missedEdges().forEach(e -> out.println("      missed edge " + e));
                underCovered |= c.nodePercent() < minCoverage || c.edgePercent() < minCoverage;
            }
            failed += run.failed();
            out.println(run.results().size() - run.results().stream().filter(r -> !r.passed()).count()
                    + " passed, " + run.failed() + " failed");
        }
        if (underCovered) {
            out.println("coverage is under " + minCoverage + " %");
        }
        return failed > 0 || underCovered ? 1 : 0;
    }
}
