package io.ivrflow.wazo;

import io.ivrflow.engine.Action;
import io.ivrflow.engine.Event.FailureReason;
import io.ivrflow.engine.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a hand-off goes on Wazo, as an extension in a context that calld can call into a node:
 * <ul>
 *   <li>a queue: its extension from confd, once agentd says someone logged in and not paused can answer it
 *       (nobody: the flow's no-agents exit, without ringing anything);</li>
 *   <li>an agent: the phone the agent is logged in on, from agentd;</li>
 *   <li>an extension or a number: itself, in the flow's context or the configured one;</li>
 *   <li>a mailbox: {@code *97<box>}, Wazo's "leave a message in this box" feature extension.</li>
 * </ul>
 * Names listed in {@code ivr.wazo.destinations} win over all of this: {@code queue:sales=3001@queues},
 * {@code mailbox:general=8000@voicemail}, and plain names for transfers ({@code operator=1000@default}); the
 * prefixes keep a queue and a mailbox of the same name apart.
 */
public final class WazoTargets {

    private static final Logger LOG = LoggerFactory.getLogger(WazoTargets.class);

    /** Either an extension to call, or why there is none. */
    public record Resolution(Confd.Extension target, Event.TransferFailed failure) {
        static Resolution to(String exten, String context) {
            return new Resolution(new Confd.Extension(exten, context), null);
        }

        static Resolution fail(FailureReason reason, String detail) {
            return new Resolution(null, new Event.TransferFailed(reason, detail));
        }
    }

    private final Confd confd;
    private final Agentd agentd;
    private final Map<String, Confd.Extension> destinations;
    private final String defaultContext;
    private final String outgoingContext;
    private final String voicemailPrefix;
    private final String voicemailContext;

    public WazoTargets(Confd confd, Agentd agentd, Map<String, Confd.Extension> destinations, String defaultContext,
                       String outgoingContext, String voicemailPrefix, String voicemailContext) {
        this.confd = confd;
        this.agentd = agentd;
        this.destinations = Map.copyOf(destinations);
        this.defaultContext = defaultContext;
        this.outgoingContext = outgoingContext;
        this.voicemailPrefix = voicemailPrefix;
        this.voicemailContext = voicemailContext;
    }

    public CompletableFuture<Resolution> resolve(Action action) {
        if (action instanceof Action.Enqueue q) {
            return queue(q.queue());
        }
        if (action instanceof Action.Voicemail v) {
            Confd.Extension e = destinations.get("mailbox:" + v.mailbox());
            return CompletableFuture.completedFuture(e != null ? new Resolution(e, null)
                    : Resolution.to(voicemailPrefix + v.mailbox(), voicemailContext));
        }
        if (action instanceof Action.Transfer t) {
            Confd.Extension e = destinations.get(t.destination());
            if (e != null) {
                return CompletableFuture.completedFuture(new Resolution(e, null));
            }
            return switch (t.kind()) {
                case EXTENSION -> CompletableFuture.completedFuture(Resolution.to(t.destination(),
                        t.context() != null ? t.context() : defaultContext));
                case NUMBER -> CompletableFuture.completedFuture(Resolution.to(t.destination().replaceAll("[^0-9*#+]", ""),
                        outgoingContext));
                case AGENT -> agent(t.destination());
                case SIP -> CompletableFuture.completedFuture(Resolution.fail(FailureReason.FAILED,
                        "a SIP address cannot be called into a calld node; list it in ivr.wazo.destinations"));
            };
        }
        return CompletableFuture.completedFuture(Resolution.fail(FailureReason.FAILED, "not a hand-off: " + action));
    }

    private CompletableFuture<Resolution> queue(String name) {
        Confd.Extension configured = destinations.get("queue:" + name);
        CompletableFuture<Optional<Confd.Extension>> where = configured != null
                ? CompletableFuture.completedFuture(Optional.of(configured)) : confd.queue(name);
        // when agentd cannot say, the caller is queued anyway: the queue itself knows best, and a caller in a
        // queue is better off than one sent to voicemail because a status service is down
        CompletableFuture<Integer> agents = agentd.availableIn(name).exceptionally(e -> {
            LOG.warn("agentd cannot tell who answers queue {} ({}); queueing the caller anyway", name,
                    WazoHttp.describe(e));
            return -1;
        });
        return where.thenCombine(agents, (ext, available) -> {
            if (ext.isEmpty()) {
                return Resolution.fail(FailureReason.FAILED, "confd has no queue named " + name);
            }
            if (available == 0) {
                return Resolution.fail(FailureReason.NO_AGENTS, "no agent logged in and free in queue " + name);
            }
            return new Resolution(ext.get(), null);
        }).exceptionally(e -> Resolution.fail(FailureReason.FAILED, "queue " + name + ": " + WazoHttp.describe(e)));
    }

    private CompletableFuture<Resolution> agent(String number) {
        return agentd.agent(number).thenApply(status -> {
            if (status.isEmpty()) {
                return Resolution.fail(FailureReason.FAILED, "agentd has no agent " + number);
            }
            Agentd.AgentStatus a = status.get();
            if (!a.logged()) {
                return Resolution.fail(FailureReason.NO_AGENTS, "agent " + number + " is not logged in");
            }
            if (a.paused()) {
                return Resolution.fail(FailureReason.BUSY, "agent " + number + " is paused");
            }
            if (a.extension() == null || a.context() == null) {
                return Resolution.fail(FailureReason.FAILED, "agent " + number + " has no phone");
            }
            return Resolution.to(a.extension(), a.context());
        }).exceptionally(e -> Resolution.fail(FailureReason.FAILED, "agent " + number + ": " + WazoHttp.describe(e)));
    }
}
