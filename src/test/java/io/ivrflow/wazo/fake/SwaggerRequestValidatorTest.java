package io.ivrflow.wazo.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator against the real Wazo specs: what a real Wazo service accepts must pass, what it refuses must not. */
class SwaggerRequestValidatorTest {

    static final Path SPECS = Path.of("src/test/resources/wazo-openapi");
    static final String APP = "6f1d7a52-3e0b-4b8e-9a43-1c2d3e4f5a6b";
    static final String NODE = "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d";
    static final String PLAYBACK = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    static final String MOH = "b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e";
    static final String USER = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
    static final String CALL = "1700000000.42";
    static final String APP_CALL = "/1.0/applications/" + APP + "/calls/" + CALL;

    static SwaggerRequestValidator calld;
    static SwaggerRequestValidator confd;
    static SwaggerRequestValidator dird;
    static SwaggerRequestValidator auth;
    static SwaggerRequestValidator agentd;

    @BeforeAll
    static void loadSpecs() {
        calld = SwaggerRequestValidator.load(SPECS.resolve("calld.yml"));
        confd = SwaggerRequestValidator.load(SPECS.resolve("confd.yml"));
        dird = SwaggerRequestValidator.load(SPECS.resolve("dird.yml"));
        auth = SwaggerRequestValidator.load(SPECS.resolve("auth.yml"));
        agentd = SwaggerRequestValidator.load(SPECS.resolve("agentd.yml"));
    }

    // ---- helpers

    static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    /** A token and a JSON content type, header names in the case a client might use. */
    static Map<String, List<String>> token() {
        return headers("x-auth-token", "3b7a9c1e-token", "content-type", "application/json");
    }

