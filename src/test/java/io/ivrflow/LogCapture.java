package io.ivrflow;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of the JVM while open (logger name and formatted message), to check what the service logs. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    /**
     * @param message the formatted message (and the exceptions' messages)
     * @param printed the line as the console prints it, through the shipped layout and its masks (only for a
     *                capture {@link #atEveryLevel()}; else the message)
     */
    public record Line(String logger, String message, String level, String printed) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    /** Set by {@link #atEveryLevel()}: the levels and console appenders to put back on close. */
    private Map<LoggerConfig, Level> levels;
    private List<Appender> detached;
    private org.apache.logging.log4j.core.Layout<?> layout;

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    /**
     * Every line at every level, TRACE included, of every logger: for the scan that no line ever holds a caller's
     * number or a secret. The console keeps showing INFO and above only; everything is put back on close.
     */
    public static LogCapture atEveryLevel() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        capture.levels = new HashMap<>();
        capture.levels.put(root, root.getLevel());
        config.getLoggers().values().forEach(l -> capture.levels.put(l, l.getLevel()));
        capture.detached = new ArrayList<>(root.getAppenders().values());
        capture.layout = capture.detached.stream().map(Appender::getLayout).filter(java.util.Objects::nonNull)
                .findFirst().orElseThrow(() -> new IllegalStateException("no console appender to take a layout from"));
        for (Appender a : capture.detached) {
            root.removeAppender(a.getName());
            root.addAppender(a, Level.INFO, null);
        }
        capture.levels.keySet().forEach(l -> l.setLevel(Level.ALL));
        root.addAppender(capture, null, null);
        ctx.updateLoggers();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(this, null, null);
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder message = new StringBuilder(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            message.append(' ').append(t);
        }
        String printed = layout == null ? message.toString() : String.valueOf(layout.toSerializable(event));
        lines.add(new Line(event.getLoggerName(), message.toString(), event.getLevel().name(), printed));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<String> messages(String logger) {
        return lines.stream().filter(l -> l.logger().equals(logger)).map(Line::message).toList();
    }

    @Override
    public synchronized void close() {
        if (isStopped()) {
            return;
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = ctx.getConfiguration().getRootLogger();
        root.removeAppender(getName());
        if (levels != null) {
            levels.forEach(LoggerConfig::setLevel);
            for (Appender a : detached) {
                root.removeAppender(a.getName());
                root.addAppender(a, null, null);
            }
        }
        ctx.updateLoggers();
        stop();
    }
}
