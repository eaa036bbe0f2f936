package io.ivrflow.prompts;

import io.ivrflow.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ivrflow prompts}: real espeak-ng into a temporary cache. */
class PromptsCommandTest {

    @TempDir
    Path dir;

    private static final String FLOW = """
            {
              "ivrflow": 1,
              "id": "small",
              "start": "hello",
              "languages": ["en-US", "es-US"],
              "nodes": {
                "hello": {"type": "say", "prompt": {"en-US": "Hello.", "es-US": "Hola."}, "next": "vip"},
                "vip": {"type": "say", "prompt": {"en-US": {"ssml": "<speak>Welcome back, ${name}.</speak>"},
                                                  "es-US": {"ssml": "<speak>Bienvenido, ${name}.</speak>"}},
                        "next": "bye"},
                "bye": {"type": "hangup", "prompt": {"en-US": "Goodbye.", "es-US": "Adiós."}}
              }
            }
            """;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private long wavFiles(Path cache) throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.toString().endsWith(".wav")).count();
        }
    }

    @Test
    void makesEveryPromptInEveryLanguageWithProgressThenFindsThemCached() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("small.json"), FLOW);
        Path cache = dir.resolve("cache");
        Run first = run("prompts", "--cache", cache.toString(), "--wazo", flows.toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        // 3 prompts + 3 engine messages, in 2 languages, for 2 platforms
        List<String> progress = first.out().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(24, progress.size(), first.out());
        assertTrue(progress.get(progress.size() - 1).startsWith("[24/24] "), progress.toString());
        assertTrue(first.out().contains("small /nodes/vip/prompt es-US wazo: made"), first.out());
        assertTrue(first.out().contains("24 prompt(s): 24 made, 0 already cached"), first.out());
        assertEquals(24, wavFiles(cache), "WAV at 22.05 kHz for Plivo (no MP3 offline) and 8 kHz for Wazo");

        Run second = run("prompts", "--cache", cache.toString(), "--wazo", flows.toString());
        assertEquals(0, second.exit());
        assertTrue(second.out().contains("24 prompt(s): 0 made, 24 already cached"), second.out());
        assertEquals(24, wavFiles(cache));
    }

    @Test
    void aDeclaredLanguageWithoutAPromptStopsItBeforeAnythingIsMade() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("small.json"), FLOW.replace(", \"es-US\": \"Adiós.\"", ""));
        Path cache = dir.resolve("cache");
        Run r = run("prompts", "--cache", cache.toString(), flows.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("error [missing-prompt] /nodes/bye/prompt: no es-US version"), r.out());
        assertTrue(r.err().contains("no prompt was made"), r.err());
        assertTrue(!Files.exists(cache) || wavFiles(cache) == 0);
    }

    @Test
    void wordsOverPollysLimitStopIt() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("small.json"), FLOW.replace("\"Hello.\"", "\"" + "Hello. ".repeat(500) + "\""));
        Run r = run("prompts", "--cache", dir.resolve("cache").toString(), flows.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("[prompt-length] /nodes/hello/prompt/en-US/text"), r.out());
    }

    @Test
    void aBackendThatCannotRunFailsTheCommandAndSaysWhich() throws Exception {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("small.json"), FLOW);
        Run r = run("prompts", "--cache", dir.resolve("cache").toString(), "--backends", "nope", flows.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--backends = \"nope\": 'nope' is not one of local, polly"), r.err());
    }
}
