package io.ivrflow.sim;

import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flow.Edge;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes and which edges (keys, no-input, no-match, open/closed/holiday, lookup found/not found/failure,
 * transfer failure...) a set of calls went through, per flow.
 */
public final class Coverage {

    private final Map<String, Set<String>> nodesByFlow = new LinkedHashMap<>();
    private final Map<String, Set<String>> edgesByFlow = new LinkedHashMap<>();

    /** Adds the trace of one call. */
    public void add(List<TraceEntry> trace) {
        for (TraceEntry t : trace) {
            nodesByFlow.computeIfAbsent(t.flowId(), k -> new LinkedHashSet<>()).add(t.nodeId());
            if (t.from() != null && !"subflow".equals(t.edge())) {
                edgesByFlow.computeIfAbsent(t.flowId(), k -> new LinkedHashSet<>())
                        .add(new Edge(t.from(), t.edge(), t.nodeId(), "").key());
            }
        }
    }

    /** Coverage of one flow. */
    public record Report(String flowId, Set<String> nodes, Set<String> visitedNodes, Set<String> edges,
                         Set<String> takenEdges) {

        public List<String> missedNodes() {
            return nodes.stream().filter(n -> !visitedNodes.contains(n)).toList();
        }

        public List<String> missedEdges() {
            return edges.stream().filter(e -> !takenEdges.contains(e)).toList();
        }

        public double nodePercent() {
            return percent(nodes.size() - missedNodes().size(), nodes.size());
        }

        public double edgePercent() {
            return percent(edges.size() - missedEdges().size(), edges.size());
        }

        public boolean complete() {
            return missedNodes().isEmpty() && missedEdges().isEmpty();
        }

        private static double percent(int part, int whole) {
            return whole == 0 ? 100.0 : 100.0 * part / whole;
        }

        public String summary() {
            return String.format("%-24s nodes %5.1f%% (%d/%d)  edges %5.1f%% (%d/%d)", flowId, nodePercent(),
                    nodes.size() - missedNodes().size(), nodes.size(), edgePercent(),
                    edges.size() - missedEdges().size(), edges.size());
        }
    }

    public Report report(Flow flow) {
        Set<String> edges = new LinkedHashSet<>();
        for (Edge e : flow.edges()) {
            if (e.target() != null) {
                edges.add(e.key());
            }
        }
        Set<String> taken = new LinkedHashSet<>(edgesByFlow.getOrDefault(flow.id(), Set.of()));
        taken.retainAll(edges);
        Set<String> visited = new LinkedHashSet<>(nodesByFlow.getOrDefault(flow.id(), Set.of()));
        visited.retainAll(flow.nodes().keySet());
        return new Report(flow.id(), new LinkedHashSet<>(flow.nodes().keySet()), visited, edges, taken);
    }

    public List<Report> reports(FlowCatalog flows, Collection<String> flowIds) {
        List<Report> out = new ArrayList<>();
        for (String id : flowIds) {
            flows.find(id).ifPresent(f -> out.add(report(f)));
        }
        return out;
    }
}
