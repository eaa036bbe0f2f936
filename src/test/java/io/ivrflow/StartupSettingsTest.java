package io.ivrflow;

import io.ivrflow.config.InvalidSettings;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A wrong or contradictory setting stops startup, before anything listens, with one line that names the property
 * and says what is wrong: one case per subsystem, through Camel Main as the jar starts it.
 */
class StartupSettingsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        // Plivo: checking signatures needs a token
        "ivr.plivo.signature-check|true|ivr.plivo.signature-check = \"true\": signatures cannot be checked without a Plivo auth token (ivr.plivo.auth-token, env PLIVO_AUTH_TOKEN)",
        "ivr.plivo.public-url|ivr.example.com|ivr.plivo.public-url = \"ivr.example.com\": expected an http:// or https:// URL with a host",
        // Wazo
        "ivr.wazo.flow|../etc/passwd|ivr.wazo.flow = \"../etc/passwd\": expected a flow id (letters, digits, '.', '_' and '-')",
        "ivr.wazo.lanes|0|ivr.wazo.lanes = \"0\": expected a whole number from 1 to 64",
        // prompts
        "ivr.prompts.backends|polly,espeak|ivr.prompts.backends = \"polly,espeak\": 'espeak' is not one of local, polly",
        // flows
        "ivr.flows.history-versions|none|ivr.flows.history-versions = \"none\": expected a whole number from 1 to 100000",
        // console
        "ivr.console.max-calls|0|ivr.console.max-calls = \"0\": expected a whole number from 1 to 10000",
    })
    void aWrongSettingStopsStartupNamingIt(String key, String value, String line) {
        InvalidSettings invalid = start(key, value);
        assertEquals(List.of(line), invalid.problems().stream().map(InvalidSettings.Problem::line).toList());
    }

    @Test
    void everyWrongSettingIsNamedAtOnceAndSecretsAreNotShown() {
        // the Wazo adapter on with neither an application nor a whole service account, and lanes below one
        InvalidSettings invalid = start("ivr.wazo.enabled", "true", "ivr.wazo.password", "s3cret-password",
                "ivr.wazo.lanes", "-1");
        List<String> lines = invalid.problems().stream().map(InvalidSettings.Problem::line).toList();
        assertEquals(List.of("ivr.wazo.application-uuid = \"00000000-0000-0000-0000-000000000000\": the Wazo adapter is "
                        + "on (ivr.wazo.enabled) but no application is set: give its uuid (env IVR_WAZO_APPLICATION_UUID)",
                "ivr.wazo.username: the Wazo adapter is on but its wazo-auth service account is not set: give "
                        + "ivr.wazo.username and ivr.wazo.password (env WAZO_USERNAME, WAZO_PASSWORD)",
                "ivr.wazo.lanes = \"-1\": expected a whole number from 1 to 64"), lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("s3cret-password")), lines.toString());
    }

    /** The jar: one line per problem on stderr, exit status 2, and no stack trace. */
    @Test
    void theJarSaysItInOneLineAndExitsWith2() throws Exception {
        List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"),
                "-Divr.plivo.signature-check=true",
                "-Dcamel.server.port=" + AvailablePortFinder.getNextAvailable(),
                "-Dcamel.management.port=" + AvailablePortFinder.getNextAvailable(),
                "io.ivrflow.IvrflowApplication"));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process did not end");
        assertEquals(2, p.exitValue(), out + err);
        assertEquals("ivrflow: invalid setting ivr.plivo.signature-check = \"true\": signatures cannot be checked without "
                + "a Plivo auth token (ivr.plivo.auth-token, env PLIVO_AUTH_TOKEN)\n", err, out);
        assertTrue(!out.contains("Exception") && !err.contains("Exception"), out + err);
    }

    /** A mistyped command or option starts nothing: ivrflow's own usage, exit status 2 (Camel Main's would exit 0). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "provison|ivrflow: unknown command 'provison'",
            "-frobnicate|ivrflow: unknown option '-frobnicate'",
            "-duration|ivrflow: option -duration needs a value"})
    void theJarRefusesAnUnknownCommandOrOptionWithItsUsage(String argument, String firstLine) throws Exception {
        Process p = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), "io.ivrflow.IvrflowApplication", argument).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process did not end");
        assertEquals(2, p.exitValue(), out + err);
        assertEquals(firstLine, err.lines().findFirst().orElse(""), err);
        assertTrue(err.contains("java -jar target/ivrflow.jar lint [--strict]"), "ivrflow's usage follows: " + err);
        assertFalse(out.contains("Apache Camel") || err.contains("Apache Camel"), "Camel Main did not start: " + out);
    }

    /** Starts the service with these properties, expecting it to refuse them. */
    private static InvalidSettings start(String... keyValues) {
        Properties p = new Properties();
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        p.put("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("camel.management.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        p.put("ivr.flows.history-directory", "");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        Main main = new Main();
        main.setOverrideProperties(p);
        try {
            main.start();
            throw new AssertionError("the service started with " + p);
        } catch (Exception e) {
            InvalidSettings invalid = IvrflowApplication.invalidSettings(e);
            assertNotNull(invalid, "not a settings problem: " + e);
            return invalid;
        } finally {
            main.stop();
        }
    }
}
