package io.ivrflow.console;

import io.ivrflow.flow.Edge;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flow as a picture: a box per node, a line per pair of nodes an exit joins, with every exit that takes it
 * written on the line, and where everything goes ({@link LayeredLayout}). The exits are the flow model's own
 * ({@link Node#edges()}, which the linter and the coverage report use too); several exits between the same two
 * nodes share one line and one label (a lookup's "not found" and "failure" both going to the schedule).
 */
public record FlowGraph(double width, double height, List<GraphNode> nodes, List<GraphEdge> edges) {

    public FlowGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * @param family  shape and colour: see {@link NodeDescription#family}
     * @param summary the line under the name
     * @param x       left edge of the box
     * @param y       top edge of the box
     */
    public record GraphNode(String id, String kind, String family, String summary, boolean start, double x, double y,
                            double width, double height) {
    }

    /**
     * @param labels   what takes this line, one per exit
     * @param exits    the engine's names of those exits ({@code key:1}, {@code noInput}...), as call traces give them
     * @param points   the line, from {@code from} to {@code to}
     * @param label    where the labels are written (one line each); the line passes under it
     * @param upward   the line goes back up to an earlier node
     * @param selfLoop the line comes back to its own node
     */
    public record GraphEdge(String from, String to, List<EdgeLabel> labels, List<String> exits,
                            List<GraphLayout.Point> points, GraphLayout.Rect label, boolean upward, boolean selfLoop) {
        public GraphEdge {
            labels = List.copyOf(labels);
            exits = List.copyOf(exits);
            points = List.copyOf(points);
        }
    }

    // Text is drawn in a monospace font (see console.css), so its width is known here: the layout leaves room
    // for every name and label without the browser measuring anything.
    static final double NAME_CHAR = 7.4;      // 12px bold
    static final double SMALL_CHAR = 6.7;     // 11px
    static final double NODE_PADDING = 12;
    static final double NODE_HEIGHT = 40;
    static final double NODE_MIN_WIDTH = 84;
    static final double LABEL_LINE = 14;
    static final double LABEL_PADDING = 4;

    public static FlowGraph of(Flow flow) {
        Map<List<String>, List<Edge>> joined = new LinkedHashMap<>();
        for (Node node : flow.nodes().values()) {
            for (Edge e : node.edges()) {
                // a flow that loaded has every target; an exit that goes nowhere has no line to draw
                if (e.target() != null && flow.nodes().containsKey(e.target())) {
                    joined.computeIfAbsent(List.of(e.from(), e.target()), k -> new ArrayList<>()).add(e);
                }
            }
        }
        List<LayeredLayout.Box> boxes = new ArrayList<>();
        for (Node node : flow.nodes().values()) {
            boxes.add(new LayeredLayout.Box(node.id(), nodeWidth(node), NODE_HEIGHT));
        }
        List<List<EdgeLabel>> labels = new ArrayList<>();
        List<LayeredLayout.Link> links = new ArrayList<>();
        for (Map.Entry<List<String>, List<Edge>> j : joined.entrySet()) {
            Node from = flow.node(j.getKey().get(0));
            List<EdgeLabel> ls = j.getValue().stream().map(e -> EdgeLabel.of(from, e)).distinct().toList();
            labels.add(ls);
            int longest = ls.stream().mapToInt(l -> l.text().length()).max().orElse(0);
            links.add(new LayeredLayout.Link(j.getKey().get(0), j.getKey().get(1),
                    longest * SMALL_CHAR + 2 * LABEL_PADDING, ls.size() * LABEL_LINE + LABEL_PADDING));
        }
        GraphLayout layout = LayeredLayout.layout(boxes, links, flow.start());

        List<GraphNode> nodes = new ArrayList<>();
        for (Node node : flow.nodes().values()) {
            GraphLayout.Rect r = layout.nodes().get(node.id());
            nodes.add(new GraphNode(node.id(), node.kind(), NodeDescription.family(node), NodeDescription.summary(node),
                    node.id().equals(flow.start()), r.x(), r.y(), r.width(), r.height()));
        }
        List<GraphEdge> edges = new ArrayList<>();
        int i = 0;
        for (List<Edge> group : joined.values()) {
            GraphLayout.Route route = layout.routes().get(i);
            edges.add(new GraphEdge(route.from(), route.to(), labels.get(i), group.stream().map(Edge::label).toList(),
                    route.points(), route.label(), route.upward(), route.selfLoop()));
            i++;
        }
        return new FlowGraph(layout.width(), layout.height(), nodes, edges);
    }

    static double nodeWidth(Node node) {
        return Math.max(NODE_MIN_WIDTH, Math.max(node.id().length() * NAME_CHAR,
                NodeDescription.summary(node).length() * SMALL_CHAR) + 2 * NODE_PADDING);
    }
}
