package io.ivrflow.console;

import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What makes the layered layout readable, checked on the example flows and on small graphs made to test it. */
class ConsoleLayoutTest {

    private static final FlowCatalog FLOWS = ConsoleTestFlows.examples();
    private static final double EPS = 0.01;

    @Test
    void exampleFlowsHaveNoOverlapsAndLinesThatRunFromNodeToNode() {
        assertFalse(FLOWS.all().isEmpty());
        for (Flow f : FLOWS.all()) {
            FlowGraph g = FlowGraph.of(f);
            List<GraphLayout.Rect> boxes = new ArrayList<>();
            g.nodes().forEach(n -> boxes.add(new GraphLayout.Rect(n.x(), n.y(), n.width(), n.height())));
            List<GraphLayout.Rect> labels = g.edges().stream().map(FlowGraph.GraphEdge::label).toList();
            noOverlaps(f.id(), boxes, labels);
            for (GraphLayout.Rect r : concat(boxes, labels)) {
                assertTrue(r.x() >= 0 && r.y() >= 0 && r.x() + r.width() <= g.width() + EPS
                        && r.y() + r.height() <= g.height() + EPS, f.id() + ": " + r + " outside the drawing");
            }
            Map<String, GraphLayout.Rect> byId = new java.util.HashMap<>();
            g.nodes().forEach(n -> byId.put(n.id(), new GraphLayout.Rect(n.x(), n.y(), n.width(), n.height())));
            for (FlowGraph.GraphEdge e : g.edges()) {
                lineJoinsItsNodes(f.id(), e.points(), byId.get(e.from()), byId.get(e.to()), e.upward(), e.selfLoop());
                crossesNoOtherNode(f.id(), e.from(), e.to(), e.points(), byId);
                if (!e.selfLoop()) {
                    // the label sits on the line: the line passes through its box
                    GraphLayout.Rect l = e.label();
                    boolean through = false;
                    for (int i = 1; i < e.points().size(); i++) {
                        GraphLayout.Point a = e.points().get(i - 1);
                        GraphLayout.Point b = e.points().get(i);
                        through |= Math.abs(a.x() - l.centerX()) < EPS && Math.abs(b.x() - l.centerX()) < EPS
                                && Math.min(a.y(), b.y()) <= l.y() + EPS
                                && Math.max(a.y(), b.y()) >= l.y() + l.height() - EPS;
                    }
                    assertTrue(through, f.id() + ": the line does not run through its label " + e);
                }
            }
            // the start is on top
            double startY = byId.get(f.start()).y();
            assertTrue(g.nodes().stream().allMatch(n -> n.y() >= startY), f.id());
        }
    }

    @Test
    void onlyLinesThatCloseALoopGoUp() {
        for (Flow f : FLOWS.all()) {
            FlowGraph g = FlowGraph.of(f);
            for (FlowGraph.GraphEdge e : g.edges()) {
                if (e.upward()) {
                    assertTrue(reaches(g, e.to(), e.from()), f.id() + ": " + e.from() + " -> " + e.to()
                            + " goes up but closes no loop");
                }
            }
            long up = g.edges().stream().filter(FlowGraph.GraphEdge::upward).count();
            assertTrue(up * 5 <= g.edges().size(), f.id() + ": " + up + " of " + g.edges().size() + " lines go up");
        }
        FlowGraph cc = FlowGraph.of(FLOWS.find("contact-centre").orElseThrow());
        // the sub-menu's "back to the main menu" is the one way up in the contact centre
        assertEquals(List.of("support_menu>main_menu"), cc.edges().stream().filter(FlowGraph.GraphEdge::upward)
                .map(e -> e.from() + ">" + e.to()).toList());
    }

    @Test
    void aLoopIsBrokenAtTheEdgeBackToTheStart() {
        GraphLayout l = LayeredLayout.layout(boxes("a", "b", "c"),
                List.of(link("a", "b"), link("b", "c"), link("c", "a")), "a");
        assertFalse(l.routes().get(0).upward());
        assertFalse(l.routes().get(1).upward());
        assertTrue(l.routes().get(2).upward());
        assertTrue(l.nodes().get("a").y() < l.nodes().get("b").y());
        assertTrue(l.nodes().get("b").y() < l.nodes().get("c").y());
        List<GraphLayout.Point> back = l.routes().get(2).points();
        assertEquals(l.nodes().get("c").y(), back.get(0).y(), EPS, "leaves c from its top");
        assertEquals(l.nodes().get("a").y() + l.nodes().get("a").height(), back.get(back.size() - 1).y(), EPS,
                "enters a from below");
    }

