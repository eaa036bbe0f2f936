package io.ivrflow.plivo;

import io.ivrflow.Collaborators;
import io.ivrflow.ServiceTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.Properties;

/**
 * The service with signature checks on, Plivo's REST API played by a {@link FakePlivoApi} of the test class's own,
 * the calls on a {@link VirtualClock} and lookups, transfers and recording answered by {@link WorldServices}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PlivoTestSupport extends ServiceTestSupport {

    static final String AUTH_TOKEN = "MzY0YTk1ZjQ0ZmQ3ODI5OGY5ZTM2N2Y1NmVh";
    static final String SIP_DOMAIN = "test.sip.example";
    static final String TOKEN_SECRET = "test-secret-for-state-tokens";

    /** Plivo's REST API, for recording commands: the same account as the webhooks' signatures. */
    final FakePlivoApi plivoApi = FakePlivoApi.start(FakePlivoApi.DEFAULT_AUTH_ID, AUTH_TOKEN);
    final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T15:00:00Z")); // Monday 10:00 in New York
    final WorldServices world = new WorldServices();

    @Override
    protected Collaborators collaborators() {
        return Collaborators.none().withClock(clock).withLookups(world).withRecorder(recorder());
    }

    /** Who records calls: the world (scripted answers) unless a test wants Plivo's API asked. */
    CallRecorder recorder() {
        return world;
    }

    @Override
    protected void properties(Properties p) {
        p.put("ivr.plivo.public-url", "http://localhost:" + httpPort);
        p.put("ivr.plivo.auth-token", AUTH_TOKEN);
        p.put("ivr.plivo.auth-id", FakePlivoApi.DEFAULT_AUTH_ID);
        p.put("ivr.plivo.api-url", plivoApi.url());
        p.put("ivr.plivo.token-secret", TOKEN_SECRET);
        p.put("ivr.plivo.sip-domain", SIP_DOMAIN);
        p.put("ivr.plivo.destinations", "sales=sip:queue-sales@" + SIP_DOMAIN + ",support=sip:queue-support@" + SIP_DOMAIN);
    }

    /** The base URL webhooks are signed over. */
    String base() {
        return "http://localhost:" + httpPort;
    }

    @AfterAll
    void stopPlivoApi() {
        plivoApi.close();
    }
}
