package io.ivrflow.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A scripted call with expectations, as written in a {@code *.scenarios.json} file.
 *
 * @param start node to start at instead of the flow's start (to test a part of a flow on its own)
 */
public record Scenario(String source, String flow, String name, String caller, String called, String language,
                       Instant at, String start, Map<String, String> variables, World world, List<Step> steps,
                       Expect expect) {

    public Scenario {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        steps = List.copyOf(steps);
    }

    /** One thing the caller does, or a check in the middle of the call. */
    public sealed interface Step {
    }

    /** Keys pressed (listening to the end of the prompt first unless {@code interrupt}); {@code gap} between keys. */
    public record Press(String keys, boolean interrupt, Duration gap) implements Step {
    }

    public record Wait(Duration duration) implements Step {
    }

    public record HangUp() implements Step {
    }

    /** Checks at this point: the node the call is at, and text heard since the previous step. */
    public record Check(String node, String heard, String language) implements Step {
    }

    /**
     * Expectations on the whole call once it is over.
     *
     * @param outcome   e.g. {@code queued:sales}, {@code transferred:1001}, {@code hung-up:goodbye}
     * @param trace     exact list of node ids entered
     * @param heard     texts (substrings) heard, in this order
     * @param notHeard  texts that must never be heard
     * @param variables variable values at the end
     * @param language  language of the call at the end
     */
    public record Expect(String outcome, List<String> trace, List<String> heard, List<String> notHeard,
                         Map<String, String> variables, String language) {
        public Expect {
            trace = trace == null ? null : List.copyOf(trace);
            heard = heard == null ? List.of() : List.copyOf(heard);
            notHeard = notHeard == null ? List.of() : List.copyOf(notHeard);
            variables = variables == null ? Map.of() : Map.copyOf(variables);
        }
    }
}
