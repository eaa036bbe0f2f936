package io.ivrflow.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.ivrflow.LogCapture;
import io.ivrflow.ServiceTestSupport;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's bad request, on any API of either port, gets the one error shape ({@code {"error", "status"}}) with the
 * right status, and never an error in the log.
 */
class HttpErrorsTest extends ServiceTestSupport {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Override
    protected void properties(Properties p) {
        p.put("ivr.manage.token", "tok");
    }

    @Test
    void badRequestsGetTheErrorShapeAndNoErrorInTheLog() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            expect(400, send(managementPort, "POST", "/console/api/calls", "{\"flow\": ", "Content-Type", FORM));
            expect(400, send(managementPort, "POST", "/console/api/calls", "[1, 2]"));
            expect(404, send(managementPort, "GET", "/console/api/calls/nope", null));
            expect(405, send(managementPort, "DELETE", "/console/api/flows", null));
            expect(404, send(managementPort, "GET", "/console/nothing/here", null));
            expect(401, send(managementPort, "GET", "/manage/flows", null));
            expect(422, send(managementPort, "PUT", "/manage/flows/inspireworks", "{not json",
                    "Authorization", "Bearer tok", "Content-Type", FORM));
            expect(400, send(managementPort, "PUT", "/manage/flows/bad%20id", "{}", "Authorization", "Bearer tok"));
            expect(413, send(managementPort, "PUT", "/manage/flows/x", "x".repeat(1_000_001),
                    "Authorization", "Bearer tok"));
            expect(503, send(httpPort, "POST", "/api/calls", "{\"to\": \"+15551234567\"}", "Content-Type", FORM));
            expect(405, send(httpPort, "PUT", "/api/flows", "{}"));
            expect(404, send(httpPort, "GET", "/manage/flows", null));

            List<LogCapture.Line> errors = log.lines().stream().filter(l -> l.level().equals("ERROR")).toList();
            assertEquals(List.of(), errors, "a client's mistake is not an error of the service");
        }
    }

    @Test
    void aBodyTooLargeToReadOrAMultipartGetIsA4xxInTheSameShape() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            // cut short by Vert.x, on both ports, before the body is held in memory
            for (HttpResponse<String> tooLarge : List.of(send(httpPort, "POST", "/api/calls", "x".repeat(5_000_000)),
                    send(managementPort, "PUT", "/manage/flows/x", "x".repeat(5_000_000), "Authorization", "Bearer tok"))) {
                expect(413, tooLarge);
                assertEquals("the body is larger than " + HttpPorts.BODY_LIMIT + " bytes", json(tooLarge).path("error")
                        .asText());
            }
            // Vert.x fails a GET whose Content-Type announces multipart (500) unless it is told otherwise
            expect(405, send(httpPort, "GET", "/api/calls", null, "Content-Type", "multipart/form-data; boundary=x"));
            HttpResponse<String> page = send(httpPort, "GET", "/plivo/inspireworks/answer", null,
                    "Content-Type", "multipart/form-data; boundary=x");
            assertTrue(page.statusCode() < 500, page.statusCode() + " " + page.body());
            assertEquals(List.of(), log.lines().stream().filter(l -> l.level().equals("ERROR")).toList());
        }
    }

    private static void expect(int status, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(status, body.path("status").asInt(), r.body());
        assertFalse(body.path("error").asText().isBlank(), r.body());
        assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), "no stack trace: " + r.body());
    }
}
