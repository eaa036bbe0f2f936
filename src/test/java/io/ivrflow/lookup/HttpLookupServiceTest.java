package io.ivrflow.lookup;

import com.sun.net.httpserver.HttpServer;
import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpLookupServiceTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpLookupService lookups = new HttpLookupService();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String path = exchange.getRequestURI().getPath();
            int status = path.equals("/found") ? 200 : path.equals("/missing") ? 404 : path.equals("/text") ? 200 : 500;
            if (path.equals("/slow")) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = (path.equals("/text") ? "hello" : "{\"status\":\"approved\",\"card\":{\"last4\":\"0002\"},\"tags\":[\"a\",\"b\"]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Event.LookupResult ask(String path, String method, String source, Duration timeout) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        return lookups.lookup(new Action.Lookup("call#1", "authorize", source, Map.of("url", url, "method", method), timeout))
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void aJsonAnswerIsFoundWithEveryFieldByPointerAndTopLevelName() throws Exception {
        Event.LookupResult r = ask("/found?account=1", "POST", "http", Duration.ofSeconds(2));
        assertEquals(Event.LookupStatus.FOUND, r.status());
        assertEquals("call#1", r.requestId());
        assertEquals("approved", r.fields().get("/status"));
        assertEquals("approved", r.fields().get("status"));
        assertEquals("0002", r.fields().get("/card/last4"));
        assertEquals("b", r.fields().get("/tags/1"));
        assertEquals(List.of("POST /found?account=1"), requests);
    }

    @Test
    void notFoundFailureAndGarbageAreToldApart() throws Exception {
        assertEquals(Event.LookupStatus.NOT_FOUND, ask("/missing", "GET", "http", Duration.ofSeconds(2)).status());
        assertEquals(Event.LookupStatus.FAILED, ask("/broken", "GET", "http", Duration.ofSeconds(2)).status());
        assertEquals(Event.LookupStatus.FAILED, ask("/text", "GET", "http", Duration.ofSeconds(2)).status());
        assertEquals(Event.LookupStatus.FAILED, ask("/slow", "GET", "http", Duration.ofMillis(300)).status());
        assertEquals(List.of("GET /missing", "GET /broken", "GET /text", "GET /slow"), requests);
    }

    @Test
    void aServiceThatIsDownOrADirectoryWithoutDirdFailsAtOnce() throws Exception {
        server.stop(0);
        assertEquals(Event.LookupStatus.FAILED, ask("/found", "GET", "http", Duration.ofSeconds(2)).status());
        assertEquals(Event.LookupStatus.FAILED, ask("/found", "GET", "directory", Duration.ofSeconds(2)).status());
        assertEquals(Event.LookupStatus.FAILED, lookups.lookup(new Action.Lookup("c#2", "n", "http",
                Map.of("url", "not a url"), Duration.ofSeconds(1))).get(1, TimeUnit.SECONDS).status());
    }
}
