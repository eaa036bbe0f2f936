package io.ivrflow.console;

import java.util.List;
import java.util.Map;

/**
 * A drawing of a graph, in pixels, top-left origin: where each node's box is and the line each edge follows.
 * The browser only draws it; every decision about where things go was made by {@link LayeredLayout}.
 *
 * @param nodes  box of each node, by id
 * @param routes one per edge given to the layout, in the same order
 */
public record GraphLayout(double width, double height, Map<String, Rect> nodes, List<Route> routes) {

    public GraphLayout {
        nodes = Map.copyOf(nodes);
        routes = List.copyOf(routes);
    }

    /** A rectangle by its top-left corner. */
    public record Rect(double x, double y, double width, double height) {

        public boolean overlaps(Rect o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }

        public double centerX() {
            return x + width / 2;
        }
    }

    public record Point(double x, double y) {
    }

    /**
     * The line of one edge, from its source to its target. Between two layers it may bend; inside a layer it
     * runs straight down (or up), beside the nodes of that layer, so it never crosses a node.
     *
     * @param label    where the edge's label goes (the line passes under its centre); null for no label
     * @param upward   the edge goes back up the drawing (a loop back to an earlier node)
     * @param selfLoop the edge comes back to its own node, drawn as a loop on the node's right
     */
    public record Route(String from, String to, List<Point> points, Rect label, boolean upward, boolean selfLoop) {
        public Route {
            points = List.copyOf(points);
        }
    }
}
