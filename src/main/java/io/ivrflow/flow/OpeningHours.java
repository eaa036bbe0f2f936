package io.ivrflow.flow;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a contact centre answers, in wall-clock time of one time zone. A call's instant is turned into
 * local time first, so daylight-saving changes need no special case: a span is open for every instant
 * whose local time falls inside it.
 *
 * <p>Order of evaluation, on the local date of the call: a dated exception decides alone; else a holiday
 * closes the whole day (including the early-morning tail of last night's span); else the weekly spans.
 *
 * @param zone       time zone the times are written in
 * @param weekly     weekly open spans
 * @param holidays   days closed all day
 * @param exceptions dates with hours of their own (or closed)
 */
public record OpeningHours(ZoneId zone, List<Span> weekly, List<Holiday> holidays, List<DateException> exceptions) {

    public static final int MINUTES_PER_DAY = 24 * 60;

    public OpeningHours {
        weekly = List.copyOf(weekly);
        holidays = List.copyOf(holidays);
        exceptions = List.copyOf(exceptions);
    }

    /** What the schedule says for a moment. */
    public enum Status { OPEN, CLOSED, HOLIDAY }

    /**
     * Open from {@code from} to {@code to} (minutes after midnight, end exclusive) on each listed day.
     * When {@code to <= from} the span crosses midnight and ends on the next day.
     */
    public record Span(Set<DayOfWeek> days, int from, int to, String pointer) {
        public Span {
            days = Set.copyOf(days);
        }

        public boolean crossesMidnight() {
            return to <= from;
        }
    }

    /** A closed day: a fixed date, or a month-day that comes back every year. */
    public record Holiday(String name, LocalDate date, MonthDay yearly, String pointer) {
        public boolean covers(LocalDate day) {
            return date != null ? date.equals(day) : yearly.equals(MonthDay.from(day));
        }
    }

    /** Dates ({@code from}..{@code until} inclusive) with their own hours: closed, or open only in {@code open}. */
    public record DateException(LocalDate from, LocalDate until, boolean closed, List<TimeRange> open, String pointer) {
        public DateException {
            open = List.copyOf(open);
        }

        public boolean covers(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(until);
        }
    }

    /** Minutes after midnight, end exclusive, within one day (to may be 1440). */
    public record TimeRange(int from, int to) {
        public boolean contains(int minute) {
            return minute >= from && minute < to;
        }
    }

    public Status statusAt(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        LocalDate day = local.toLocalDate();
        int minute = local.getHour() * 60 + local.getMinute();
        Optional<DateException> exception = exceptions.stream().filter(e -> e.covers(day)).findFirst();
        if (exception.isPresent()) {
            DateException e = exception.get();
            if (e.closed()) {
                return Status.HOLIDAY;
            }
            return e.open().stream().anyMatch(r -> r.contains(minute)) ? Status.OPEN : Status.CLOSED;
        }
        if (holidays.stream().anyMatch(h -> h.covers(day))) {
            return Status.HOLIDAY;
        }
        return weeklyOpen(day.getDayOfWeek(), minute) ? Status.OPEN : Status.CLOSED;
    }

    private boolean weeklyOpen(DayOfWeek day, int minute) {
        DayOfWeek yesterday = day.minus(1);
        for (Span s : weekly) {
            if (s.days().contains(day)) {
                if (s.crossesMidnight() ? minute >= s.from() : minute >= s.from() && minute < s.to()) {
                    return true;
                }
            }
            if (s.crossesMidnight() && s.days().contains(yesterday) && minute < s.to()) {
                return true;
            }
        }
        return false;
    }

    /** True when no moment can ever be open. */
    public boolean neverOpen() {
        boolean weeklyOpens = weekly.stream().anyMatch(s -> !s.days().isEmpty() && s.from() != s.to());
        boolean exceptionOpens = exceptions.stream().anyMatch(e -> !e.closed()
                && e.open().stream().anyMatch(r -> r.to() > r.from()));
        return !weeklyOpens && !exceptionOpens;
    }
}
