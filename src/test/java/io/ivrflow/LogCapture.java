package io.ivrflow;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of the JVM while open (logger name and formatted message), to check what the service logs. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    public record Line(String logger, String message, String level) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
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
        lines.add(new Line(event.getLoggerName(), event.getMessage().getFormattedMessage()
                + (event.getThrown() == null ? "" : " " + event.getThrown()), event.getLevel().name()));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<String> messages(String logger) {
        return lines.stream().filter(l -> l.logger().equals(logger)).map(Line::message).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
