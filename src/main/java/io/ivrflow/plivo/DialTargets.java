package io.ivrflow.plivo;

import io.ivrflow.engine.Action;

import java.util.Map;
import java.util.Optional;

/**
 * Where Plivo dials a flow's destinations. Plivo has no queues, agents or extensions of its own: each name
 * maps to a phone number or SIP URI, from {@code ivr.plivo.destinations} ({@code sales=sip:sales@acme.sip.plivo.com,
 * 2001=+15550100}), else to {@code sip:<name>@<sip domain>} when a SIP domain is configured.
 */
public final class DialTargets {

    /** One target of a Dial: a {@code <Number>} or a {@code <User>}. */
    public record Target(boolean sip, String address) {
    }

    private final Map<String, String> named;
    private final String sipDomain;

    /**
     * @param destinations name → number or SIP URI
     * @param sipDomain    domain for names without an entry (empty: such names cannot be dialled)
     */
    public DialTargets(Map<String, String> destinations, String sipDomain) {
        this.named = Map.copyOf(destinations);
        this.sipDomain = sipDomain == null ? "" : sipDomain.trim();
    }

    /** The target for a transfer or queue action; empty when it has no address on Plivo. */
    public Optional<Target> resolve(Action action) {
        if (action instanceof Action.Enqueue q) {
            return byName(q.queue());
        }
        if (action instanceof Action.Transfer t) {
            switch (t.kind()) {
                case NUMBER:
                    return named.containsKey(t.destination()) ? byName(t.destination()) : address(t.destination());
                case SIP:
                    return address(t.destination());
                default:
                    return byName(t.destination());
            }
        }
        return Optional.empty();
    }

    private Optional<Target> byName(String name) {
        String configured = named.get(name);
        if (configured != null) {
            return address(configured);
        }
        return sipDomain.isEmpty() || name == null || name.isEmpty() ? Optional.empty()
                : Optional.of(new Target(true, "sip:" + name + "@" + sipDomain));
    }

    private static Optional<Target> address(String address) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String a = address.trim();
        if (a.startsWith("sip:")) {
            return Optional.of(new Target(true, a));
        }
        String digits = a.startsWith("+") ? a.substring(1) : a;
        return digits.chars().allMatch(Character::isDigit) && !digits.isEmpty()
                ? Optional.of(new Target(false, a)) : Optional.empty();
    }
}
