package io.ivrflow.wazo;

import io.ivrflow.config.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Wazo adapter's settings ({@code ivr.wazo.*}, {@code ivr.rabbitmq.*}; the README's Wazo section). The service
 * account's password and the broker's are secrets: {@link #toString()} never shows them.
 *
 * @param destinations   names that win over confd's: {@code queue:sales}, {@code mailbox:general}, or a plain name
 * @param soundsPublish  how synthesised prompts reach Asterisk: {@code directory}, {@code confd} or {@code none}
 * @param lanes          calls are handled in parallel on this many lanes, each call's events in order on one
 * @param callMaxIdle    a call with no event for so long is dropped (its deletion event was missed)
 */
public record WazoSettings(boolean enabled, String applicationUuid, String flow, String username, String password,
                           String tenant, String calldUrl, String confdUrl, String agentdUrl, String dirdUrl,
                           String authUrl, Duration tokenLifetime, Duration requestTimeout, int retries,
                           Duration retryBackoff, String soundsDirectory, String soundsPublish,
                           Path soundsWriteDirectory, String soundsCategory, String fallbackSound, Duration ringTimeout,
                           String musicOnHold, Map<String, Confd.Extension> destinations, String defaultContext,
                           String outgoingContext, String voicemailPrefix, String voicemailContext,
                           Duration directoryCache, Duration queueCache, Duration agentCache, int lanes,
                           Duration callMaxIdle, Broker broker) {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
    private static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    /** RabbitMQ, where wazo-calld publishes its events ({@code ivr.rabbitmq.*}). */
    public record Broker(String host, int port, String username, String password, String virtualHost,
                         Duration connectionTimeout) {
        @Override
        public String toString() {
            return "Broker[" + username + "@" + host + ":" + port + virtualHost + "]";
        }
    }

    public static WazoSettings read(Settings s) {
        boolean enabled = s.flag("ivr.wazo.enabled", false);
        String application = s.text("ivr.wazo.application-uuid", NIL_UUID);
        if (!UUID.matcher(application).matches()) {
            s.problem("ivr.wazo.application-uuid", application, "expected the calld application's uuid");
        } else if (enabled && NIL_UUID.equals(application)) {
            s.problem("ivr.wazo.application-uuid", application, "the Wazo adapter is on (ivr.wazo.enabled) but no "
                    + "application is set: give its uuid (env IVR_WAZO_APPLICATION_UUID)");
        }
        String flow = s.text("ivr.wazo.flow", "contact-centre");
        if (!flow.matches("[A-Za-z0-9._-]{1,128}")) {
            s.problem("ivr.wazo.flow", flow, "expected a flow id (letters, digits, '.', '_' and '-')");
        }
        String username = s.text("ivr.wazo.username", "");
        String password = s.secret("ivr.wazo.password");
        if (enabled && (username.isEmpty() || password.isEmpty())) {
            s.problem("ivr.wazo.username", "the Wazo adapter is on but its wazo-auth service account is not set: "
                    + "give ivr.wazo.username and ivr.wazo.password (env WAZO_USERNAME, WAZO_PASSWORD)");
        }
        String defaultContext = s.text("ivr.wazo.default-context", "default");
        Map<String, Confd.Extension> destinations = new LinkedHashMap<>();
        s.pairs("ivr.wazo.destinations").forEach((name, value) -> {
            int at = value.indexOf('@');
            String exten = at < 0 ? value : value.substring(0, at);
            if (exten.isBlank() || (at >= 0 && at == value.length() - 1)) {
                s.problem("ivr.wazo.destinations", name + "=" + value, "expected name=extension@context");
                return;
            }
            destinations.put(name, new Confd.Extension(exten, at < 0 ? defaultContext : value.substring(at + 1)));
        });
        String publish = s.choice("ivr.wazo.sounds-publish", "directory", "directory", "confd", "none");
        return new WazoSettings(enabled, application, flow, username, password, s.text("ivr.wazo.tenant", ""),
                s.url("ivr.wazo.calld-url", "http://localhost:9500/1.0"),
                s.url("ivr.wazo.confd-url", "http://localhost:9486/1.1"),
                s.url("ivr.wazo.agentd-url", "http://localhost:9493/1.0"),
                s.url("ivr.wazo.dird-url", "http://localhost:9489/0.1"),
                s.url("ivr.wazo.auth-url", "http://localhost:9497/0.1"),
                s.seconds("ivr.wazo.token-lifetime", 3600, 60, 86_400),
                s.millis("ivr.wazo.request-timeout", 2_000, 100, 60_000),
                s.number("ivr.wazo.retries", 3, 0, 10),
                s.millis("ivr.wazo.retry-backoff", 200, 0, 60_000),
                s.text("ivr.wazo.sounds-directory", "/var/lib/wazo/sounds/ivrflow").replaceAll("/+$", ""),
                publish, Path.of(s.text("ivr.wazo.sounds-write-directory", "/var/lib/wazo/sounds/ivrflow")),
                s.text("ivr.wazo.sounds-category", "ivrflow"),
                s.text("ivr.wazo.fallback-sound", "sound:beep"),
                s.seconds("ivr.wazo.ring-timeout", 30, 1, 3_600),
                s.text("ivr.wazo.music-on-hold", ""), Map.copyOf(destinations), defaultContext,
                s.text("ivr.wazo.outgoing-context", "to-extern"), s.text("ivr.wazo.voicemail-prefix", "*97"),
                s.text("ivr.wazo.voicemail-context", "default"),
                s.seconds("ivr.wazo.directory-cache", 60, 0, 86_400),
                s.seconds("ivr.wazo.queue-cache", 300, 0, 86_400),
                s.millis("ivr.wazo.agent-cache", 2_000, 0, 3_600_000),
                s.number("ivr.wazo.lanes", 4, 1, 64),
                s.minutes("ivr.wazo.call-max-idle", 240, 1, 7 * 24 * 60),
                new Broker(s.text("ivr.rabbitmq.host", "localhost"), s.number("ivr.rabbitmq.port", 5672, 1, 65_535),
                        s.text("ivr.rabbitmq.username", "guest"), s.secret("ivr.rabbitmq.password"),
                        s.text("ivr.rabbitmq.vhost", "/"),
                        s.millis("ivr.rabbitmq.connection-timeout", 3_000, 100, 60_000)));
    }

    /** Settings for a test or a tool: these properties on top of the defaults. */
    public static WazoSettings of(Map<String, String> properties) {
        Settings s = Settings.of(properties);
        WazoSettings w = read(s);
        s.verify();
        return w;
    }

    public boolean hasCredentials() {
        return !username.isEmpty() && !password.isEmpty();
    }

    @Override
    public String toString() {
        return "WazoSettings[enabled=" + enabled + ", application=" + applicationUuid + ", flow=" + flow + ", calld="
                + calldUrl + ", account=" + (hasCredentials() ? username : "not set") + ", lanes=" + lanes + ", "
                + broker + "]";
    }
}