    @Test
    void aTreeIsDrawnWithoutCrossingsAndChildrenInTheirOrder() {
        List<LayeredLayout.Link> links = List.of(link("root", "a"), link("root", "b"), link("root", "c"),
                link("a", "a1"), link("a", "a2"), link("b", "b1"), link("c", "c1"), link("c", "c2"));
        GraphLayout l = LayeredLayout.layout(boxes("root", "a", "b", "c", "a1", "a2", "b1", "c1", "c2"), links, "root");
        assertEquals(0, crossings(l), "lines of a tree need not cross");
        Map<String, GraphLayout.Rect> n = l.nodes();
        assertTrue(n.get("a").x() < n.get("b").x() && n.get("b").x() < n.get("c").x(), "options keep their order");
        // a parent sits over its children
        assertTrue(n.get("a").centerX() > n.get("a1").centerX() && n.get("a").centerX() < n.get("a2").centerX());
        assertTrue(n.get("c").centerX() > n.get("c1").centerX() && n.get("c").centerX() < n.get("c2").centerX());
        assertTrue(n.get("root").centerX() > n.get("a").centerX() && n.get("root").centerX() < n.get("c").centerX());
    }

    @Test
    void aLongLineGetsAPointOnEveryLayerItPassesAndStaysStraightBesideTheNodes() {
        // a -> b -> c -> d, and a -> d straight past b and c
        GraphLayout l = LayeredLayout.layout(boxes("a", "b", "c", "d"),
                List.of(link("a", "b"), link("b", "c"), link("c", "d"), link("a", "d")), "a");
        GraphLayout.Route skip = l.routes().get(3);
        // 5 layers between a and d (3 label and point layers, 2 node layers): 2 points each, plus both ends
        assertEquals(2 + 2 * 5, skip.points().size());
        for (int i = 1; i + 1 < skip.points().size(); i += 2) {
            assertEquals(skip.points().get(i).x(), skip.points().get(i + 1).x(), EPS, "straight inside a layer");
        }
        Map<String, GraphLayout.Rect> byId = l.nodes();
        crossesNoOtherNode("chain", "a", "d", skip.points(), byId);
        noOverlaps("chain", List.copyOf(byId.values()), l.routes().stream().map(GraphLayout.Route::label).toList());
    }

    @Test
    void aSelfLoopIsDrawnOnTheRightAndLeavesRoomForItsLabel() {
        GraphLayout l = LayeredLayout.layout(boxes("menu", "next", "other"),
                List.of(link("menu", "menu"), link("menu", "next"), link("menu", "other")), "menu");
        GraphLayout.Route loop = l.routes().get(0);
        assertTrue(loop.selfLoop());
        GraphLayout.Rect menu = l.nodes().get("menu");
        assertEquals(menu.x() + menu.width(), loop.points().get(0).x(), EPS);
        assertTrue(loop.label().x() > menu.x() + menu.width());
        noOverlaps("loop", List.copyOf(l.nodes().values()), l.routes().stream().map(GraphLayout.Route::label).toList());
        assertTrue(l.width() >= loop.label().x() + loop.label().width());
    }

    @Test
    void nodesNothingLeadsToAreLaidOutToo() {
        GraphLayout l = LayeredLayout.layout(boxes("start", "end", "orphan"), List.of(link("start", "end")), "start");
        assertEquals(3, l.nodes().size());
        noOverlaps("orphan", List.copyOf(l.nodes().values()), List.of());
    }

    @Test
    void theSameGraphIsAlwaysDrawnTheSameWay() {
        Flow f = FLOWS.find("contact-centre").orElseThrow();
        assertEquals(FlowGraph.of(f), FlowGraph.of(f));
    }

