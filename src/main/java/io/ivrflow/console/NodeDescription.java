package io.ivrflow.console;

import io.ivrflow.flow.InputHandling;
import io.ivrflow.flow.Node;
import io.ivrflow.flow.OpeningHours;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A node told in a few words: the line under its name in the picture, its family, and the facts of its panel. */
final class NodeDescription {

    /** One line of a node's panel: {@code queue: sales}. */
    record Fact(String name, String value) {
    }

    private static final int SUMMARY_MAX = 26;

    private NodeDescription() {
    }

    /**
     * The family of a node, for its shape and colour: {@code input} (reads keys), {@code say}, {@code decision},
     * {@code action} (lookup, set, record), {@code jump} (goto, sub-flow, return), {@code exit} (leaves the IVR:
     * queue, agent, transfer, voicemail), {@code end} (hang up).
     */
    static String family(Node node) {
        if (node instanceof Node.InputNode) {
            return "input";
        }
        if (node instanceof Node.Hangup) {
            return "end";
        }
        if (node instanceof Node.TerminalNode) {
            return "exit";
        }
        if (node instanceof Node.Schedule || node instanceof Node.Condition) {
            return "decision";
        }
        if (node instanceof Node.Goto || node instanceof Node.Subflow || node instanceof Node.Return) {
            return "jump";
        }
        if (node instanceof Node.Say) {
            return "say";
        }
        return "action";
    }

    /** The line under a node's name: {@code queue sales}, {@code menu 1 2 3 9}, {@code sub-flow card-payment}. */
    static String summary(Node node) {
        String s;
        if (node instanceof Node.Menu m) {
            s = "menu " + String.join(" ", m.options().keySet().stream().sorted().toList());
        } else if (node instanceof Node.Collect c) {
            s = "collect " + c.variable();
        } else if (node instanceof Node.Language l) {
            s = "language " + l.options().keySet().stream().sorted().map(k -> l.options().get(k))
                    .collect(Collectors.joining("/"));
        } else if (node instanceof Node.Say say) {
            s = say.prompt() != null && say.prompt().byLanguage().values().stream().allMatch(v -> v.audio() != null)
                    ? "play " + fileName(say.prompt().byLanguage().values().iterator().next().audio()) : "say";
        } else if (node instanceof Node.Condition c) {
            s = "condition on " + c.rules().stream().map(Node.Rule::variable).distinct().collect(Collectors.joining(", "));
        } else if (node instanceof Node.Set set) {
            List<String> names = new ArrayList<>(set.values().keySet().stream().sorted().toList());
            names.addAll(set.increment());
            s = "set " + String.join(", ", names);
        } else if (node instanceof Node.Lookup l) {
            s = "lookup " + l.source().name().toLowerCase(Locale.ROOT);
        } else if (node instanceof Node.Record r) {
            s = "record " + r.operation().name().toLowerCase(Locale.ROOT);
        } else if (node instanceof Node.Goto g) {
            s = "go to " + g.target();
        } else if (node instanceof Node.Subflow f) {
            s = "sub-flow " + f.flow();
        } else if (node instanceof Node.Queue q) {
            s = "queue " + q.queue();
        } else if (node instanceof Node.Agent a) {
            s = "agent " + a.agent();
        } else if (node instanceof Node.Transfer t) {
            s = "transfer " + t.destination();
        } else if (node instanceof Node.Voicemail v) {
            s = "voicemail " + v.mailbox();
        } else if (node instanceof Node.Hangup) {
            s = "hang up";
        } else {
            s = node.kind();
        }
        return s.length() <= SUMMARY_MAX ? s : s.substring(0, SUMMARY_MAX - 1) + "…";
    }

