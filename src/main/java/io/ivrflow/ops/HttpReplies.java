package io.ivrflow.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes what the HTTP routes answer, in one place (routes/http-replies.camel.yaml): a bean's value becomes the
 * response ({@link HttpReply} as it says, any other object as JSON with 200), and a failure becomes
 * {@code {"error": "...", "status": n}}. A client's mistake ({@link ApiError}) is answered without a log line at
 * error level; anything else is a bug: a 500 with a generic sentence, and the stack trace in the log only.
 */
public final class HttpReplies {

    private static final Logger LOG = LoggerFactory.getLogger(HttpReplies.class);
    private final ObjectMapper json = new ObjectMapper();

    /** Turns the route's result into the response; bodies a route made itself (text, bytes) are left alone. */
    public void write(Exchange exchange) {
        Message m = exchange.getMessage();
        Object body = m.getBody();
        if (body == null || body instanceof String || body instanceof byte[] || body instanceof InputStream) {
            return;
        }
        HttpReply reply = body instanceof HttpReply r ? r : HttpReply.json(200, body);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            m.setHeader(h.getKey(), h.getValue());
        }
        if (HttpReply.JSON.equals(reply.contentType()) && !reply.headers().containsKey("Cache-Control")) {
            m.setHeader("Cache-Control", "no-store");
        }
        m.setHeader("X-Content-Type-Options", "nosniff");
        if (reply.body() == null) {
            m.setBody(null);
            return;
        }
        m.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        m.setBody(bytes(reply));
    }

    /** The route failed: the error object, with the status an {@link ApiError} carries or 500. */
    public void failure(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiError error = apiError(e);
        if (error == null) {
            Message m = exchange.getMessage();
            LOG.error("HTTP {} {} failed", m.getHeader(Exchange.HTTP_METHOD), m.getHeader(Exchange.HTTP_PATH), e);
            error = new ApiError(500, "internal error; the service log says why");
        }
        HttpReply reply = HttpReply.json(error.status(), error.body());
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            reply = reply.withHeader(h.getKey(), h.getValue());
        }
        exchange.getMessage().setBody(reply);
        // written here too: a failure before the route's own steps (a token check) has no completion step after it
        write(exchange);
    }

    private static ApiError apiError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiError a) {
                return a;
            }
        }
        return null;
    }

    private byte[] bytes(HttpReply reply) {
        Object body = reply.body();
        if (body instanceof byte[] b) {
            return b;
        }
        if (body instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
