package io.ivrflow.plivo;

import io.ivrflow.config.Settings;
import io.ivrflow.ops.BearerToken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Plivo adapter's settings ({@code ivr.plivo.*}, {@code ivr.api.token}; the README's Plivo and Outbound calls
 * sections). Secrets come from the environment; {@link #toString()} never shows them.
 *
 * @param publicUrl       the base URL Plivo reaches this service at, without a trailing slash
 * @param authTokens      tokens whose signatures are accepted: the account's first, then the extra ones
 * @param checkSignatures whether webhooks must carry a valid V3 signature
 * @param tokenSecret     key of the call state tokens (blank: the auth token's, else a random one)
 * @param destinations    name → number or SIP URI that Plivo dials for a queue, agent or extension
 * @param sipDomain       domain of {@code sip:<name>@<domain>} for names without a destination (blank: none)
 * @param callerId        the default {@code from} of outbound calls (blank: none)
 * @param apiToken        token of {@code POST /api/calls} (not configured: none asked)
 */
public record PlivoSettings(String publicUrl, List<String> authTokens, boolean checkSignatures, String tokenSecret,
                            Duration tokenMaxAge, Map<String, String> destinations, String sipDomain, String apiUrl,
                            String authId, String authToken, Duration apiTimeout, String callerId,
                            BearerToken apiToken) {

    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{3,15}");
    private static final Pattern CALLER_ID = Pattern.compile("\\+?[1-9][0-9]{7,14}");

    public static PlivoSettings read(Settings s) {
        int port = s.number("camel.server.port", 8080, 0, 65_535);
        String publicUrl = s.url("ivr.plivo.public-url", "http://localhost:" + port);
        String authToken = s.secret("ivr.plivo.auth-token");
        List<String> tokens = new ArrayList<>();
        if (!authToken.isEmpty()) {
            tokens.add(authToken);
        }
        for (String extra : s.secret("ivr.plivo.extra-auth-tokens").split(",")) {
            if (!extra.isBlank()) {
                tokens.add(extra.trim());
            }
        }
        String check = s.choice("ivr.plivo.signature-check", "auto", "auto", "true", "false");
        boolean checkSignatures = "auto".equals(check) ? !tokens.isEmpty() : Boolean.parseBoolean(check);
        if (checkSignatures && tokens.isEmpty()) {
            s.problem("ivr.plivo.signature-check", check, "signatures cannot be checked without a Plivo auth token "
                    + "(ivr.plivo.auth-token, env PLIVO_AUTH_TOKEN)");
        }
        Map<String, String> destinations = s.pairs("ivr.plivo.destinations");
        destinations.forEach((name, target) -> {
            if (!target.startsWith("sip:") && !NUMBER.matcher(target).matches()) {
                s.problem("ivr.plivo.destinations", name + "=" + target, "a destination is a phone number or a sip: URI");
            }
        });
        String callerId = s.text("ivr.plivo.caller-id", "");
        if (!callerId.isEmpty() && !CALLER_ID.matcher(callerId.replaceAll("[\\s().-]", "")).matches()) {
            s.problem("ivr.plivo.caller-id", callerId, "expected a phone number of the Plivo account, like +15551230000");
        }
        return new PlivoSettings(publicUrl, List.copyOf(tokens), checkSignatures, s.secret("ivr.plivo.token-secret"),
                Duration.ofHours(s.number("ivr.plivo.token-max-age-hours", 24, 1, 720)), Map.copyOf(destinations),
                s.text("ivr.plivo.sip-domain", ""), s.url("ivr.plivo.api-url", "https://api.plivo.com"),
                s.secret("ivr.plivo.auth-id"), authToken,
                s.millis("ivr.plivo.api-timeout", 5_000, 100, 60_000), callerId,
                BearerToken.of(s.secret("ivr.api.token")));
    }

    /** Settings for a test or a tool: these properties on top of the defaults. */
    public static PlivoSettings of(Map<String, String> properties) {
        Settings s = Settings.of(properties);
        PlivoSettings p = read(s);
        s.verify();
        return p;
    }

    @Override
    public String toString() {
        return "PlivoSettings[publicUrl=" + publicUrl + ", signatures=" + (checkSignatures ? "checked" : "off")
                + ", apiUrl=" + apiUrl + ", credentials=" + (authId.isEmpty() || authToken.isEmpty() ? "missing" : "set")
                + ", destinations=" + destinations.keySet() + ", sipDomain=" + sipDomain + "]";
    }
}