    static byte[] bytes(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> call(SwaggerRequestValidator validator, String method, String path, String query,
                             String body) {
        return validator.validate(method, path, query, token(), bytes(body));
    }

    static void assertValid(List<String> violations) {
        assertEquals(List.of(), violations);
    }

    /** Exactly one violation, naming the operation and containing each fragment. */
    static void assertViolation(List<String> violations, String operation, String... fragments) {
        assertEquals(1, violations.size(), () -> "expected one violation, got " + violations);
        String violation = violations.get(0);
        assertTrue(violation.startsWith(operation + ": "), () -> violation + " should start with " + operation);
        for (String fragment : fragments) {
            assertTrue(violation.contains(fragment), () -> violation + " should mention " + fragment);
        }
    }

    // ---- loading

    @Test
    void loadsTheFiveSpecsWithTheirBasePaths() {
        assertEquals("/1.0", calld.basePath());
        assertEquals("/1.1", confd.basePath());
        assertEquals("/0.1", dird.basePath());
        assertEquals("/0.1", auth.basePath());
        assertEquals("/1.0", agentd.basePath());
    }

    /** Each operation, its template filled with "1", is found again: no route hides another. */
    @Test
    void everyOperationOfEverySpecRoutesToItself() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, SwaggerRequestValidator> validators = Map.of(
                "calld", calld, "confd", confd, "dird", dird, "auth", auth, "agentd", agentd);
        List<String> misrouted = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, SwaggerRequestValidator> service : validators.entrySet()) {
            JsonNode paths = yaml.readTree(SPECS.resolve(service.getKey() + ".yml").toFile()).path("paths");
            for (Map.Entry<String, JsonNode> path : paths.properties()) {
                String concrete = service.getValue().basePath() + path.getKey().replaceAll("\\{[^}]+}", "1");
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next().toUpperCase(Locale.ROOT);
                    if (method.equals("PARAMETERS")) {
                        continue;
                    }
                    operations++;
                    String expected = method + " " + path.getKey();
                    String found = service.getValue().operation(method, concrete);
                    if (!expected.equals(found)) {
                        misrouted.add(service.getKey() + ": " + expected + " -> " + found);
                    }
                }
            }
        }
        assertEquals(List.of(), misrouted);
        assertTrue(operations > 700, "only " + operations + " operations found");
    }

    @Nested
    class Calld {
        static final String PLAYBACKS = "POST /applications/{application_uuid}/calls/{call_id}/playbacks";

        @Test
        void playbackWithUriAndLanguageIsValid() {
            assertValid(call(calld, "POST", APP_CALL + "/playbacks", null,
                    "{\"uri\":\"sound:tt-weasels\",\"language\":\"en_US\"}"));
            assertEquals(PLAYBACKS, calld.operation("POST", APP_CALL + "/playbacks"));
        }

        @Test
        void playbackWithoutUriIsRefusedAsTheServerRequiresIt() {
            assertViolation(call(calld, "POST", APP_CALL + "/playbacks", null, "{\"language\":\"en_US\"}"),
                    PLAYBACKS, "body", "'uri'");
        }

        @Test
        void playbackWithoutBodyIsRefused() {
            assertViolation(call(calld, "POST", APP_CALL + "/playbacks", null, null), PLAYBACKS, "body");
        }

        @Test
        void playbackWithANonStringUriIsRefused() {
            assertViolation(call(calld, "POST", APP_CALL + "/playbacks", null, "{\"uri\":42}"),
                    PLAYBACKS, "body.uri", "string");
        }

        @Test
        void readOnlyPropertiesAndUnknownFieldsAreIgnoredLikeTheServerDoes() {
            assertValid(call(calld, "POST", APP_CALL + "/playbacks", null,
                    "{\"uri\":\"digits:4188001234\",\"uuid\":7,\"whatever\":[1]}"));
        }

        @Test
        void playbackWithoutTokenIsRefused() {
            List<String> violations = calld.validate("POST", APP_CALL + "/playbacks", null,
                    headers("Content-Type", "application/json"), bytes("{\"uri\":\"sound:tt-weasels\"}"));
            assertViolation(violations, PLAYBACKS, "X-Auth-Token");
        }

        @Test
        void anEmptyTokenIsNoToken() {
            List<String> violations = calld.validate("PUT", APP_CALL + "/answer", null,
                    headers("X-Auth-Token", " "), null);
            assertViolation(violations, "PUT /applications/{application_uuid}/calls/{call_id}/answer", "X-Auth-Token");
        }

        @Test
        void jsonBodyWithoutContentTypeIsTolerated() {
            assertValid(calld.validate("POST", APP_CALL + "/playbacks", null,
                    headers("X-Auth-Token", "t"), bytes("{\"uri\":\"sound:tt-weasels\"}")));
        }

        @Test
        void jsonContentTypeParametersAreAccepted() {
            assertValid(calld.validate("POST", APP_CALL + "/playbacks", null,
                    headers("X-Auth-Token", "t", "Content-Type", "application/json; charset=utf-8"),
                    bytes("{\"uri\":\"sound:tt-weasels\"}")));
        }

        @Test
        void bodyThatIsNotJsonIsRefused() {
            assertViolation(calld.validate("POST", APP_CALL + "/playbacks", null,
                    headers("X-Auth-Token", "t"), bytes("uri=sound:tt-weasels")), PLAYBACKS, "not valid JSON");
        }

        @Test
        void bodyOfAnotherContentTypeIsRefused() {
            assertViolation(calld.validate("POST", APP_CALL + "/playbacks", null,
                            headers("X-Auth-Token", "t", "Content-Type", "text/plain"),
                            bytes("{\"uri\":\"sound:tt-weasels\"}")),
                    PLAYBACKS, "Content-Type", "text/plain");
        }

        @Test
        void answerIsValid() {
            assertValid(call(calld, "PUT", APP_CALL + "/answer", null, null));
        }

        @Test
        void stoppingAPlaybackIsValid() {
            String path = "/1.0/applications/" + APP + "/playbacks/" + PLAYBACK;
            assertValid(call(calld, "DELETE", path, null, null));
            assertEquals("DELETE /applications/{application_uuid}/playbacks/{playback_uuid}",
                    calld.operation("DELETE", path));
        }

        @Test
        void creatingANodeWithACallIsValid() {
            assertValid(call(calld, "POST", "/1.0/applications/" + APP + "/nodes", null,
                    "{\"calls\":[{\"id\":\"1700000000.42\"}]}"));
        }

        @Test
        void creatingANodeWithoutCallsIsRefusedAsTheServerNeedsOne() {
            assertViolation(call(calld, "POST", "/1.0/applications/" + APP + "/nodes", null, "{\"calls\":[]}"),
                    "POST /applications/{application_uuid}/nodes", "body.calls", "at least 1");
        }

        @Test
        void creatingANodeWithACallWithoutIdIsRefused() {
            assertViolation(call(calld, "POST", "/1.0/applications/" + APP + "/nodes", null,
                    "{\"calls\":[{\"call_id\":\"1700000000.42\"}]}"),
                    "POST /applications/{application_uuid}/nodes", "body.calls[0]", "'id'");
        }

        @Test
        void deletingANodeIsAllowedAlthoughTheSpecCallsItNotImplemented() {
            String path = "/1.0/applications/" + APP + "/nodes/" + NODE;
            assertValid(call(calld, "DELETE", path, null, null));
            assertEquals("DELETE /applications/{application_uuid}/nodes/{node_uuid}", calld.operation("DELETE", path));
        }

        @Test
        void callingIntoANodeIsValid() {
            assertValid(call(calld, "POST", "/1.0/applications/" + APP + "/nodes/" + NODE + "/calls", null,
                    "{\"context\":\"default\",\"exten\":\"1001\"}"));
        }

        @Test
        void callingIntoANodeWithoutContextIsRefused() {
            assertViolation(call(calld, "POST", "/1.0/applications/" + APP + "/nodes/" + NODE + "/calls", null,
                            "{\"exten\":\"1001\"}"),
                    "POST /applications/{application_uuid}/nodes/{node_uuid}/calls", "'context'");
        }

        @Test
        void originateVariablesMustBeStrings() {
            assertViolation(call(calld, "POST", "/1.0/applications/" + APP + "/calls", null,
                            "{\"context\":\"default\",\"exten\":\"1001\",\"variables\":{\"X_WAZO_FLOW\":\"menu\",\"N\":3}}"),
                    "POST /applications/{application_uuid}/calls", "body.variables.N", "string");
        }

        @Test
        void originateExtenMustNotBeEmpty() {
            assertViolation(call(calld, "POST", "/1.0/applications/" + APP + "/calls", null,
                            "{\"context\":\"default\",\"exten\":\"\"}"),
                    "POST /applications/{application_uuid}/calls", "body.exten", "at least 1");
        }

        @Test
        void literalSegmentsWinOverTemplatesButOnlyForMethodsTheyHave() {
            String user = "/1.0/applications/" + APP + "/nodes/" + NODE + "/calls/user";
            assertEquals("POST /applications/{application_uuid}/nodes/{node_uuid}/calls/user",
                    calld.operation("POST", user));
            // like werkzeug, a method the literal route lacks falls through to the templated one
            assertEquals("PUT /applications/{application_uuid}/nodes/{node_uuid}/calls/{call_id}",
                    calld.operation("PUT", user));
        }

        @Test
        void snoopWithoutWhisperModeIsValidAsTheServerDefaultsIt() {
            assertValid(call(calld, "POST", APP_CALL + "/snoops", null, "{\"snooping_call_id\":\"1700000001.7\"}"));
        }

        @Test
        void snoopWithAnUnknownWhisperModeIsRefused() {
            assertViolation(call(calld, "POST", APP_CALL + "/snoops", null,
                            "{\"snooping_call_id\":\"1700000001.7\",\"whisper_mode\":\"loud\"}"),
                    "POST /applications/{application_uuid}/calls/{call_id}/snoops", "whisper_mode", "one of");
        }

        @Test
        void startingARecordingIsValid() {
            assertValid(call(calld, "PUT", "/1.0/calls/" + CALL + "/record/start", null, null));
            assertEquals("PUT /calls/{call_id}/record/start", calld.operation("PUT", "/1.0/calls/" + CALL + "/record/start"));
        }

        @Test
        void startingMusicOnHoldIsValid() {
            String path = APP_CALL + "/moh/" + MOH + "/start";
            assertValid(call(calld, "PUT", path, null, null));
            assertEquals("PUT /applications/{application_uuid}/calls/{call_id}/moh/{moh_uuid}/start",
                    calld.operation("PUT", path));
            assertEquals("PUT /applications/{application_uuid}/calls/{call_id}/moh/stop",
                    calld.operation("PUT", APP_CALL + "/moh/stop"));
        }

        @Test
        void dtmfDigitsInTheQueryAreValid() {
            assertValid(call(calld, "PUT", APP_CALL + "/dtmf", "digits=12%23", null));
            assertValid(call(calld, "PUT", APP_CALL + "/dtmf", "digits=*0", null));
        }

        @Test
        void dtmfDigitsMustBeDigitsStarOrHash() {
            assertViolation(call(calld, "PUT", APP_CALL + "/dtmf", "digits=abc", null),
                    "PUT /applications/{application_uuid}/calls/{call_id}/dtmf", "digits", "abc");
            // anchored at both ends, as the server's ^[0-9*#]+$
            assertViolation(call(calld, "PUT", APP_CALL + "/dtmf", "digits=12a", null),
                    "PUT /applications/{application_uuid}/calls/{call_id}/dtmf", "digits");
        }

        @Test
        void dtmfWithoutDigitsIsRefused() {
            assertViolation(call(calld, "PUT", APP_CALL + "/dtmf", null, null),
                    "PUT /applications/{application_uuid}/calls/{call_id}/dtmf", "missing required", "'digits'");
        }

        @Test
        void hangingUpACallIsValid() {
            assertValid(call(calld, "DELETE", APP_CALL, null, null));
            assertEquals("DELETE /applications/{application_uuid}/calls/{call_id}", calld.operation("DELETE", APP_CALL));
        }

        @Test
        void percentEncodedSegmentsAreDecodedBeforeMatching() {
            assertValid(call(calld, "PUT", "/1.0/applications/" + APP + "/calls/1700000000%2E42/answer", null, null));
        }

        @Test
        void unknownPathIsRefused() {
            List<String> violations = call(calld, "PUT", APP_CALL + "/gather", null, null);
            assertEquals(1, violations.size(), violations::toString);
            assertTrue(violations.get(0).contains("PUT " + APP_CALL + "/gather"), violations::toString);
            assertTrue(violations.get(0).contains("no path"), violations::toString);
            assertNull(calld.operation("PUT", APP_CALL + "/gather"));
        }

        @Test
        void trailingSlashIsAnotherPath() {
            assertNull(calld.operation("PUT", APP_CALL + "/answer/"));
            assertEquals(1, call(calld, "PUT", APP_CALL + "/answer/", null, null).size());
        }

        @Test
        void pathOutsideTheBasePathIsRefused() {
            List<String> violations = call(calld, "PUT", "/1.1/applications/" + APP + "/calls/" + CALL + "/answer",
                    null, null);
            assertEquals(1, violations.size(), violations::toString);
            assertTrue(violations.get(0).contains("basePath /1.0"), violations::toString);
        }

        @Test
        void wrongMethodIsRefused() {
            List<String> violations = call(calld, "GET", APP_CALL + "/answer", null, null);
            assertViolation(violations, "GET /applications/{application_uuid}/calls/{call_id}/answer",
                    "method not allowed", "PUT");
            assertNull(calld.operation("GET", APP_CALL + "/answer"));
        }

        @Test
        void headIsServedByGetLikeFlask() {
            assertEquals("GET /applications/{application_uuid}", calld.operation("HEAD", "/1.0/applications/" + APP));
        }

        @Test
        void integerPathParametersMustBeIntegers() {
            assertValid(call(calld, "GET", "/1.0/voicemails/12/greetings/busy", null, null));
            List<String> violations = call(calld, "GET", "/1.0/voicemails/twelve/greetings/busy", null, null);
            assertViolation(violations, "GET /voicemails/{voicemail_id}/greetings/{greeting}",
                    "voicemail_id", "integer");
        }

        @Test
        void enumPathParametersAreChecked() {
            assertViolation(call(calld, "GET", "/1.0/voicemails/12/greetings/away", null, null),
                    "GET /voicemails/{voicemail_id}/greetings/{greeting}", "greeting", "one of");
        }

        @Test
        void consumedNonJsonBodiesAreOpaque() {
            String path = "/1.0/voicemails/12/greetings/busy";
            assertValid(calld.validate("PUT", path, null, headers("X-Auth-Token", "t", "Content-Type", "audio/wav"),
                    new byte[] {'R', 'I', 'F', 'F', 0, 1, 2}));
            assertViolation(calld.validate("PUT", path, null, headers("X-Auth-Token", "t"), new byte[0]),
                    "PUT /voicemails/{voicemail_id}/greetings/{greeting}", "body");
        }
    }

    @Nested
    class Confd {
        @Test
        void listingQueuesWithASearchIsValid() {
            assertValid(call(confd, "GET", "/1.1/queues", "search=sales", null));
            assertValid(call(confd, "GET", "/1.1/queues", "search=sales&limit=10&offset=0&direction=asc&recurse=true",
                    null));
            assertEquals("GET /queues", confd.operation("GET", "/1.1/queues"));
        }

        @Test
        void unknownQueryParametersAreIgnoredLikeWazoDoes() {
            assertValid(call(confd, "GET", "/1.1/queues", "search=sales&colour=blue", null));
        }

        @Test
        void nonIntegerLimitIsRefused() {
            assertViolation(call(confd, "GET", "/1.1/queues", "search=sales&limit=ten", null),
                    "GET /queues", "limit", "integer", "ten");
        }

        @Test
        void negativeLimitIsRefusedLikeConfdsListSchema() {
            assertViolation(call(confd, "GET", "/1.1/queues", "limit=-1", null), "GET /queues", "limit", ">= 0");
        }

        @Test
        void queryEnumsAndBooleansAreChecked() {
            List<String> violations = call(confd, "GET", "/1.1/queues", "direction=up&recurse=maybe", null);
            assertEquals(2, violations.size(), violations::toString);
            assertTrue(violations.stream().anyMatch(v -> v.contains("direction") && v.contains("one of")), violations::toString);
            assertTrue(violations.stream().anyMatch(v -> v.contains("recurse") && v.contains("boolean")), violations::toString);
        }

        @Test
        void gettingAQueueIsValid() {
            assertValid(call(confd, "GET", "/1.1/queues/12", null, null));
            assertEquals("GET /queues/{queue_id}", confd.operation("GET", "/1.1/queues/12"));
        }

        @Test
        void queueIdMustBeAnInteger() {
            assertViolation(call(confd, "GET", "/1.1/queues/sales", null, null),
                    "GET /queues/{queue_id}", "queue_id", "integer");
        }

        @Test
        void literalRouteIsPreferredOverTemplate() {
            assertEquals("GET /queues/skillrules", confd.operation("GET", "/1.1/queues/skillrules"));
            assertValid(call(confd, "GET", "/1.1/queues/skillrules", null, null));
        }

        @Test
        void csvArrayQueryItemsAreChecked() {
            assertValid(call(confd, "GET", "/1.1/users", "uuid=" + USER + "," + APP, null));
            assertViolation(call(confd, "GET", "/1.1/users", "uuid=" + USER + ",not-a-uuid", null),
                    "GET /users", "uuid", "UUID", "not-a-uuid");
            assertViolation(call(confd, "GET", "/1.1/users", "uuid=" + USER + "," + USER, null),
                    "GET /users", "uuid", "repeat");
        }

        @Test
        void uploadingASoundTakesAnOctetStream() {
            String path = "/1.1/sounds/ivrflow/files/welcome";
            assertValid(confd.validate("PUT", path, "language=en_US&format=wav",
                    headers("X-Auth-Token", "t", "Content-Type", "application/octet-stream"), new byte[] {1, 2, 3}));
            assertViolation(confd.validate("PUT", path, null,
                            headers("X-Auth-Token", "t", "Content-Type", "application/json"), bytes("{}")),
                    "PUT /sounds/{sound_category}/files/{sound_filename}", "Content-Type");
        }

        @Test
        void ivrChoiceExtenPatternIsAnchoredAtTheStartLikePythonsReMatch() {
            String valid = "{\"name\":\"menu\",\"menu_sound\":\"hello\",\"choices\":[{\"exten\":\"1\","
                    + "\"destination\":{\"type\":\"none\"}}]}";
            assertValid(call(confd, "POST", "/1.1/ivr", null, valid));
            assertViolation(call(confd, "POST", "/1.1/ivr", null, valid.replace("\"exten\":\"1\"", "\"exten\":\"abc1\"")),
                    "POST /ivr", "body.choices[0].exten", "abc1");
        }

        @Test
        void putBodiesArePartialUpdates() {
            assertValid(call(confd, "PUT", "/1.1/ivr/3", null, "{\"timeout\":10}"));
            assertViolation(call(confd, "PUT", "/1.1/ivr/3", null, "{\"timeout\":\"ten\"}"),
                    "PUT /ivr/{ivr_id}", "body.timeout", "integer");
        }

        @Test
        void applicationDestinationMayBeNull() {
            assertValid(call(confd, "POST", "/1.1/applications", null,
                    "{\"name\":\"ivrflow\",\"destination\":null,\"destination_options\":{}}"));
            assertValid(call(confd, "POST", "/1.1/applications", null,
                    "{\"name\":\"ivrflow\",\"destination\":\"node\",\"destination_options\":"
                            + "{\"type\":\"holding\",\"answer\":true,\"music_on_hold\":null}}"));
            assertViolation(call(confd, "POST", "/1.1/applications", null, "{\"name\":\"ivrflow\",\"destination\":\"queue\"}"),
                    "POST /applications", "body.destination", "one of");
        }

        @Test
        void uuidPathFormatIsChecked() {
            assertValid(call(confd, "GET", "/1.1/users/" + USER + "/external/apps", null, null));
            assertViolation(call(confd, "GET", "/1.1/users/42/external/apps", null, null),
                    "GET /users/{user_uuid}/external/apps", "user_uuid", "UUID");
        }
    }

    @Nested
    class Agentd {
        @Test
        void listingAgentsIsValid() {
            assertValid(call(agentd, "GET", "/1.0/agents", null, null));
            assertValid(call(agentd, "GET", "/1.0/agents", "recurse=false", null));
        }

        @Test
        void agentByNumberIsValid() {
            assertValid(call(agentd, "GET", "/1.0/agents/by-number/2001", null, null));
            assertEquals("GET /agents/by-number/{agent_number}", agentd.operation("GET", "/1.0/agents/by-number/2001"));
        }

        @Test
        void agentByIdNeedsAnInteger() {
            assertEquals("GET /agents/by-id/{agent_id}", agentd.operation("GET", "/1.0/agents/by-id/7"));
            assertViolation(call(agentd, "GET", "/1.0/agents/by-id/seven", null, null),
                    "GET /agents/by-id/{agent_id}", "agent_id", "integer");
        }

        @Test
        void literalByIdIsNotTakenForAnAgentId() {
            assertEquals("PUT /agents/{agent_id}/queues/{queue_id}/login",
                    agentd.operation("PUT", "/1.0/agents/7/queues/3/login"));
            assertEquals("POST /agents/by-id/{agent_id}/login", agentd.operation("POST", "/1.0/agents/by-id/7/login"));
        }

        @Test
        void agentdNeedsAToken() {
            assertViolation(agentd.validate("GET", "/1.0/agents", null, Map.of(), null), "GET /agents", "X-Auth-Token");
        }
    }

    @Nested
    class Dird {
        static final String LOOKUP = "GET /directories/lookup/{profile}";

        @Test
        void lookupWithTermIsValid() {
            assertValid(call(dird, "GET", "/0.1/directories/lookup/default", "term=5551234", null));
            assertEquals(LOOKUP, dird.operation("GET", "/0.1/directories/lookup/default"));
        }

        @Test
        void lookupWithoutTermIsRefusedAsTheSpecRequiresIt() {
            assertViolation(call(dird, "GET", "/0.1/directories/lookup/default", null, null),
                    LOOKUP, "missing required", "'term'");
        }

        @Test
        void lookupHeadersIsItsOwnRoute() {
            assertEquals("GET /directories/lookup/{profile}/headers",
                    dird.operation("GET", "/0.1/directories/lookup/default/headers"));
        }

        @Test
        void reverseLookupIsValid() {
            String path = "/0.1/directories/reverse/default/" + USER;
            assertValid(call(dird, "GET", path, "exten=5551234", null));
            assertEquals("GET /directories/reverse/{profile}/{user_uuid}", dird.operation("GET", path));
        }

        @Test
        void reverseLookupWithoutExtenIsRefused() {
            assertViolation(call(dird, "GET", "/0.1/directories/reverse/default/" + USER, null, null),
                    "GET /directories/reverse/{profile}/{user_uuid}", "'exten'");
        }
    }

    @Nested
    class Auth {
        static final String TOKEN = "POST /token";

        Map<String, List<String>> basic() {
            String credentials = Base64.getEncoder().encodeToString("ivrflow:secret".getBytes(StandardCharsets.UTF_8));
            return headers("Authorization", "Basic " + credentials, "Content-Type", "application/json");
        }

        @Test
        void tokenWithBasicAuthIsValid() {
            assertValid(auth.validate("POST", "/0.1/token", null, basic(), bytes("{\"expiration\":3600}")));
            assertEquals(TOKEN, auth.operation("POST", "/0.1/token"));
        }

        @Test
        void tokenWithoutAuthorizationIsRefused() {
            assertViolation(auth.validate("POST", "/0.1/token", null, headers("Content-Type", "application/json"),
                    bytes("{\"expiration\":3600}")), TOKEN, "Basic");
        }

        @Test
        void anXAuthTokenDoesNotReplaceBasicAuth() {
            assertViolation(call(auth, "POST", "/0.1/token", null, "{\"expiration\":3600}"), TOKEN, "Basic");
        }

        @Test
        void basicAuthMustCarryLoginAndPassword() {
            Map<String, List<String>> headers = headers("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("ivrflow".getBytes(StandardCharsets.UTF_8)));
            assertViolation(auth.validate("POST", "/0.1/token", null, headers, bytes("{}")), TOKEN, "Basic");
        }

        @Test
        void nonIntegerExpirationIsRefused() {
            assertViolation(auth.validate("POST", "/0.1/token", null, basic(), bytes("{\"expiration\":\"soon\"}")),
                    TOKEN, "body.expiration", "integer");
        }

        @Test
        void expirationMustBePositiveAndBounded() {
            assertViolation(auth.validate("POST", "/0.1/token", null, basic(), bytes("{\"expiration\":0}")),
                    TOKEN, "body.expiration", ">= 1");
            assertViolation(auth.validate("POST", "/0.1/token", null, basic(), bytes("{\"expiration\":315360001}")),
                    TOKEN, "body.expiration", "<= 315360000");
        }

        @Test
        void tokenNeedsABodyAsTheServerParsesItWithForce() {
            assertViolation(auth.validate("POST", "/0.1/token", null, basic(), null), TOKEN, "body");
        }

        @Test
        void refreshTokenAuthenticatesWithoutBasicAuth() {
            assertValid(auth.validate("POST", "/0.1/token", null, headers("Content-Type", "application/json"),
                    bytes("{\"refresh_token\":\"r-123\",\"client_id\":\"ivrflow\",\"expiration\":3600}")));
        }

        @Test
        void tokenCheckNeedsNoAuthentication() {
            assertValid(auth.validate("GET", "/0.1/token/3b7a9c1e-token", "scope=calld.applications.read", Map.of(), null));
        }

        @Test
        void requiredFormFieldsMustBePresent() {
            String boundary = "XyZ";
            String form = "--XyZ\r\nContent-Disposition: form-data; name=\"domain_uuid\"\r\n\r\n" + USER + "\r\n"
                    + "--XyZ\r\nContent-Disposition: form-data; name=\"metadata\"; filename=\"idp.xml\"\r\n"
                    + "Content-Type: application/xml\r\n\r\n<x/>\r\n--XyZ--\r\n";
            List<String> violations = auth.validate("POST", "/0.1/backends/saml", null,
                    headers("X-Auth-Token", "t", "Content-Type", "multipart/form-data; boundary=" + boundary), bytes(form));
            assertEquals(2, violations.size(), violations::toString);
            assertTrue(violations.get(0).startsWith("POST /backends/saml: "), violations::toString);
            assertTrue(violations.stream().anyMatch(v -> v.contains("'entity_id'")), violations::toString);
            assertTrue(violations.stream().anyMatch(v -> v.contains("'acs_url'")), violations::toString);
        }
    }
}
