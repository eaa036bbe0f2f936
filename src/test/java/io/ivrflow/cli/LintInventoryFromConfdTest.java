package io.ivrflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ivrflow.wazo.fake.FakeWazo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lint --inventory <confd URL>} against the fake Wazo (every request checked against confd's and
 * wazo-auth's OpenAPI specs): the service account's token, every page of each list, and the flows' names checked
 * against what confd has.
 */
class LintInventoryFromConfdTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeWazo wazo;

    @BeforeAll
    static void start() throws Exception {
        wazo = FakeWazo.startRealTime("fake-wazo-inventory-timers");
        ArrayNode queues = JSON.createArrayNode();
        queues.addObject().put("id", 1).put("name", "sales").put("label", "Sales team");
        queues.addObject().put("id", 2).put("name", "helpdesk").put("label", "support");
        wazo.confdItems.put("queues", queues);
        ArrayNode extensions = JSON.createArrayNode();
        // more than a page: 1,200 extensions of users, then the operator's
        for (int i = 0; i < 1_200; i++) {
            extensions.addObject().put("id", i).put("exten", String.valueOf(20_000 + i)).put("context", "default");
        }
        extensions.addObject().put("id", 5000).put("exten", "1000").put("context", "default");
        extensions.addObject().put("id", 5001).put("exten", "1001").put("context", "default");
        wazo.confdItems.put("extensions", extensions);
        ArrayNode voicemails = JSON.createArrayNode();
        voicemails.addObject().put("id", 1).put("name", "general").put("number", "8000").put("context", "default");
        wazo.confdItems.put("voicemails", voicemails);
        ArrayNode agents = JSON.createArrayNode();
        agents.addObject().put("id", 7).put("number", "2001");
        wazo.confdItems.put("agents", agents);
    }

    @AfterAll
    static void stop() {
        wazo.close();
    }

    private record Output(int code, String out, String err) {
    }

    private static Output lint(Map<String, String> environment, String... paths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[paths.length + 3];
        args[0] = "lint";
        args[1] = "--inventory";
        args[2] = wazo.url("confd");
        System.arraycopy(paths, 0, args, 3, paths.length);
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment);
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> account() {
        return Map.of("WAZO_USERNAME", FakeWazo.USERNAME, "WAZO_PASSWORD", FakeWazo.PASSWORD,
                "WAZO_AUTH_URL", wazo.url("auth"));
    }

    @Test
    void namesConfdLacksAreErrorsAndEveryPageIsRead() {
        wazo.clearRequests();
        Output o = lint(account(), "flows");
        assertEquals(1, o.code(), o.out() + o.err());
        List<String> errors = o.out().lines().filter(l -> l.contains("error [inventory]")).toList();
        assertEquals(List.of(
                "flows/contact-centre.json:186:18: error [inventory] /nodes/sales_busy/mailbox: mailbox \"sales\" is not"
                        + " among the platform's mailboxes (127.0.0.1 (confd)): it has 8000, 8000@default, general",
                "flows/wazo-ivr-plugin.json:19:19: error [inventory] /support_queue/target: extension \"1002\" is not"
                        + " among the platform's extensions (127.0.0.1 (confd)): it has 1000, 1000@default, 1001,"
                        + " 1001@default, 20000, 20000@default, 20001, 20001@default, 20002, 20002@default ... (2404 in"
                        + " all); did you mean \"1000\"?",
                "flows/wazo-ivr-plugin.json:24:19: error [inventory] /voicemail_menu/target: extension"
                        + " \"voicemail_ext\" is not among the platform's extensions (127.0.0.1 (confd)): it has 1000,"
                        + " 1000@default, 1001, 1001@default, 20000, 20000@default, 20001, 20001@default, 20002,"
                        + " 20002@default ... (2404 in all)"), errors);
        List<String> pages = wazo.requests().stream().filter(r -> r.service().equals("confd"))
                .map(r -> r.path().substring(r.path().lastIndexOf('/')) + "?" + r.query()).toList();
        assertEquals(List.of("/queues?limit=500&offset=0", "/extensions?limit=500&offset=0",
                "/extensions?limit=500&offset=500", "/extensions?limit=500&offset=1000",
                "/voicemails?limit=500&offset=0", "/agents?limit=500&offset=0"), pages);
        assertEquals(List.of(), wazo.violations(), "requests that break Wazo's OpenAPI specs");
        assertFalse(o.out().contains(FakeWazo.PASSWORD) || o.err().contains(FakeWazo.PASSWORD));
    }

    @Test
    void withoutTheServiceAccountOrWithAWrongOneItSaysWhatToSet() {
        Output none = lint(Map.of(), "flows");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("ivrflow: inventory from " + wazo.url("confd") + ": reading confd needs the"
                + " service account: set WAZO_USERNAME and WAZO_PASSWORD"), none.err());

        Output wrong = lint(Map.of("WAZO_USERNAME", FakeWazo.USERNAME, "WAZO_PASSWORD", "not-it",
                "WAZO_AUTH_URL", wazo.url("auth")), "flows");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("wazo-auth answered 401"), wrong.err());
        assertFalse(wrong.err().contains("not-it"), "the password is not shown: " + wrong.err());
    }
}
