package io.ivrflow.observe;

import io.ivrflow.engine.CallState;
import io.ivrflow.engine.TraceEntry;
import io.ivrflow.flowstore.FlowRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The IVR's own metrics, next to Camel's on {@code /observe/metrics} (Prometheus names in brackets):
 * <ul>
 *   <li>calls started and ended per flow and platform ({@code ivr_calls_started_total}, {@code ivr_calls_ended_total}),
 *       and how they ended ({@code ivr_call_outcomes_total}, tag {@code outcome}: queued, transferred, hung-up...);</li>
 *   <li>node visits ({@code ivr_node_visits_total}, tags flow and node);</li>
 *   <li>no-input and no-match per menu ({@code ivr_menu_no_input_total}, {@code ivr_menu_no_match_total}), counted
 *       at each time-out or wrong entry, including the last one that takes the exit;</li>
 *   <li>webhook and bus event handling time ({@code ivr_webhook_seconds}, tag hook; {@code ivr_event_seconds}, tag
 *       event: from the event's arrival to the end of its handling, its wait for the call's lane included);</li>
 *   <li>webhooks answered without stepping a call ({@code ivr_webhook_not_stepped_total}, tag why: repeated,
 *       replayed, refused-state);</li>
 *   <li>faults of peers and disks ({@code ivr_faults_total}, tags source and kind: calld 5xx, polly throttled,
 *       prompt-cache write, flows-folder read ...);</li>
 *   <li>prompt cache hits, misses and syntheses ({@code ivr_prompt_cache_hits_total}...), flows serving and files
 *       with errors ({@code ivr_flows_serving}, {@code ivr_flows_files_with_errors}), reloads and refused versions.</li>
 * </ul>
 * Tags take flow and node ids, hook and event names and outcome kinds, never a number, a caller or a call id,
 * so the series stay as few as the flows' nodes.
 *
 * <p>The registry is the one Camel's Prometheus endpoint scrapes ({@code metricsRegistry}), given by the
 * composition root; the flows' and the prompt cache's gauges are bound once there, at startup.
 */
public class CallMetrics {

    private final MeterRegistry registry;

    public CallMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Metrics nobody scrapes (an adapter built without a registry, in tests). */
    public static CallMetrics unregistered() {
        return new CallMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The flow repository's gauges and counters. */
    public void bindFlows(FlowRepository flows) {
        Gauge.builder("ivr.flows.serving", flows, f -> f.catalog().all().size())
                .description("flows that can take calls").strongReference(true).register(registry);
        Gauge.builder("ivr.flows.files.with.errors", flows,
                        f -> f.entries().stream().filter(e -> e.errorCount() > 0).count())
                .description("flow files whose current content has errors").strongReference(true).register(registry);
        functionCounter("ivr.flows.reloads", "reads of the flows folder", flows, FlowRepository::reloadCount);
        functionCounter("ivr.flows.refused", "flow versions refused for errors", flows, FlowRepository::refusedCount);
    }

    /** The prompt audio cache's counters: read from the source when scraped. */
    public <T> void bindPromptCache(T source, ToDoubleFunction<T> hits, ToDoubleFunction<T> misses,
                                    ToDoubleFunction<T> made) {
        functionCounter("ivr.prompt.cache.hits", "prompts found in the audio cache", source, hits);
        functionCounter("ivr.prompt.cache.misses", "prompts not in the audio cache", source, misses);
        functionCounter("ivr.prompt.synthesised", "prompts synthesised by this instance", source, made);
    }

    /** Counts one call step. */
    public void step(CallStep s) {
        String flow = s.flowId() == null ? "unknown" : s.flowId();
        if (s.first() && s.event() instanceof io.ivrflow.engine.Event.CallStarted) {
            counter("ivr.calls.started", "flow", flow, "platform", s.platform()).increment();
        }
        for (TraceEntry t : s.step().trace()) {
            counter("ivr.node.visits", "flow", t.flowId(), "node", t.nodeId()).increment();
            // the exit taken after the last no-input / no-match is one more of them
            if ("noInput".equals(t.edge())) {
                counter("ivr.menu.no.input", "flow", t.flowId(), "node", t.from()).increment();
            } else if ("noMatch".equals(t.edge())) {
                counter("ivr.menu.no.match", "flow", t.flowId(), "node", t.from()).increment();
            }
        }
        CallState before = s.before();
        CallState after = s.state();
        if (before != null && before.nodeId() != null && before.nodeId().equals(after.nodeId())
                && Objects.equals(before.flowId(), after.flowId())) {
            // a re-prompt at the same node: the engine counted one more no-input or no-match there
            if (after.noInputs() > before.noInputs()) {
                counter("ivr.menu.no.input", "flow", after.flowId(), "node", after.nodeId()).increment();
            }
            if (after.noMatches() > before.noMatches()) {
                counter("ivr.menu.no.match", "flow", after.flowId(), "node", after.nodeId()).increment();
            }
        }
        if (s.ended()) {
            counter("ivr.calls.ended", "flow", flow, "platform", s.platform()).increment();
            String outcome = after.outcome() == null ? "none" : after.outcome().kind().name().toLowerCase().replace('_', '-');
            counter("ivr.call.outcomes", "flow", flow, "platform", s.platform(), "outcome", outcome).increment();
        }
    }

    /** A Plivo webhook answered in {@code nanos}. */
    public void webhook(String hook, long nanos) {
        timer("ivr.webhook", "Plivo webhook handling time", "hook", hook).record(Duration.ofNanos(nanos));
    }

    /** A Wazo bus event handled {@code nanos} after it arrived. */
    /**
     * A webhook answered without stepping its call ({@code ivr_webhook_not_stepped_total}, tags hook and why):
     * {@code repeated} (the same request again, given the same document), {@code replayed} (a step the call has
     * gone past), {@code refused-state} (a state token that does not open, or is of another flow).
     */
    public void webhookNotStepped(String hook, String why) {
        counter("ivr.webhook.not.stepped", "hook", hook, "why", why).increment();
    }

    /** A fault of a peer or a disk ({@code ivr_faults_total}, tags source and kind; see {@code ops.Faults}). */
    public void fault(String source, String kind) {
        counter("ivr.faults", "source", source, "kind", kind).increment();
    }

    public void event(String event, long nanos) {
        timer("ivr.event", "Wazo bus event time from arrival to handled", "event", event).record(Duration.ofNanos(nanos));
    }

    private <T> void functionCounter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    private Counter counter(String name, String... tags) {
        return registry.counter(name, tags);
    }

    private Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags)
                .publishPercentiles(0.5, 0.99).register(registry);
    }
}