    /** What the node's panel lists besides its prompts and exits. */
    static List<Fact> facts(Node node) {
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("type", node.kind()));
        if (node instanceof Node.InputNode in) {
            input(in.handling(), facts);
        }
        if (node instanceof Node.Collect c) {
            facts.add(new Fact("variable", c.variable() + (c.sensitive() ? " (sensitive: never shown)" : "")));
            if (c.pattern() != null) {
                facts.add(new Fact("pattern", c.pattern()));
            }
        } else if (node instanceof Node.Language l) {
            l.options().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> facts.add(new Fact("key " + e.getKey(), e.getValue())));
        } else if (node instanceof Node.Schedule s) {
            hours(s.hours(), facts);
        } else if (node instanceof Node.Condition c) {
            for (int i = 0; i < c.rules().size(); i++) {
                facts.add(new Fact("rule " + (i + 1), EdgeLabel.test(c.rules().get(i)) + " → " + c.rules().get(i).next()));
            }
            facts.add(new Fact("otherwise", c.otherwise()));
        } else if (node instanceof Node.Set s) {
            s.values().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> facts.add(new Fact(e.getKey(), e.getValue())));
            s.increment().forEach(v -> facts.add(new Fact(v, "+1")));
        } else if (node instanceof Node.Lookup l) {
            facts.add(new Fact("source", l.source().name().toLowerCase(Locale.ROOT)));
            l.params().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> facts.add(new Fact(e.getKey(), e.getValue())));
            l.assign().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> facts.add(new Fact("sets " + e.getKey(), "from " + e.getValue())));
            facts.add(new Fact("timeout", seconds(l.timeout())));
        } else if (node instanceof Node.Record r) {
            facts.add(new Fact("action", r.operation().name().toLowerCase(Locale.ROOT)));
        } else if (node instanceof Node.Subflow f) {
            facts.add(new Fact("flow", f.flow()));
        } else if (node instanceof Node.Queue q) {
            facts.add(new Fact("queue", q.queue()));
            facts.add(new Fact("timeout", seconds(q.timeout())));
        } else if (node instanceof Node.Agent a) {
            facts.add(new Fact("agent", a.agent()));
            facts.add(new Fact("timeout", seconds(a.timeout())));
        } else if (node instanceof Node.Transfer t) {
            facts.add(new Fact(t.to().name().toLowerCase(Locale.ROOT), t.destination()
                    + (t.context() == null ? "" : "@" + t.context())));
            if (t.callerId() != null) {
                facts.add(new Fact("caller id", t.callerId()));
            }
            facts.add(new Fact("timeout", seconds(t.timeout())));
        } else if (node instanceof Node.Voicemail v) {
            facts.add(new Fact("mailbox", v.mailbox()));
            facts.add(new Fact("max length", seconds(v.maxLength())));
        } else if (node instanceof Node.Hangup h && h.reason() != null) {
            facts.add(new Fact("reason", h.reason()));
        }
        return facts;
    }

    private static void input(InputHandling h, List<Fact> facts) {
        var in = h.input();
        facts.add(new Fact("timeouts", "first key " + seconds(in.firstDigitTimeout()) + ", between keys "
                + seconds(in.interDigitTimeout())));
        facts.add(new Fact("digits", in.minDigits() + "–" + in.maxDigits()
                + (in.hasTerminator() ? ", ends with " + in.terminator() : "")
                + (in.bargeIn() ? ", keys interrupt the prompt" : "")));
        facts.add(new Fact("no input", h.noInput().max() + " tries, then " + h.noInputExit()));
        facts.add(new Fact("no match", h.noMatch().max() + " tries, then " + h.noMatchExit()));
    }

    private static void hours(OpeningHours hours, List<Fact> facts) {
        facts.add(new Fact("time zone", hours.zone().getId()));
        for (OpeningHours.Span s : hours.weekly()) {
            facts.add(new Fact(days(s.days()), time(s.from()) + "–" + time(s.to())));
        }
        for (OpeningHours.Holiday h : hours.holidays()) {
            facts.add(new Fact("holiday", (h.name() == null ? "" : h.name() + ", ")
                    + (h.date() != null ? h.date().toString()
                    : String.format("every %02d-%02d", h.yearly().getMonthValue(), h.yearly().getDayOfMonth()))));
        }
        for (OpeningHours.DateException e : hours.exceptions()) {
            String when = e.from().equals(e.until()) ? e.from().toString() : e.from() + " to " + e.until();
            facts.add(new Fact(when, e.closed() ? "closed" : "open " + e.open().stream()
                    .map(r -> time(r.from()) + "–" + time(r.to())).collect(Collectors.joining(", "))));
        }
    }

    private static String days(java.util.Set<DayOfWeek> days) {
        return days.stream().sorted().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                .collect(Collectors.joining(" "));
    }

    private static String time(int minutes) {
        return String.format("%02d:%02d", minutes / 60 % 24, minutes % 60);
    }

    private static String seconds(Duration d) {
        if (d == null) {
            return "platform default";
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
