package io.ivrflow.sim;

import io.ivrflow.flow.FlowCatalog;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every scenario file of a flows folder run against that folder's flows, with the coverage they reach.
 * The test suite and the {@code scenarios} command both use it.
 */
public final class ScenarioSuite {

    private ScenarioSuite() {
    }

    /** Results per scenario, coverage per flow that has scenarios, and files that could not be read. */
    public record Run(List<ScenarioRunner.Result> results, List<Coverage.Report> coverage, List<String> errors) {
        public long failed() {
            return results.stream().filter(r -> !r.passed()).count() + errors.size();
        }
    }

    public static Run run(Path folder) throws IOException {
        return run(folder, ScenarioFiles.list(folder));
    }

    /** Runs the given scenario files against the flows of {@code flowsFolder}. */
    public static Run run(Path flowsFolder, List<Path> scenarioFiles) throws IOException {
        FlowCatalog flows = FlowFiles.load(new FlowLoader(), flowsFolder).catalog();
        ScenarioRunner runner = new ScenarioRunner(flows);
        Coverage coverage = new Coverage();
        List<ScenarioRunner.Result> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> flowIds = new LinkedHashSet<>();
        for (Path file : scenarioFiles) {
            List<Scenario> scenarios;
            try {
                scenarios = ScenarioFiles.read(file);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
                continue;
            }
            for (Scenario s : scenarios) {
                ScenarioRunner.Result r = runner.run(s);
                results.add(r);
                flowIds.add(s.flow());
                if (r.call() != null) {
                    coverage.add(r.call().trace());
                }
            }
        }
        // a sub-flow is covered by the scenarios of the flows that call it, and by its own
        Set<String> reported = new LinkedHashSet<>(flowIds);
        for (Coverage.Report rep : coverage.reports(flows, flows.all().stream().map(f -> f.id()).toList())) {
            if (!rep.visitedNodes().isEmpty()) {
                reported.add(rep.flowId());
            }
        }
        return new Run(results, coverage.reports(flows, reported), errors);
    }
}
