package io.ivrflow.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel Main reads {@code routes/beans.camel.yaml} twice at startup and binds each bean again the second time: a
 * {@code #bean:} reference to a bean declared further down gets the first reading's instance, which is then
 * replaced. Two copies of a bean with state (a cache, a thread pool, counters) follow. Hence: references go up.
 */
class BeansOrderTest {

    private static final Pattern NAME = Pattern.compile("^\\s*- name:\\s*(\\S+)\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("#bean:([A-Za-z0-9_]+)");

    @Test
    void everyBeanReferenceNamesABeanDeclaredAboveIt() throws Exception {
        Set<String> declared = new HashSet<>();
        List<String> forward = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("routes/beans.camel.yaml"));
        int references = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher name = NAME.matcher(line);
            if (name.matches()) {
                declared.add(name.group(1));
                continue;
            }
            Matcher ref = REFERENCE.matcher(line);
            while (ref.find()) {
                references++;
                if (!declared.contains(ref.group(1))) {
                    forward.add("line " + (i + 1) + ": #bean:" + ref.group(1));
                }
            }
        }
        assertTrue(references >= 10, "the check found the references: " + references);
        assertTrue(declared.containsAll(List.of("flowRepository", "prompts", "callMetrics", "callJournal")), declared.toString());
        assertTrue(forward.isEmpty(), "references to beans declared further down: " + forward);
    }
}
