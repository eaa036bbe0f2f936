package io.ivrflow.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivrflow.engine.Engine;
import io.ivrflow.engine.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Flow files broken in every way a hand or a tool can break one: the example flows with values removed, replaced by
 * values of another type, empty, huge or odd, keys renamed, parts copied elsewhere, then the bytes cut short or
 * changed. The loader never throws, answers every problem with the file and a JSON pointer, gives a flow whenever
 * there is no error (and says why when it gives none), and what it gives can be linted and called.
 */
class FlowFileProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = Path.of("fuzzed.json");
    private static final List<byte[]> EXAMPLES = examples();

    private static List<byte[]> examples() {
        try {
            List<byte[]> all = new ArrayList<>();
            for (Path p : FlowFiles.list(Path.of("flows"))) {
                all.add(Files.readAllBytes(p));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 800, seed = "665234002987372764")
    void theLoaderAnswersWithPointersNeverWithAnException(@ForAll("brokenFlows") byte[] content) {
        FlowLoader.Loaded loaded = new FlowLoader().load(FILE, content);
        net.jqwik.api.statistics.Statistics.label("loaded").collect(loaded.flow() == null ? "no flow"
                : loaded.hasErrors() ? "flow with errors" : "flow");
        for (Diagnostic d : loaded.diagnostics()) {
            assertEquals(FILE.toString(), d.file());
            assertTrue(d.pointer().isEmpty() || d.pointer().startsWith("/"), d.format());
            assertFalse(d.message().isBlank(), d.format());
            assertNotNull(d.severity());
        }
        if (loaded.flow() == null) {
            assertTrue(loaded.hasErrors(), "no flow, and no error to say why");
        }
        if (!loaded.hasErrors()) {
            assertNotNull(loaded.flow(), "no error but no flow");
            FlowLoader.Loaded linted = FlowFiles.check(new FlowLoader(), FILE, content, FlowCatalog.of(List.of()));
            linted.diagnostics().forEach(d -> assertTrue(d.pointer().isEmpty() || d.pointer().startsWith("/")));
            if (!linted.hasErrors()) {
                // a flow that passes lint can take a call
                Engine engine = new Engine(FlowCatalog.of(List.of(linted.flow())));
                assertNotNull(engine.start(linted.flow().id(), new Event.CallStarted("c-1", "+15550100000",
                        "+15550199999", "test", null, Map.of()), Instant.parse("2026-12-04T10:00:00Z")).state());
            }
        }
    }

    // ---------------------------------------------------------------- how flows get broken

    @Provide
    Arbitrary<byte[]> brokenFlows() {
        Arbitrary<JsonNode> example = Arbitraries.of(EXAMPLES).map(FlowFileProperties::tree);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<byte[]> mutated = Combinators.combine(example, mutations).as((tree, ms) -> {
            for (Mutation m : ms) {
                m.apply(tree);
            }
            return tree.toString().getBytes(StandardCharsets.UTF_8);
        });
        return Arbitraries.oneOf(mutated, mutated, mutated, Combinators.combine(mutated, bytes()).as(ByteChange::apply),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    private static JsonNode tree(byte[] b) {
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A change at the {@code pick}-th container of the tree (counted depth first, wrapping round). */
    private record Mutation(int pick, int kind, JsonNode value, String name) {
        void apply(JsonNode root) {
            List<ContainerNode<?>> containers = new ArrayList<>();
            collect(root, containers);
            ContainerNode<?> at = containers.get(Math.floorMod(pick, containers.size()));
            if (at instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String field = names.get(Math.floorMod(pick, names.size()));
                switch (kind) {
                    case 0 -> o.remove(field);
                    case 1 -> o.set(name, o.remove(field));
                    case 2 -> o.set(name, value);
                    default -> o.set(field, value);
                }
            } else if (at instanceof ArrayNode a && a.size() > 0) {
                int i = Math.floorMod(pick, a.size());
                switch (kind) {
                    case 0 -> a.remove(i);
                    case 1 -> a.add(a.get(i).deepCopy());
                    default -> a.set(i, value);
                }
            }
        }

        private static void collect(JsonNode n, List<ContainerNode<?>> out) {
            if (n instanceof ContainerNode<?> c) {
                out.add(c);
                n.elements().forEachRemaining(e -> collect(e, out));
            }
        }
    }

    private Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 4),
                value(), Arbitraries.oneOf(Arbitraries.of("type", "next", "start", "nodes", "prompt", "options",
                        "target", "$ref", "__proto__"), Arbitraries.strings().ofMaxLength(10))).as(Mutation::new);
    }

    /** Values of every type and size. */
    private Arbitrary<JsonNode> value() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(f::textNode),
                Arbitraries.of("", "${caller}", "menu", "hangup", "say", "main_menu", "en-US", "25:00", "mon-fri",
                        "queue", "route_to_queue", "transfer_to_extension", "\u0000", "\ud83d\ude00").map(f::textNode),
                Arbitraries.strings().ofMinLength(10_000).ofMaxLength(60_000).map(f::textNode),
                Arbitraries.integers().map(i -> (JsonNode) f.numberNode(i)),
                Arbitraries.of(0.5, -1.0, 1e300, Double.MIN_VALUE).map(d -> (JsonNode) f.numberNode(d)),
                Arbitraries.of(f.booleanNode(true), f.nullNode(), f.arrayNode(), f.objectNode()),
                Arbitraries.strings().ofMaxLength(5).list().ofMaxSize(4).map(l -> {
                    ArrayNode a = f.arrayNode();
                    l.forEach(a::add);
                    return a;
                }));
    }

    /** The serialised bytes cut short at, or changed at, a position. */
    private record ByteChange(int at, byte to, boolean cut) {
        static byte[] apply(byte[] content, ByteChange c) {
            int i = Math.floorMod(c.at, Math.max(1, content.length));
            if (c.cut) {
                return java.util.Arrays.copyOf(content, i);
            }
            byte[] changed = content.clone();
            if (changed.length > 0) {
                changed[i] = c.to;
            }
            return changed;
        }
    }

    private Arbitrary<ByteChange> bytes() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.bytes(), Arbitraries.of(true, false))
                .as(ByteChange::new);
    }
}
