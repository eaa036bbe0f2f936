package io.ivrflow.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the console API's answers: JSON with an explicit status, no request header sent back (platform-http
 * copies every message header into the response). A refused request gets
 * {@code {"error": "...", "status": n}}; a bug gets a 500 with no stack trace (that goes to the log).
 */
final class JsonAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(JsonAnswers.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswers() {
    }

    /** Answers with what {@code work} returns (status {@code status}), or with the error it raised. */
    static void answer(Exchange exchange, int status, Supplier<Object> work) {
        Message m = exchange.getMessage();
        try {
            Object body = work.get();
            write(m, status, body);
        } catch (ApiError e) {
            write(m, e.status(), error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("console: {} {} failed", m.getHeader(Exchange.HTTP_METHOD), m.getHeader(Exchange.HTTP_URI), e);
            write(m, 500, error(500, "the console failed to answer; the service log says why"));
        }
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("error", message);
        e.put("status", status);
        return e;
    }

    private static void write(Message m, int status, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setBody(json);
    }
}
