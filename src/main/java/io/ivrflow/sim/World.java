package io.ivrflow.sim;

import io.ivrflow.engine.Event;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the simulated platform answers: lookups, queues, transfers and recording. Anything not listed
 * succeeds: lookups find nothing, queues have an agent, transfers connect, recording works.
 *
 * @param lookups    by lookup node id: the answers to successive lookups of that node (the last one repeats)
 * @param agents     agents able to answer, by queue name (default 1)
 * @param queues     queues that fail to take the call, by queue name
 * @param transfers  failures by destination (extension, number, SIP URI, agent or mailbox)
 * @param recordingFails the platform refuses recording commands (calld answers 403)
 */
public record World(Map<String, List<LookupAnswer>> lookups, Map<String, Integer> agents,
                    Map<String, Event.FailureReason> queues, Map<String, Event.FailureReason> transfers,
                    boolean recordingFails) {

    public static final World DEFAULT = new World(Map.of(), Map.of(), Map.of(), Map.of(), false);

    public World {
        lookups = lookups == null ? Map.of() : Map.copyOf(lookups);
        agents = agents == null ? Map.of() : Map.copyOf(agents);
        queues = queues == null ? Map.of() : Map.copyOf(queues);
        transfers = transfers == null ? Map.of() : Map.copyOf(transfers);
    }

    /** What a lookup returns and after how long (longer than the node's timeout means too slow). */
    public record LookupAnswer(Event.LookupStatus status, Map<String, String> fields, Duration latency) {
        public LookupAnswer {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
            latency = latency == null ? Duration.ofMillis(100) : latency;
        }
    }

    /** The answer to the {@code n}-th (0-based) lookup of a node. */
    public LookupAnswer lookup(String nodeId, int n) {
        List<LookupAnswer> answers = lookups.get(nodeId);
        if (answers == null || answers.isEmpty()) {
            return new LookupAnswer(Event.LookupStatus.NOT_FOUND, Map.of(), null);
        }
        return answers.get(Math.min(n, answers.size() - 1));
    }

    public int agents(String queue) {
        return agents.getOrDefault(queue, 1);
    }

    public Event.FailureReason transferFailure(String destination) {
        return transfers.get(destination);
    }
}
