package io.ivrflow.engine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${name}} in prompt text, SSML, lookup parameters and set values. An unknown name gives "". */
public final class Templates {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Templates() {
    }

    public static String fill(String template, Map<String, String> variables) {
        return fill(template, variables, false);
    }

    /** With {@code xml}, values are escaped so a caller's name cannot break an SSML document. */
    public static String fill(String template, Map<String, String> variables, boolean xml) {
        if (template == null || template.indexOf("${") < 0) {
            return template;
        }
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.getOrDefault(m.group(1), "");
            m.appendReplacement(out, Matcher.quoteReplacement(xml ? escapeXml(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String escapeXml(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
