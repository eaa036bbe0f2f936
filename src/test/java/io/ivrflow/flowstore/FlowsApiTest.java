package io.ivrflow.flowstore;

import io.ivrflow.ops.ApiError;
import io.ivrflow.ops.BearerToken;
import io.ivrflow.ops.HttpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flows API's rules without HTTP: the token, bounded bodies, If-Match forms (OperateRouteTest goes over HTTP). */
class FlowsApiTest {

    @TempDir
    Path dir;

    private FlowsApi api(String token) throws Exception {
        Files.copy(Path.of("src/test/resources/operate/hotline-v1.json"), dir.resolve("hotline.json"));
        FlowRepository repo = new FlowRepository(dir.toString());
        repo.load();
        return new FlowsApi(repo, BearerToken.of(token));
    }

    private static int status(Runnable call) {
        return assertThrows(ApiError.class, call::run).status();
    }

    @Test
    void withoutAConfiguredTokenTheApiIsOffEvenForAnEmptyBearer() throws Exception {
        FlowsApi api = api("  ");
        for (String auth : new String[] {null, "Bearer ", "Bearer  ", "Basic Og=="}) {
            ApiError e = assertThrows(ApiError.class, () -> api.authorize(auth));
            assertEquals(403, e.status(), String.valueOf(auth));
            assertTrue(e.getMessage().contains("IVR_MANAGE_TOKEN"), e.getMessage());
        }
    }

    @Test
    void theTokenIsCheckedWithItsSchemeAndTheBodyIsBounded() throws Exception {
        FlowsApi api = api("s3cret");
        ApiError wrong = assertThrows(ApiError.class, () -> api.authorize("Bearer wrong"));
        assertEquals(401, wrong.status());
        assertEquals("Bearer", wrong.headers().get("WWW-Authenticate"));
        assertEquals(401, status(() -> api.authorize("s3cret")), "the scheme is required");
        api.authorize("bearer s3cret"); // the scheme is case-blind: no refusal
        assertEquals(413, status(() -> api.put("hotline", new byte[2_000_001], null)));
        assertEquals(400, status(() -> api.get("../etc")), "not a flow id");
        assertEquals(404, status(() -> api.lint("nope")));
    }

    @Test
    void ifMatchTakesQuotedWeakAndStarForms() throws Exception {
        FlowsApi api = api("t");
        String version = (String) api.lint("hotline").get("version");
        byte[] body = Files.readString(dir.resolve("hotline.json")).replace("Goodbye.", "Bye now.")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(412, status(() -> api.put("hotline", body, "\"0000000000000000\"")));
        HttpReply weak = api.put("hotline", body, "W/\"" + version + "\"");
        assertEquals(200, weak.status());
        byte[] again = Files.readString(dir.resolve("hotline.json")).replace("Bye now.", "See you.")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, api.put("hotline", again, "*").status(), "* matches any version");
    }
}
