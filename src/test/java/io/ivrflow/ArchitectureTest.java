package io.ivrflow;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules of the code's shape that a compiler does not check on its own: every kind of engine action and event has its
 * visitor method and dispatches to it; the drivers (Plivo, Wazo, the simulator) take actions through the visitor, so
 * a new kind of action does not compile until each handles it; and no two packages import each other, directly or
 * around a loop.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/io/ivrflow");
    /** The drivers: each carries out every kind of action on its platform. */
    private static final List<String> DRIVERS = List.of("plivo/PlivoCalls.java", "wazo/WazoCalls.java",
            "sim/SimulatedCall.java");

    @Test
    void everyKindOfActionAndEventHasItsVisitorMethodAndDispatchesToIt() throws Exception {
        assertVisits(Action.class, Action.Visitor.class);
        assertVisits(Event.class, Event.Visitor.class);
    }

    /** One visitor method per permitted record, and each record's accept calls the method taking it. */
    private static void assertVisits(Class<?> sealed, Class<?> visitor) throws Exception {
        Set<Class<?>> kinds = new HashSet<>(Arrays.asList(sealed.getPermittedSubclasses()));
        Map<Class<?>, Method> methods = new HashMap<>();
        for (Method m : visitor.getDeclaredMethods()) {
            assertEquals(1, m.getParameterCount(), m.toString());
            methods.put(m.getParameterTypes()[0], m);
        }
        assertEquals(kinds, methods.keySet(), visitor.getName() + " has one method per kind of " + sealed.getName());
        for (Class<?> kind : kinds) {
            List<String> called = new ArrayList<>();
            Object proxy = Proxy.newProxyInstance(visitor.getClassLoader(), new Class<?>[] {visitor},
                    (p, method, args) -> {
                        called.add(method.getName());
                        return null;
                    });
            Object instance = instance(kind);
            kind.getMethod("accept", visitor).invoke(instance, proxy);
            assertEquals(List.of(methods.get(kind).getName()), called, kind.getSimpleName() + ".accept");
        }
    }

    /** A record with default values for its components. */
    private static Object instance(Class<?> record) throws Exception {
        var components = record.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = types[i] == boolean.class ? false : types[i] == int.class ? 0
                    : types[i] == Map.class ? Map.of() : types[i] == String.class ? "" : null;
        }
        return record.getDeclaredConstructor(types).newInstance(values);
    }

    @Test
    void theDriversTakeEveryActionThroughTheVisitor() throws IOException {
        for (String driver : DRIVERS) {
            String source = Files.readString(SOURCES.resolve(driver));
            assertTrue(source.contains("implements Action.Visitor<") || source.contains("new Action.Visitor<"),
                    driver + " carries out actions through Action.Visitor");
            assertTrue(source.contains(".accept("), driver + " dispatches with accept");
            Matcher chain = Pattern.compile("(\\w+) instanceof Action\\.").matcher(source);
            assertTrue(!chain.find(), driver + " picks an action by instanceof (" + (chain.find(0) ? chain.group() : "")
                    + "): a new kind would be ignored without a compile error");
        }
    }

    @Test
    void noPackageImportCycle() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Pattern reference = Pattern.compile("io\\.ivrflow\\.([a-z]+)\\.");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(f);
                String pkg = relative.getNameCount() == 1 ? "" : relative.getName(0).toString();
                Matcher m = reference.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            }
        }
        // the root package is the composition root: it uses every package and none uses it
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            if (!e.getKey().isEmpty()) {
                assertTrue(!e.getValue().contains(""), e.getKey() + " uses the composition root");
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            cycle(start, start, uses, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(List.of(), cycles, "package dependencies: " + uses);
    }

    private static void cycle(String start, String at, Map<String, Set<String>> uses, List<String> path,
                              List<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                cycle(start, next, uses, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }
}
