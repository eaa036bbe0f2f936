package io.ivrflow.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a directed graph out in layers, top to bottom (the Sugiyama method, as Graphviz's dot and dagre do):
 *
 * <ol>
 *   <li>loops are broken by turning the edges that go back to a node being explored (depth-first from the
 *       start) upside down; those edges are drawn going up;</li>
 *   <li>each node gets a layer: the longest path to it from a node nothing leads to, so every other edge goes
 *       down;</li>
 *   <li>layers are doubled and every edge label becomes a box of its own in the layer between its nodes, so
 *       labels are placed like nodes and can overlap neither nodes nor each other; an edge longer than that gets
 *       one point per layer it passes;</li>
 *   <li>each layer is ordered to cross fewer edges (barycentres, sweeping down and up, keeping the best);</li>
 *   <li>each item is moved as close as it can to the mean of its neighbours in the next layer, keeping its
 *       order and its distance to its neighbours (least squares under order constraints: adjacent violators
 *       are pooled).</li>
 * </ol>
 *
 * Inside a layer an edge runs straight, beside the nodes, so lines cross no node. The result is plain numbers for
 * the browser to draw; the same graph always gets the same drawing.
 */
public final class LayeredLayout {

    /** A node to place, with the size of its box. */
    public record Box(String id, double width, double height) {
    }

    /** An edge, with the size of its label (0 × 0 for none). An edge from a node to itself is a loop on its right. */
    public record Link(String from, String to, double labelWidth, double labelHeight) {
    }

    static final double MARGIN = 16;
    /** Vertical room between two layers, where lines bend. */
    static final double LAYER_GAP = 16;
    /** Horizontal room between two nodes of a layer. */
    static final double NODE_GAP = 28;
    /** Horizontal room next to a line or a label. */
    static final double LINE_GAP = 12;
    /** How far a self-loop reaches right of its node, before its label. */
    static final double LOOP_REACH = 18;
    /** Room between the edges leaving (or entering) one side of a node. */
    static final double PORT_SPACING = 14;

    private static final int ORDER_SWEEPS = 24;
    private static final int PLACEMENT_SWEEPS = 16;

    private LayeredLayout() {
    }

    /** One box of a layer: a node, or the point (or label) of an edge passing through the layer. */
    private static final class Item {
        final int node;
        final double width;
        final double height;
        /** Room right of a node for its self-loops and their labels. */
        double extra;
        final int layer;
        int order;
        /** Centre of the box (a node's centre; its extra room is on the right of that). */
        double x;
        final List<Item> up = new ArrayList<>();
        final List<Item> down = new ArrayList<>();

        Item(int node, double width, double height, int layer) {
            this.node = node;
            this.width = width;
            this.height = height;
            this.layer = layer;
        }

        boolean isNode() {
            return node >= 0;
        }
    }

    /**
     * @param first the node to explore from first (the flow's start); it ends up on top. Null: the first box.
     * @throws IllegalArgumentException when a link names a node that is not among the boxes
     */
    public static GraphLayout layout(List<Box> boxes, List<Link> links, String first) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < boxes.size(); i++) {
            if (index.put(boxes.get(i).id(), i) != null) {
                throw new IllegalArgumentException("two boxes named " + boxes.get(i).id());
            }
        }
        int n = boxes.size();
        int[] from = new int[links.size()];
        int[] to = new int[links.size()];
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (!index.containsKey(l.from()) || !index.containsKey(l.to())) {
                throw new IllegalArgumentException("edge " + l.from() + " -> " + l.to() + " names an unknown node");
            }
            from[i] = index.get(l.from());
            to[i] = index.get(l.to());
        }
        Integer start = first == null ? null : index.get(first);

        boolean[] upward = breakLoops(n, from, to, start);
        int[] dagFrom = new int[links.size()];
        int[] dagTo = new int[links.size()];
        for (int i = 0; i < links.size(); i++) {
            dagFrom[i] = upward[i] ? to[i] : from[i];
            dagTo[i] = upward[i] ? from[i] : to[i];
        }
        List<Integer> topological = topologicalOrder(n, from, to, dagFrom, dagTo, start);
        int[] rank = longestPathRanks(topological, from, to, dagFrom, dagTo);

        // items: one per node on the even layers, and the points of each edge on the layers it passes
        int layerCount = n == 0 ? 0 : 2 * Arrays.stream(rank).max().orElse(0) + 1;
        Item[] nodeItems = new Item[n];
        for (int v = 0; v < n; v++) {
            nodeItems[v] = new Item(v, boxes.get(v).width(), boxes.get(v).height(), 2 * rank[v]);
        }
        List<List<Item>> chains = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (from[i] == to[i]) {
                Item node = nodeItems[from[i]];
                node.extra = Math.max(node.extra, LOOP_REACH + LINE_GAP / 2 + l.labelWidth());
                chains.add(List.of(node));
                continue;
            }
            Item top = nodeItems[dagFrom[i]];
            Item bottom = nodeItems[dagTo[i]];
            // the label sits next to the node the edge leaves (for an upward edge, that is the lower one)
            int labelLayer = upward[i] ? bottom.layer - 1 : top.layer + 1;
            boolean labelled = l.labelWidth() > 0 && l.labelHeight() > 0;
            List<Item> chain = new ArrayList<>();
            chain.add(top);
            for (int layer = top.layer + 1; layer < bottom.layer; layer++) {
                boolean label = labelled && layer == labelLayer;
                chain.add(new Item(-1, label ? l.labelWidth() : 0, label ? l.labelHeight() : 0, layer));
            }
            chain.add(bottom);
            for (int k = 0; k + 1 < chain.size(); k++) {
                chain.get(k).down.add(chain.get(k + 1));
                chain.get(k + 1).up.add(chain.get(k));
            }
            chains.add(chain);
        }

        List<List<Item>> layers = initialOrder(layerCount, topological, nodeItems);
        reduceCrossings(layers);
        double[] layerTop = new double[layerCount];
        double[] layerHeight = new double[layerCount];
        double y = MARGIN;
        for (int l = 0; l < layerCount; l++) {
            layerTop[l] = y;
            layerHeight[l] = layers.get(l).stream().mapToDouble(it -> it.height).max().orElse(0);
            y += layerHeight[l] + LAYER_GAP;
        }
        place(layers);

        // the drawing
        double minLeft = layers.stream().flatMap(List::stream).mapToDouble(it -> it.x - it.width / 2)
                .min().orElse(0);
        double shift = MARGIN - minLeft;
        layers.stream().flatMap(List::stream).forEach(it -> it.x += shift);
        double width = layers.stream().flatMap(List::stream).mapToDouble(it -> it.x + it.width / 2 + it.extra)
                .max().orElse(0) + MARGIN;
        double height = layerCount == 0 ? 2 * MARGIN : y - LAYER_GAP + MARGIN;

        Map<String, GraphLayout.Rect> rects = new LinkedHashMap<>();
        for (Item it : nodeItems) {
            rects.put(boxes.get(it.node).id(), new GraphLayout.Rect(it.x - it.width / 2,
                    layerTop[it.layer] + (layerHeight[it.layer] - it.height) / 2, it.width, it.height));
        }
        Map<Item, double[]> ports = ports(chains);
        List<GraphLayout.Route> routes = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            List<Item> chain = chains.get(i);
            if (chain.size() == 1) {
                routes.add(selfLoop(l, rects.get(l.from())));
                continue;
            }
            List<GraphLayout.Point> points = new ArrayList<>();
            GraphLayout.Rect label = null;
            GraphLayout.Rect top = rects.get(boxes.get(chain.get(0).node).id());
            GraphLayout.Rect bottom = rects.get(boxes.get(chain.get(chain.size() - 1).node).id());
            points.add(new GraphLayout.Point(ports.get(chain.get(1))[0], top.y() + top.height()));
            for (Item d : chain.subList(1, chain.size() - 1)) {
                points.add(new GraphLayout.Point(d.x, layerTop[d.layer]));
                points.add(new GraphLayout.Point(d.x, layerTop[d.layer] + layerHeight[d.layer]));
                if (d.width > 0) {
                    label = new GraphLayout.Rect(d.x - d.width / 2,
                            layerTop[d.layer] + (layerHeight[d.layer] - d.height) / 2, d.width, d.height);
                }
            }
            points.add(new GraphLayout.Point(ports.get(chain.get(chain.size() - 2))[1], bottom.y()));
            if (upward[i]) {
                java.util.Collections.reverse(points);
            }
            routes.add(new GraphLayout.Route(l.from(), l.to(), points, label, upward[i], false));
        }
        return new GraphLayout(width, height, rects, routes);
    }

    // ---------------------------------------------------------------- 1. loops

    /** Depth-first from the start, then from every node not seen yet: an edge to a node on the path is upward. */
    private static boolean[] breakLoops(int n, int[] from, int[] to, Integer start) {
        boolean[] upward = new boolean[from.length];
        int[] state = new int[n]; // 0 unseen, 1 on the path, 2 done
        List<List<Integer>> out = outgoing(n, from);
        for (int root : roots(n, start)) {
            if (state[root] != 0) {
                continue;
            }
            // an explicit stack: (node, next outgoing link to look at)
            List<int[]> stack = new ArrayList<>();
            stack.add(new int[] {root, 0});
            state[root] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.get(stack.size() - 1);
                List<Integer> links = out.get(top[0]);
                if (top[1] == links.size()) {
                    state[top[0]] = 2;
                    stack.remove(stack.size() - 1);
                    continue;
                }
                int link = links.get(top[1]++);
                int next = to[link];
                if (next == from[link]) {
                    continue; // a self-loop is drawn on the node's side, not laid out
                }
                if (state[next] == 1) {
                    upward[link] = true;
                } else if (state[next] == 0) {
                    state[next] = 1;
                    stack.add(new int[] {next, 0});
                }
            }
        }
        return upward;
    }

    private static List<Integer> roots(int n, Integer start) {
        List<Integer> roots = new ArrayList<>();
        if (start != null) {
            roots.add(start);
        }
        for (int v = 0; v < n; v++) {
            roots.add(v);
        }
        return roots;
    }

    private static List<List<Integer>> outgoing(int n, int[] from) {
        List<List<Integer>> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < from.length; i++) {
            out.get(from[i]).add(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- 2. layers

    /** Nodes so that every edge, upward ones turned over, goes from an earlier to a later one. */
    private static List<Integer> topologicalOrder(int n, int[] from, int[] to, int[] dagFrom, int[] dagTo,
                                                  Integer start) {
        List<List<Integer>> out = new ArrayList<>();
        int[] incoming = new int[n];
        for (int v = 0; v < n; v++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < from.length; i++) {
            if (from[i] != to[i]) {
                out.get(dagFrom[i]).add(dagTo[i]);
                incoming[dagTo[i]]++;
            }
        }
        // Kahn's algorithm, taking ready nodes in the order they were given (the start first)
        List<Integer> order = new ArrayList<>();
        List<Integer> ready = new ArrayList<>();
        for (int v : roots(n, start)) {
            if (incoming[v] == 0 && !ready.contains(v)) {
                ready.add(v);
            }
        }
        while (!ready.isEmpty()) {
            int v = ready.remove(0);
            order.add(v);
            for (int w : out.get(v)) {
                if (--incoming[w] == 0) {
                    ready.add(w);
                }
            }
        }
        return order;
    }

    private static int[] longestPathRanks(List<Integer> topological, int[] from, int[] to, int[] dagFrom,
                                          int[] dagTo) {
        int[] rank = new int[topological.size()];
        List<List<Integer>> out = new ArrayList<>();
        topological.forEach(v -> out.add(new ArrayList<>()));
        for (int i = 0; i < from.length; i++) {
            if (from[i] != to[i]) {
                out.get(dagFrom[i]).add(dagTo[i]);
            }
        }
        for (int v : topological) {
            for (int w : out.get(v)) {
                rank[w] = Math.max(rank[w], rank[v] + 1);
            }
        }
        return rank;
    }

    // ---------------------------------------------------------------- 3. order within layers

    /** Depth-first from the nodes in topological order: children follow their parent, in edge order. */
    private static List<List<Item>> initialOrder(int layerCount, List<Integer> topological, Item[] nodes) {
        List<List<Item>> layers = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) {
            layers.add(new ArrayList<>());
        }
        java.util.Set<Item> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int v : topological) {
            List<Item> stack = new ArrayList<>(List.of(nodes[v]));
            while (!stack.isEmpty()) {
                Item it = stack.remove(stack.size() - 1);
                if (!seen.add(it)) {
                    continue;
                }
                layers.get(it.layer).add(it);
                for (int k = it.down.size() - 1; k >= 0; k--) {
                    stack.add(it.down.get(k));
                }
            }
        }
        renumber(layers);
        return layers;
    }

    private static void reduceCrossings(List<List<Item>> layers) {
        List<List<Item>> best = copy(layers);
        long fewest = crossings(layers);
        for (int sweep = 0; sweep < ORDER_SWEEPS && fewest > 0; sweep++) {
            boolean down = sweep % 2 == 0;
            if (down) {
                for (int l = 1; l < layers.size(); l++) {
                    sortByBarycentre(layers.get(l), true);
                }
            } else {
                for (int l = layers.size() - 2; l >= 0; l--) {
                    sortByBarycentre(layers.get(l), false);
                }
            }
            transpose(layers);
            long c = crossings(layers);
            if (c < fewest) {
                fewest = c;
                best = copy(layers);
            }
        }
        layers.clear();
        layers.addAll(best);
        renumber(layers);
    }

    private static void sortByBarycentre(List<Item> layer, boolean byUpper) {
        Map<Item, Double> key = new java.util.IdentityHashMap<>();
        for (Item it : layer) {
            List<Item> next = byUpper ? it.up : it.down;
            key.put(it, next.isEmpty() ? it.order
                    : next.stream().mapToInt(o -> o.order).average().orElse(it.order));
        }
        layer.sort(Comparator.comparingDouble(key::get)); // stable: ties keep their order
        for (int i = 0; i < layer.size(); i++) {
            layer.get(i).order = i;
        }
    }

    /** Swaps neighbours of a layer while that crosses fewer edges. */
    private static void transpose(List<List<Item>> layers) {
        boolean improved = true;
        for (int round = 0; improved && round < 8; round++) {
            improved = false;
            for (List<Item> layer : layers) {
                for (int i = 0; i + 1 < layer.size(); i++) {
                    Item a = layer.get(i);
                    Item b = layer.get(i + 1);
                    if (crossingsBetween(b, a) < crossingsBetween(a, b)) {
                        layer.set(i, b);
                        layer.set(i + 1, a);
                        a.order = i + 1;
                        b.order = i;
                        improved = true;
                    }
                }
            }
        }
    }

    /** Crossings among the edges of two neighbours of a layer when {@code left} is left of {@code right}. */
    private static long crossingsBetween(Item left, Item right) {
        return pairs(left.up, right.up) + pairs(left.down, right.down);
    }

    private static long pairs(List<Item> left, List<Item> right) {
        long c = 0;
        for (Item a : left) {
            for (Item b : right) {
                if (a.order > b.order) {
                    c++;
                }
            }
        }
        return c;
    }

    static long crossings(List<List<Item>> layers) {
        long c = 0;
        for (List<Item> layer : layers) {
            List<int[]> edges = new ArrayList<>();
            for (Item u : layer) {
                for (Item d : u.down) {
                    edges.add(new int[] {u.order, d.order});
                }
            }
            for (int i = 0; i < edges.size(); i++) {
                for (int j = i + 1; j < edges.size(); j++) {
                    int[] a = edges.get(i);
                    int[] b = edges.get(j);
                    if ((a[0] < b[0] && a[1] > b[1]) || (a[0] > b[0] && a[1] < b[1])) {
                        c++;
                    }
                }
            }
        }
        return c;
    }

    private static List<List<Item>> copy(List<List<Item>> layers) {
        List<List<Item>> c = new ArrayList<>();
        layers.forEach(l -> c.add(new ArrayList<>(l)));
        return c;
    }

    private static void renumber(List<List<Item>> layers) {
        for (List<Item> layer : layers) {
            for (int i = 0; i < layer.size(); i++) {
                layer.get(i).order = i;
            }
        }
    }

    // ---------------------------------------------------------------- 4. positions

    private static void place(List<List<Item>> layers) {
        for (List<Item> layer : layers) {
            double x = 0;
            for (int i = 0; i < layer.size(); i++) {
                x += i == 0 ? 0 : distance(layer.get(i - 1), layer.get(i));
                layer.get(i).x = x;
            }
        }
        for (int sweep = 0; sweep < PLACEMENT_SWEEPS; sweep++) {
            for (int l = 1; l < layers.size(); l++) {
                align(layers.get(l), true, false);
            }
            for (int l = layers.size() - 2; l >= 0; l--) {
                align(layers.get(l), false, true);
            }
        }
        // a last pass towards both sides, so a node sits between its parents and its children
        for (int l = 0; l < layers.size(); l++) {
            align(layers.get(l), true, true);
        }
    }

    /** Least distance between the centres of two neighbours of a layer. */
    private static double distance(Item left, Item right) {
        double gap = left.isNode() && right.isNode() ? NODE_GAP : LINE_GAP;
        return left.width / 2 + left.extra + right.width / 2 + gap;
    }

    /** Moves each item of a layer towards the mean of its neighbours above and/or below, keeping order and room. */
    private static void align(List<Item> layer, boolean above, boolean below) {
        int n = layer.size();
        if (n == 0) {
            return;
        }
        double[] desired = new double[n];
        double[] weight = new double[n];
        double[] minDistance = new double[Math.max(0, n - 1)];
        for (int i = 0; i < n; i++) {
            Item it = layer.get(i);
            List<Item> next = new ArrayList<>();
            if (above) {
                next.addAll(it.up);
            }
            if (below) {
                next.addAll(it.down);
            }
            desired[i] = next.isEmpty() ? it.x : next.stream().mapToDouble(o -> o.x).average().orElse(it.x);
            // points of long edges pull harder, so long edges come out straight
            weight[i] = next.isEmpty() ? 0.01 : it.isNode() ? 1 : 2;
            if (i > 0) {
                minDistance[i - 1] = distance(layer.get(i - 1), it);
            }
        }
        double[] x = closestInOrder(desired, minDistance, weight);
        for (int i = 0; i < n; i++) {
            layer.get(i).x = x[i];
        }
    }

    /**
     * The positions closest (weighted least squares) to {@code desired} such that each is at least
     * {@code minDistance[i]} right of the one before: with offsets taken out, a non-decreasing fit, found by
     * pooling adjacent violators.
     */
    static double[] closestInOrder(double[] desired, double[] minDistance, double[] weight) {
        int n = desired.length;
        double[] offset = new double[n];
        for (int i = 1; i < n; i++) {
            offset[i] = offset[i - 1] + minDistance[i - 1];
        }
        double[] blockWeight = new double[n];
        double[] blockSum = new double[n];
        int[] blockEnd = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            blockWeight[blocks] = weight[i];
            blockSum[blocks] = weight[i] * (desired[i] - offset[i]);
            blockEnd[blocks] = i;
            blocks++;
            while (blocks > 1 && blockSum[blocks - 2] / blockWeight[blocks - 2]
                    > blockSum[blocks - 1] / blockWeight[blocks - 1]) {
                blockWeight[blocks - 2] += blockWeight[blocks - 1];
                blockSum[blocks - 2] += blockSum[blocks - 1];
                blockEnd[blocks - 2] = blockEnd[blocks - 1];
                blocks--;
            }
        }
        double[] x = new double[n];
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            double value = blockSum[b] / blockWeight[b];
            for (; i <= blockEnd[b]; i++) {
                x[i] = value + offset[i];
            }
        }
        return x;
    }

    // ---------------------------------------------------------------- 5. lines

    /**
     * Where each edge leaves and enters its nodes: the edges on one side of a node are spread along it in the
     * order of where they go, so they neither start from one point nor cross at the node.
     *
     * @return for the first point after a node: {x where the edge leaves the upper node, -}; for the last point
     *         before a node: {-, x where the edge enters the lower node}
     */
    private static Map<Item, double[]> ports(List<List<Item>> chains) {
        Map<Item, List<Item>> bottomSide = new java.util.IdentityHashMap<>();
        Map<Item, List<Item>> topSide = new java.util.IdentityHashMap<>();
        for (List<Item> chain : chains) {
            if (chain.size() > 1) {
                bottomSide.computeIfAbsent(chain.get(0), k -> new ArrayList<>()).add(chain.get(1));
                topSide.computeIfAbsent(chain.get(chain.size() - 1), k -> new ArrayList<>())
                        .add(chain.get(chain.size() - 2));
            }
        }
        Map<Item, double[]> ports = new java.util.IdentityHashMap<>();
        bottomSide.forEach((node, next) -> spread(node, next, ports, 0));
        topSide.forEach((node, next) -> spread(node, next, ports, 1));
        return ports;
    }

    private static void spread(Item node, List<Item> neighbours, Map<Item, double[]> ports, int slot) {
        List<Item> sorted = new ArrayList<>(neighbours);
        sorted.sort(Comparator.comparingDouble(it -> it.x));
        int k = sorted.size();
        double spacing = k <= 1 ? 0 : Math.min(PORT_SPACING, node.width * 0.7 / (k - 1));
        for (int i = 0; i < k; i++) {
            double x = node.x + (i - (k - 1) / 2.0) * spacing;
            ports.computeIfAbsent(sorted.get(i), key -> new double[2])[slot] = x;
        }
    }

    /** A loop out of the right side of the node and back, with its label right of it. */
    private static GraphLayout.Route selfLoop(Link l, GraphLayout.Rect r) {
        double right = r.x() + r.width();
        double y1 = r.y() + r.height() * 0.3;
        double y2 = r.y() + r.height() * 0.7;
        List<GraphLayout.Point> points = List.of(new GraphLayout.Point(right, y1),
                new GraphLayout.Point(right + LOOP_REACH, y1), new GraphLayout.Point(right + LOOP_REACH, y2),
                new GraphLayout.Point(right, y2));
        GraphLayout.Rect label = l.labelWidth() > 0 ? new GraphLayout.Rect(right + LOOP_REACH + LINE_GAP / 2,
                r.y() + (r.height() - l.labelHeight()) / 2, l.labelWidth(), l.labelHeight()) : null;
        return new GraphLayout.Route(l.from(), l.to(), points, label, false, true);
    }
}
