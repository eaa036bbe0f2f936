package io.ivrflow.flowstore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flows API without HTTP: its decisions on the token, the body and the paths. */
class FlowsApiTest {

    @TempDir
    Path dir;

    private FlowsApi api(String token) throws Exception {
        Files.copy(Path.of("src/test/resources/operate/hotline-v1.json"), dir.resolve("hotline.json"));
        FlowRepository repo = new FlowRepository(dir.toString());
        repo.load();
        FlowsApi api = new FlowsApi();
        api.setRepository(repo);
        api.setToken(token);
        return api;
    }

    private static FlowsApi.Request get(String path, String authorization) {
        return new FlowsApi.Request("GET", path, null, authorization, null);
    }

    @Test
    void withoutAConfiguredTokenTheApiIsOffEvenForAnEmptyBearer() throws Exception {
        FlowsApi api = api("  ");
        for (String auth : new String[] {null, "Bearer ", "Bearer  ", "Basic Og=="}) {
            FlowsApi.Reply r = api.answer(get("/manage/flows", auth));
            assertEquals(403, r.status(), String.valueOf(auth));
            assertTrue(r.text().contains("IVR_MANAGE_TOKEN"), r.text());
        }
    }

    @Test
    void theTokenIsCheckedBeforeAnythingElseAndTheBodyIsBounded() throws Exception {
        FlowsApi api = api("s3cret");
        assertEquals(401, api.answer(get("/manage/flows/nope/versions/x", "Bearer wrong")).status());
        assertEquals(401, api.answer(get("/manage/flows", "s3cret")).status(), "the scheme is required");
        assertEquals(200, api.answer(get("/manage/flows", "bearer s3cret")).status(), "the scheme is case-blind");
        byte[] huge = new byte[FlowsApi.MAX_BODY + 1];
        assertEquals(413, api.answer(new FlowsApi.Request("PUT", "/manage/flows/hotline", huge, "Bearer s3cret", null))
                .status());
        assertEquals(404, api.answer(get("/manage/other", "Bearer s3cret")).status());
        assertEquals(404, api.answer(get("/manage/flows/hotline/unknown", "Bearer s3cret")).status());
    }

    @Test
    void ifMatchTakesQuotedWeakAndStarForms() throws Exception {
        FlowsApi api = api("t");
        String version = api.answer(get("/manage/flows/hotline/lint", "Bearer t")).text()
                .replaceAll("(?s).*\"version\" : \"([0-9a-f]{16})\".*", "$1");
        byte[] body = Files.readString(dir.resolve("hotline.json")).replace("Goodbye.", "Bye now.")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(412, api.answer(new FlowsApi.Request("PUT", "/manage/flows/hotline", body, "Bearer t",
                "\"0000000000000000\"")).status());
        assertEquals(200, api.answer(new FlowsApi.Request("PUT", "/manage/flows/hotline", body, "Bearer t",
                "W/\"" + version + "\"")).status());
        byte[] again = Files.readString(dir.resolve("hotline.json")).replace("Bye now.", "See you.")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(200, api.answer(new FlowsApi.Request("PUT", "/manage/flows/hotline", again, "Bearer t", "*"))
                .status(), "* matches any version");
    }
}
