package io.ivrflow.console;

import io.ivrflow.flow.Edge;
import io.ivrflow.flow.Flow;
import io.ivrflow.flow.FlowCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example flows as the console draws them: which lines there are and what is written on them. */
class ConsoleGraphTest {

    private static final FlowCatalog FLOWS = ConsoleTestFlows.examples();

    private static Flow flow(String id) {
        return FLOWS.find(id).orElseThrow();
    }

    private static FlowGraph.GraphEdge edge(FlowGraph g, String from, String to) {
        return g.edges().stream().filter(e -> e.from().equals(from) && e.to().equals(to)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + from + " -> " + to));
    }

    private static List<String> texts(FlowGraph.GraphEdge e) {
        return e.labels().stream().map(EdgeLabel::text).toList();
    }

    private static List<String> kinds(FlowGraph.GraphEdge e) {
        return e.labels().stream().map(EdgeLabel::kind).toList();
    }

    @Test
    void everyExitOfEveryExampleFlowIsOnExactlyOneLine() {
        for (Flow f : FLOWS.all()) {
            FlowGraph g = FlowGraph.of(f);
            assertEquals(f.nodes().keySet(), g.nodes().stream().map(FlowGraph.GraphNode::id)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new)), f.id());
            List<String> drawn = new ArrayList<>();
            for (FlowGraph.GraphEdge e : g.edges()) {
                assertEquals(e.exits().size(), e.labels().size(), f.id() + " " + e);
                assertNotNull(e.label(), "every line has its label: " + e);
                e.exits().forEach(x -> drawn.add(new Edge(e.from(), x, e.to(), "").key()));
            }
            List<String> declared = f.edges().stream().filter(e -> e.target() != null)
                    .map(e -> new Edge(e.from(), e.label(), e.target(), "").key()).toList();
            assertEquals(Set.copyOf(declared), Set.copyOf(drawn), f.id());
            assertEquals(drawn.size(), new HashSet<>(drawn).size(), "an exit drawn twice in " + f.id());
            // one line per pair of nodes
            assertEquals(g.edges().size(), g.edges().stream().map(e -> e.from() + ">" + e.to()).distinct().count());
        }
    }

    @Test
    void contactCentreMenuLinesSayTheirDigitsAndTheSpentBudgets() {
        FlowGraph g = FlowGraph.of(flow("contact-centre"));
        assertEquals(List.of("1"), texts(edge(g, "main_menu", "tag_sales")));
        assertEquals(List.of("key"), kinds(edge(g, "main_menu", "tag_sales")));
        assertEquals(List.of("2"), texts(edge(g, "main_menu", "start_recording")));
        assertEquals(List.of("*"), texts(edge(g, "support_menu", "main_menu")));
        FlowGraph.GraphEdge repeat = edge(g, "main_menu", "main_menu");
        assertTrue(repeat.selfLoop());
        assertEquals(List.of("9 repeat"), texts(repeat));
        FlowGraph.GraphEdge fallback = edge(g, "main_menu", "operator");
        assertEquals(List.of("no input ×3", "no match ×3"), texts(fallback));
        assertEquals(List.of("retry", "retry"), kinds(fallback));
        assertEquals(List.of("noInput", "noMatch"), fallback.exits());
        // a language choice names the language each key picks; its spent budgets keep the language and go on
        assertEquals(List.of("1 en-US", "2 es-US", "no input ×2", "no match ×2"), texts(edge(g, "language", "main_menu")));
        assertEquals(List.of("entered"), texts(edge(g, "support_callback", "callback_confirm")));
    }

    @Test
    void contactCentreScheduleConditionLookupAndFailureLines() {
        FlowGraph g = FlowGraph.of(flow("contact-centre"));
        assertEquals(List.of("open"), texts(edge(g, "hours", "language")));
        assertEquals(List.of("closed"), texts(edge(g, "hours", "closed_message")));
        assertEquals(List.of("holiday"), texts(edge(g, "hours", "holiday_message")));
        assertEquals(List.of("schedule"), kinds(edge(g, "hours", "holiday_message")));

        assertEquals(List.of("vip = true"), texts(edge(g, "vip_check", "vip_greeting")));
        assertEquals(List.of("condition"), kinds(edge(g, "vip_check", "vip_greeting")));
        assertEquals(List.of("otherwise"), texts(edge(g, "vip_check", "hours")));
        assertEquals(List.of("payment_status = approved"), texts(edge(g, "after_payment", "goodbye")));

        assertEquals(List.of("found"), texts(edge(g, "caller_lookup", "vip_check")));
        assertEquals(List.of("not found", "failure/timeout"), texts(edge(g, "caller_lookup", "hours")));
        assertEquals(List.of("failure"), texts(edge(g, "account_manager", "hours")));
        assertEquals(List.of("failure"), kinds(edge(g, "account_manager", "hours")));
        assertEquals(List.of("no agents", "failure"), texts(edge(g, "sales", "sales_busy")));
        assertEquals(List.of("next", "failure"), texts(edge(g, "start_recording", "support_menu")));
        assertEquals(List.of("returned"), texts(edge(g, "payment", "after_payment")));
        assertEquals(List.of("next"), texts(edge(g, "billing", "payment")));
    }

    @Test
    void conditionsAreWrittenWithTheirOperator() {
        FlowGraph g = FlowGraph.of(flow("card-payment"));
        assertEquals(List.of("payment_attempts < 2"), texts(edge(g, "retry_check", "declined_retry")));
        assertEquals(List.of("otherwise"), texts(edge(g, "retry_check", "resume_failed")));
    }

    @Test
    void nodesSayWhatTheyAreInAFewWords() {
        FlowGraph g = FlowGraph.of(flow("contact-centre"));
        var byId = g.nodes().stream().collect(Collectors.toMap(FlowGraph.GraphNode::id, n -> n));
        assertEquals("play chime.wav", byId.get("chime").summary());
        assertTrue(byId.get("chime").start());
        assertFalse(byId.get("welcome").start());
        assertEquals("menu 1 2 3 9", byId.get("main_menu").summary());
        assertEquals("queue sales", byId.get("sales").summary());
        assertEquals("sub-flow card-payment", byId.get("payment").summary());
        assertEquals("transfer 1000", byId.get("operator").summary());
        assertEquals("input", byId.get("main_menu").family());
        assertEquals("decision", byId.get("hours").family());
        assertEquals("exit", byId.get("sales").family());
        assertEquals("end", byId.get("goodbye").family());
        assertEquals("jump", byId.get("payment").family());
        assertEquals("action", byId.get("caller_lookup").family());
        // a name fits its box: the box is at least as wide as the name in the graph's monospace font
        for (FlowGraph.GraphNode n : g.nodes()) {
            assertTrue(n.width() >= n.id().length() * FlowGraph.NAME_CHAR, n.id());
            assertTrue(n.width() >= n.summary().length() * FlowGraph.SMALL_CHAR, n.id());
        }
    }

    @Test
    void aLabelIsAsWideAsItsLongestLineAndAsTallAsItsLines() {
        FlowGraph g = FlowGraph.of(flow("contact-centre"));
        for (FlowGraph.GraphEdge e : g.edges()) {
            int longest = e.labels().stream().mapToInt(l -> l.text().length()).max().orElse(0);
            assertTrue(e.label().width() >= longest * FlowGraph.SMALL_CHAR, e.toString());
            assertTrue(e.label().height() >= e.labels().size() * FlowGraph.LABEL_LINE, e.toString());
        }
    }
}
