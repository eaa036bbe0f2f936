package io.ivrflow.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.ServiceTestSupport;
import io.ivrflow.plivo.FakePlivoApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's curl commands, run by bash exactly as written, against the service started as the README says
 * (its token for the flows API, Plivo played by a fake): only the ports (free ones here) and {@code <version>} (the
 * version serving) are put in. Each must get a successful answer.
 */
class ReadmeCommandsTest extends ServiceTestSupport {

    private final FakePlivoApi plivo = FakePlivoApi.start();
    private Path flows;
    private Path work;

    @Override
    protected void properties(Properties p) {
        try {
            // the flows API's DELETE removes a flow: the service serves a copy of flows/
            flows = Files.createTempDirectory("ivrflow-readme-flows");
            try (Stream<Path> files = Files.list(Path.of("flows"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, flows.resolve(f.getFileName()));
                }
            }
            work = Files.createTempDirectory("ivrflow-readme-work");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("ivr.flows.directory", flows.toString());
        p.put("ivr.manage.token", "change-me");
        p.put("ivr.plivo.api-url", plivo.url());
        p.put("ivr.plivo.auth-id", plivo.authId());
        p.put("ivr.plivo.auth-token", plivo.authToken());
        p.put("ivr.plivo.signature-check", "false");
        p.put("ivr.plivo.caller-id", "+15550001111");
        p.put("ivr.api.token", "readme-api-token");
    }

    @AfterEach
    void stopPlivo() {
        plivo.close();
    }

    @Test
    void everyCurlCommandOfTheReadmeWorksAsWritten() throws Exception {
        List<String> commands = commands(Files.readString(Path.of("README.md")));
        assertEquals(11, commands.size(), commands.toString());
        String version = null;
        for (String written : commands) {
            if (written.contains("<version>") && version == null) {
                version = json(get(managementPort, "/manage/flows/inspireworks/lint", "Authorization",
                        "Bearer change-me")).path("version").asText();
            }
            String command = written.replace("localhost:8080", "localhost:" + httpPort)
                    .replace("localhost:9876", "localhost:" + managementPort)
                    .replace("<version>", String.valueOf(version));
            String out = bash(command);
            if (command.contains("-o inspireworks.json")) {
                JsonNode saved = JSON.readTree(work.resolve("inspireworks.json").toFile());
                assertEquals("inspireworks", saved.path("id").asText(), written);
            } else if (command.contains("/plivo/")) {
                assertTrue(out.contains("<GetDigits"), written + "\n" + out);
            } else {
                JsonNode answer = JSON.readTree(out);
                assertFalse(answer.has("error"), written + "\n" + out);
            }
        }
        assertTrue(plivo.requestUuids().size() == 1, "the outbound call was placed");
        assertFalse(Files.exists(flows.resolve("inspireworks.json")), "the last command deleted the flow");
    }

    /**
     * The commands of the README's shell blocks that call the service, continuation lines joined, each with the
     * {@code export} and {@code H=} lines written before it in its block.
     */
    static List<String> commands(String readme) {
        List<String> out = new ArrayList<>();
        boolean inShell = false;
        List<String> setup = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : readme.split("\n")) {
            if (line.startsWith("```")) {
                inShell = !inShell && line.equals("```sh");
                setup.clear();
                continue;
            }
            if (!inShell) {
                continue;
            }
            String l = line.replaceAll("\\s+#.*$", "");
            if (l.endsWith("\\")) {
                pending.append(l, 0, l.length() - 1);
                continue;
            }
            String full = pending.append(l).toString().trim();
            pending.setLength(0);
            if (full.startsWith("export ") || full.startsWith("H=")) {
                setup.add(full);
            } else if (full.startsWith("curl ") && full.contains("localhost")) {
                out.add(String.join("\n", setup) + (setup.isEmpty() ? "" : "\n") + full);
            }
        }
        return out;
    }

    private String bash(String script) throws Exception {
        ProcessBuilder b = new ProcessBuilder("bash", "-c", "set -e\n" + script).directory(work.toFile());
        b.environment().put("IVR_API_TOKEN", "readme-api-token");
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), script);
        assertEquals(0, p.exitValue(), script + "\n" + out + err);
        return out;
    }
}
