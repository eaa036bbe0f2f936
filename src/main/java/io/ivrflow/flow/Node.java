package io.ivrflow.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A step of a call flow. Every node may carry a {@code prompt}, said when the call enters the node,
 * before the node acts. Nodes name their successors by id; {@link #edges()} lists them.
 */
public sealed interface Node {

    String id();

    /** JSON pointer of the node in its file. */
    String pointer();

    /** Said on entry; null for none. */
    Prompt prompt();

    /** The kind as written in the flow file. */
    String kind();

    /** Declared ways out of this node. */
    List<Edge> edges();

    /** Nodes that read keys from the caller. */
    sealed interface InputNode extends Node permits Menu, Collect, Language {
        InputHandling handling();
    }

    /** Nodes after which the IVR's part of the call is over when they succeed. */
    sealed interface TerminalNode extends Node permits Queue, Agent, Transfer, Voicemail, Hangup {
    }

    // ---------------------------------------------------------------- caller input

    /** A menu choice: go to a node, or say the menu again. */
    record Choice(String target, boolean repeat, String pointer) {
    }

    record Menu(String id, String pointer, Prompt prompt, InputHandling handling, Map<String, Choice> options)
            implements InputNode {
        public Menu {
            options = Map.copyOf(options);
        }

        public String kind() {
            return "menu";
        }

        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            options.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> edges.add(new Edge(id,
                    "key:" + e.getKey(), e.getValue().repeat() ? id : e.getValue().target(), e.getValue().pointer())));
            addInputExits(this, edges);
            return edges;
        }
    }

    /**
     * Reads digits into a variable.
     *
     * @param pattern   regular expression the whole entry must match; null for any
     * @param sensitive the entry is never logged nor shown in traces (card numbers, PINs)
     */
    record Collect(String id, String pointer, Prompt prompt, InputHandling handling, String variable,
                   String pattern, boolean sensitive, String next) implements InputNode {
        public String kind() {
            return "collect";
        }

        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            edges.add(new Edge(id, "collected", next, pointer + "/next"));
            addInputExits(this, edges);
            return edges;
        }
    }

    /** Lets the caller pick a language (key to language code), then continues at {@code next}. */
    record Language(String id, String pointer, Prompt prompt, InputHandling handling, Map<String, String> options,
                    String next) implements InputNode {
        public Language {
            options = Map.copyOf(options);
        }

        public String kind() {
            return "language";
        }

        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            options.keySet().stream().sorted().forEach(k -> edges.add(
                    new Edge(id, "key:" + k, next, pointer + "/options/" + Pointers.escape(k))));
            addInputExits(this, edges);
            return edges;
        }
    }

    private static void addInputExits(InputNode node, List<Edge> edges) {
        InputHandling h = node.handling();
        edges.add(new Edge(node.id(), "noInput", h.noInputExit(),
                node.pointer() + (h.noInput().next() != null ? "/noInput/next" : "/fallback")));
        edges.add(new Edge(node.id(), "noMatch", h.noMatchExit(),
                node.pointer() + (h.noMatch().next() != null ? "/noMatch/next" : "/fallback")));
    }

    // ---------------------------------------------------------------- saying things

    /** Says its prompt (text, SSML or recorded audio), then goes on. Written {@code say} or {@code play}. */
    record Say(String id, String pointer, Prompt prompt, String next) implements Node {
        public String kind() {
            return "say";
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "next", next, pointer + "/next"));
        }
    }

    // ---------------------------------------------------------------- decisions

    /** Routes on the time of the call: open hours, holidays and dated exceptions. */
    record Schedule(String id, String pointer, Prompt prompt, OpeningHours hours, String open, String closed,
                    String holiday) implements Node {
        public String kind() {
            return "schedule";
        }

        /** Holidays use the closed exit unless the flow names one of their own. */
        public String holidayExit() {
            return holiday != null ? holiday : closed;
        }

        /** The holiday edge exists only when the hours have holidays or closed days to take it. */
        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>(List.of(new Edge(id, "open", open, pointer + "/open"),
                    new Edge(id, "closed", closed, pointer + "/closed")));
            if (!hours.holidays().isEmpty() || hours.exceptions().stream().anyMatch(OpeningHours.DateException::closed)) {
                edges.add(new Edge(id, "holiday", holidayExit(), pointer + (holiday != null ? "/holiday" : "/closed")));
            }
            return edges;
        }
    }

    enum Operator { EQ, NE, LT, LE, GT, GE, IN, MATCHES, SET, UNSET;

        public boolean numeric() {
            return this == LT || this == LE || this == GT || this == GE;
        }
    }

    /** One test of a condition: {@code variable operator value}. */
    record Rule(String variable, Operator operator, String value, String next, String pointer) {
    }

    /** The first rule that holds decides the next node; {@code otherwise} when none does. */
    record Condition(String id, String pointer, Prompt prompt, List<Rule> rules, String otherwise) implements Node {
        public Condition {
            rules = List.copyOf(rules);
        }

        public String kind() {
            return "condition";
        }

        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                edges.add(new Edge(id, "rule:" + i, rules.get(i).next(), rules.get(i).pointer() + "/next"));
            }
            edges.add(new Edge(id, "otherwise", otherwise, pointer + "/otherwise"));
            return edges;
        }
    }

    /** Sets variables (values may use {@code ${variable}}) and increments counters, then goes on. */
    record Set(String id, String pointer, Prompt prompt, Map<String, String> values, List<String> increment,
               String next) implements Node {
        public Set {
            values = Map.copyOf(values);
            increment = List.copyOf(increment);
        }

        public String kind() {
            return "set";
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "next", next, pointer + "/next"));
        }
    }

    enum LookupSource { DIRECTORY, HTTP }

    /**
     * Asks an outside service and copies fields of its answer into variables.
     *
     * @param params   {@code profile}/{@code term} for the directory, {@code url}/{@code method} for HTTP; values may
     *                 use {@code ${variable}}
     * @param assign   variable name to result field (a dird column, or a JSON pointer into an HTTP answer)
     * @param timeout  after this the lookup counts as failed and {@code onFailure} is taken
     * @param next     taken when the lookup found something
     * @param notFound taken when it found nothing (defaults to {@code next})
     * @param onFailure taken when the service failed or was too slow (defaults to {@code notFound})
     */
    record Lookup(String id, String pointer, Prompt prompt, LookupSource source, Map<String, String> params,
                  Map<String, String> assign, Duration timeout, String next, String notFound, String onFailure)
            implements Node {
        public Lookup {
            params = Map.copyOf(params);
            assign = Map.copyOf(assign);
        }

        public String kind() {
            return "lookup";
        }

        public String notFoundExit() {
            return notFound != null ? notFound : next;
        }

        public String failureExit() {
            return onFailure != null ? onFailure : notFoundExit();
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "found", next, pointer + "/next"),
                    new Edge(id, "notFound", notFoundExit(), pointer + (notFound != null ? "/notFound" : "/next")),
                    new Edge(id, "failure", failureExit(), pointer + (onFailure != null ? "/onFailure"
                            : notFound != null ? "/notFound" : "/next")));
        }
    }

    // ---------------------------------------------------------------- recording

    enum RecordOperation { START, STOP, PAUSE, RESUME }

    /** Starts, stops, pauses or resumes the call recording; {@code onFailure} when the platform refuses. */
    record Record(String id, String pointer, Prompt prompt, RecordOperation operation, String next, String onFailure)
            implements Node {
        public String kind() {
            return "record";
        }

        public String failureExit() {
            return onFailure != null ? onFailure : next;
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "next", next, pointer + "/next"),
                    new Edge(id, "failure", failureExit(), pointer + (onFailure != null ? "/onFailure" : "/next")));
        }
    }

    // ---------------------------------------------------------------- moving around the flow

    record Goto(String id, String pointer, Prompt prompt, String target) implements Node {
        public String kind() {
            return "goto";
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "next", target, pointer + "/target"));
        }
    }

    /** Runs another flow from its start; its {@code return} node comes back to {@code next}. */
    record Subflow(String id, String pointer, Prompt prompt, String flow, String next) implements Node {
        public String kind() {
            return "subflow";
        }

        public List<Edge> edges() {
            return List.of(new Edge(id, "return", next, pointer + "/next"));
        }
    }

    /** Ends a sub-flow. In a flow run on its own, it ends the call politely. */
    record Return(String id, String pointer, Prompt prompt) implements Node {
        public String kind() {
            return "return";
        }

        public List<Edge> edges() {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- leaving the IVR

    /**
     * Sends the caller to a queue. Whether anyone can answer is for the adapter to find out; it reports
     * "no agents" and the call takes {@code noAgents}.
     */
    record Queue(String id, String pointer, Prompt prompt, String queue, Duration timeout, String noAgents,
                 String onFailure) implements TerminalNode {
        public String kind() {
            return "queue";
        }

        public List<Edge> edges() {
            List<Edge> edges = new ArrayList<>();
            if (noAgents != null) {
                edges.add(new Edge(id, "noAgents", noAgents, pointer + "/noAgents"));
            }
            if (onFailure != null) {
                edges.add(new Edge(id, "failure", onFailure, pointer + "/onFailure"));
            }
            return edges;
        }
    }

    /** Rings one agent (by agent number). */
    record Agent(String id, String pointer, Prompt prompt, String agent, Duration timeout, String onFailure)
            implements TerminalNode {
        public String kind() {
            return "agent";
        }

        public List<Edge> edges() {
            return onFailure == null ? List.of() : List.of(new Edge(id, "failure", onFailure, pointer + "/onFailure"));
        }
    }

    enum TransferKind { EXTENSION, NUMBER, SIP }

    /**
     * Connects the caller to an extension (with an optional dialplan context), a phone number or a SIP user.
     * A failed attempt (busy, no answer) takes {@code onFailure}; without one the caller hears an apology.
     */
    record Transfer(String id, String pointer, Prompt prompt, TransferKind to, String destination, String context,
                    String callerId, Duration timeout, String onFailure) implements TerminalNode {
        public String kind() {
            return "transfer";
        }

        public List<Edge> edges() {
            return onFailure == null ? List.of() : List.of(new Edge(id, "failure", onFailure, pointer + "/onFailure"));
        }
    }

    /** Leaves the caller in a voicemail box; the prompt is the greeting. */
    record Voicemail(String id, String pointer, Prompt prompt, String mailbox, Duration maxLength, String onFailure)
            implements TerminalNode {
        public String kind() {
            return "voicemail";
        }

        public List<Edge> edges() {
            return onFailure == null ? List.of() : List.of(new Edge(id, "failure", onFailure, pointer + "/onFailure"));
        }
    }

    /** Says its prompt, if any, and hangs up. */
    record Hangup(String id, String pointer, Prompt prompt, String reason) implements TerminalNode {
        public String kind() {
            return "hangup";
        }

        public List<Edge> edges() {
            return List.of();
        }
    }
}
