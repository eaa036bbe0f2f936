package io.ivrflow.sim;

import io.ivrflow.EventKinds;
import io.ivrflow.flow.FlowFiles;
import io.ivrflow.flow.FlowLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every scenario file next to the example flows, and holds the examples to 100 % node and edge
 * coverage: a flow change that leaves part of a flow untested fails the build.
 */
class ExampleScenariosTest {

    private static final Path FLOWS = Path.of("flows");
    private static ScenarioSuite.Run run;

    @BeforeAll
    static void runAll() throws IOException {
        run = ScenarioSuite.run(FLOWS);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        assertTrue(run.errors().isEmpty(), "unreadable scenario files: " + run.errors());
        assertFalse(run.results().isEmpty(), "no scenario found in " + FLOWS);
        return run.results().stream().map(r -> DynamicTest.dynamicTest(r.scenario().flow() + ": " + r.scenario().name(),
                () -> {
                    if (!r.passed()) {
                        fail(String.join("\n", r.failures()) + "\n" + String.join("\n", r.call() == null ? List.of()
                                : r.call().timeline()));
                    }
                }));
    }

    /** The simulator turns the scenarios' steps and world into every kind of event the engine knows. */
    @Test
    void theScenariosGiveTheEngineEveryKindOfEvent() {
        Set<String> seen = run.results().stream().filter(r -> r.call() != null).flatMap(r -> r.call().events().stream())
                .map(EventKinds::of).collect(Collectors.toCollection(java.util.TreeSet::new));
        EventKinds.assertEveryKindSeen("the simulator", seen, java.util.Map.of("no-input",
                "it runs the input timers itself, as on Wazo: silence is a timer-fired"));
    }

    @Test
    void everyExampleFlowHasScenarios() throws IOException {
        Set<String> flowIds = FlowFiles.load(new FlowLoader(), FLOWS).catalog().all().stream()
                .map(f -> f.id()).collect(Collectors.toSet());
        Set<String> covered = run.coverage().stream().map(Coverage.Report::flowId).collect(Collectors.toSet());
        assertEquals(flowIds, covered, "every example flow needs scenarios (directly or as a sub-flow)");
    }

    @Test
    void exampleFlowsAreFullyCovered() {
        StringBuilder gaps = new StringBuilder();
        for (Coverage.Report c : run.coverage()) {
            System.out.println("coverage " + c.summary());
            if (!c.complete()) {
                gaps.append(c.summary()).append('\n');
                c.missedNodes().forEach(n -> gaps.append("  missed node ").append(n).append('\n'));
                c.missedEdges().forEach(e -> gaps.append("  missed edge ").append(e).append('\n'));
            }
        }
        assertTrue(gaps.isEmpty(), "example flows must be 100 % covered by their scenarios:\n" + gaps);
    }
}
