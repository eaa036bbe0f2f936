package io.ivrflow.prompts;

import io.ivrflow.engine.RenderedPrompt;
import io.ivrflow.flow.Flow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The prompt review page: plain HTML, no script, so it works anywhere a browser can reach ivrflow. */
final class ReviewPage {

    private ReviewPage() {
    }

    static String index(Collection<Flow> flows, Pregeneration.Report last) {
        StringBuilder b = new StringBuilder("<p>Every prompt of a flow, per language, with what callers hear.</p><ul>");
        for (Flow f : flows) {
            b.append("<li><a href=\"/prompts/review/").append(URLEncoder.encode(f.id(), StandardCharsets.UTF_8))
                    .append("\">").append(escape(f.id())).append("</a> (").append(f.languages().size())
                    .append(" language(s))</li>");
        }
        b.append("</ul>");
        if (last != null) {
            b.append("<p class=\"last\">Last pre-generation: ").append(escape(last.toString())).append("</p>");
        }
        return page("Prompts", b.toString());
    }

    static String flow(Flow flow, Prompts prompts) {
        PromptResolver resolver = prompts.resolver();
        Platform plivo = prompts.platform("plivo");
        List<PromptCatalog.Item> items = PromptCatalog.of(flow);
        StringBuilder b = new StringBuilder();
        b.append("<p><a href=\"/prompts/review\">All flows</a> · ").append(items.size())
                .append(" prompt(s) in ").append(escape(String.join(", ", flow.languages()))).append("</p>");
        b.append("<table><thead><tr><th>Where</th><th>Language</th><th>Words</th><th>Audio</th></tr></thead><tbody>");
        for (PromptCatalog.Item item : items) {
            RenderedPrompt p = item.prompt();
            b.append("<tr data-language=\"").append(escape(item.language())).append("\"><td><code>")
                    .append(escape(item.where().isEmpty() ? "(engine message)" : item.where())).append("</code></td><td>")
                    .append(escape(item.language())).append("</td><td>");
            String words = p.ssml() != null ? p.ssml() : p.text();
            b.append(words == null ? "<em>none</em>" : escape(words));
            if (item.dynamic()) {
                b.append("<br><small>dynamic: filled in per call; this generic form is the fallback</small>");
            }
            b.append("</td><td>").append(audio(p, resolver, plivo)).append("</td></tr>");
        }
        b.append("</tbody></table>");
        return page("Prompts of " + flow.id(), b.toString());
    }

    private static String audio(RenderedPrompt p, PromptResolver resolver, Platform plivo) {
        if (p.audio() != null && resolver.hasRecording(p)) {
            if (PromptResolver.MEDIA_URI.matcher(p.audio()).matches()) {
                return "platform media <code>" + escape(p.audio()) + "</code>";
            }
            String src = p.audio().contains("://") ? p.audio() : "/audio/" + p.audio();
            return player(src) + "<br><small>recorded: " + escape(p.audio()) + "</small>";
        }
        String missing = p.audio() != null ? "<br><small class=\"warn\">recorded file " + escape(p.audio())
                + " is missing</small>" : "";
        Optional<AudioCache.Entry> cached = SpeechRequest.of(p, plivo.target()).flatMap(resolver.speech()::cached);
        if (cached.isPresent()) {
            return player("/prompts/audio/" + cached.get().fileName()) + "<br><small>synthesised: "
                    + cached.get().fileName() + "</small>" + missing;
        }
        return "<small class=\"warn\">not synthesised yet (callers hear the platform's TTS)</small>" + missing;
    }

    private static String player(String src) {
        return "<audio controls preload=\"none\" src=\"" + escape(src) + "\"></audio>";
    }

    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + " · ivrflow</title><style>body{font:14px system-ui,sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;"
                + "text-align:left}.warn{color:#a40}</style></head><body><h1>" + escape(title) + "</h1>" + body
                + "</body></html>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