    @Test
    void anEdgeToAnUnknownNodeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LayeredLayout.layout(boxes("a"), List.of(link("a", "nowhere")), "a"));
        assertThrows(IllegalArgumentException.class, () -> LayeredLayout.layout(boxes("a", "a"), List.of(), "a"));
    }

    @Test
    void aLayerKeepsItsOrderAndRoomAndComesAsCloseAsItCanToWhereItsItemsWantToBe() {
        // three items all wanting 0, 10 apart: spread evenly around 0
        assertArrayEquals(new double[] {-10, 0, 10},
                LayeredLayout.closestInOrder(new double[] {0, 0, 0}, new double[] {10, 10}, new double[] {1, 1, 1}), EPS);
        // room enough: everyone where it wants
        assertArrayEquals(new double[] {0, 100},
                LayeredLayout.closestInOrder(new double[] {0, 100}, new double[] {10}, new double[] {1, 1}), EPS);
        // a heavier item moves less
        double[] x = LayeredLayout.closestInOrder(new double[] {0, 0}, new double[] {30}, new double[] {3, 1});
        assertEquals(30, x[1] - x[0], EPS);
        assertEquals(-7.5, x[0], EPS);
    }

    // ---------------------------------------------------------------- checks

    private static void noOverlaps(String what, List<GraphLayout.Rect> nodes, List<GraphLayout.Rect> labels) {
        List<GraphLayout.Rect> all = concat(nodes, labels);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                assertFalse(all.get(i).overlaps(all.get(j)), what + ": " + all.get(i) + " overlaps " + all.get(j));
            }
        }
    }

    private static void lineJoinsItsNodes(String what, List<GraphLayout.Point> points, GraphLayout.Rect from,
                                          GraphLayout.Rect to, boolean upward, boolean selfLoop) {
        GraphLayout.Point first = points.get(0);
        GraphLayout.Point last = points.get(points.size() - 1);
        if (selfLoop) {
            assertEquals(from.x() + from.width(), first.x(), EPS, what);
            assertEquals(from.x() + from.width(), last.x(), EPS, what);
            return;
        }
        assertEquals(upward ? from.y() : from.y() + from.height(), first.y(), EPS, what + " leaves its node");
        assertEquals(upward ? to.y() + to.height() : to.y(), last.y(), EPS, what + " reaches its node");
        assertTrue(first.x() >= from.x() && first.x() <= from.x() + from.width(), what);
        assertTrue(last.x() >= to.x() && last.x() <= to.x() + to.width(), what);
        for (int i = 1; i < points.size(); i++) {
            double dy = points.get(i).y() - points.get(i - 1).y();
            assertTrue(upward ? dy <= EPS : dy >= -EPS, what + ": a line turns back on itself at " + points.get(i));
        }
    }

    /** Along the line (straight between its points), no point is inside a node other than its two ends. */
    private static void crossesNoOtherNode(String what, String from, String to, List<GraphLayout.Point> points,
                                           Map<String, GraphLayout.Rect> nodes) {
        for (int i = 1; i < points.size(); i++) {
            GraphLayout.Point a = points.get(i - 1);
            GraphLayout.Point b = points.get(i);
            for (int s = 0; s <= 20; s++) {
                double x = a.x() + (b.x() - a.x()) * s / 20;
                double y = a.y() + (b.y() - a.y()) * s / 20;
                for (Map.Entry<String, GraphLayout.Rect> n : nodes.entrySet()) {
                    if (n.getKey().equals(from) || n.getKey().equals(to)) {
                        continue;
                    }
                    GraphLayout.Rect r = n.getValue();
                    assertFalse(x > r.x() + EPS && x < r.x() + r.width() - EPS && y > r.y() + EPS
                            && y < r.y() + r.height() - EPS, what + ": " + from + " -> " + to + " crosses " + n.getKey());
                }
            }
        }
    }

    /** Pairs of segments of different lines that cross. */
    private static int crossings(GraphLayout l) {
        List<double[]> segments = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int r = 0; r < l.routes().size(); r++) {
            List<GraphLayout.Point> p = l.routes().get(r).points();
            for (int i = 1; i < p.size(); i++) {
                segments.add(new double[] {p.get(i - 1).x(), p.get(i - 1).y(), p.get(i).x(), p.get(i).y()});
                owner.add(r);
            }
        }
        int c = 0;
        for (int i = 0; i < segments.size(); i++) {
            for (int j = i + 1; j < segments.size(); j++) {
                if (!owner.get(i).equals(owner.get(j)) && properlyCross(segments.get(i), segments.get(j))) {
                    c++;
                }
            }
        }
        return c;
    }

    private static boolean properlyCross(double[] s, double[] t) {
        double d1 = side(t, s[0], s[1]);
        double d2 = side(t, s[2], s[3]);
        double d3 = side(s, t[0], t[1]);
        double d4 = side(s, t[2], t[3]);
        return d1 * d2 < -EPS && d3 * d4 < -EPS;
    }

    private static double side(double[] seg, double x, double y) {
        return (seg[2] - seg[0]) * (y - seg[1]) - (seg[3] - seg[1]) * (x - seg[0]);
    }

    private static boolean reaches(FlowGraph g, String from, String to) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (n.equals(to)) {
                return true;
            }
            if (seen.add(n)) {
                g.edges().stream().filter(e -> e.from().equals(n)).forEach(e -> todo.push(e.to()));
            }
        }
        return false;
    }

    private static List<LayeredLayout.Box> boxes(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new LayeredLayout.Box(id, 80, 40)).toList();
    }

    private static LayeredLayout.Link link(String from, String to) {
        return new LayeredLayout.Link(from, to, 30, 16);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
