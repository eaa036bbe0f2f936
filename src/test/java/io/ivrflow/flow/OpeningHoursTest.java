package io.ivrflow.flow;

import io.ivrflow.flow.OpeningHours.DateException;
import io.ivrflow.flow.OpeningHours.Holiday;
import io.ivrflow.flow.OpeningHours.Span;
import io.ivrflow.flow.OpeningHours.Status;
import io.ivrflow.flow.OpeningHours.TimeRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.ivrflow.flow.OpeningHours.Status.CLOSED;
import static io.ivrflow.flow.OpeningHours.Status.HOLIDAY;
import static io.ivrflow.flow.OpeningHours.Status.OPEN;
import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules are evaluated on fixed instants: every expectation names the UTC instant and the local time it is. */
class OpeningHoursTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);
    static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(MONDAY, FRIDAY);

    static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
    }

    static Span span(Set<DayOfWeek> days, String from, String to) {
        return new Span(days, minutes(from), minutes(to), "");
    }

    static OpeningHours weekly(ZoneId zone, Span... spans) {
        return new OpeningHours(zone, List.of(spans), List.of(), List.of());
    }

    static Status at(OpeningHours hours, String instant) {
        return hours.statusAt(Instant.parse(instant));
    }

    /** Guards the premise of a DST test: this instant is that wall-clock time in that zone. */
    static void assertLocal(String expectedLocal, ZoneId zone, String instant) {
        assertEquals(LocalDateTime.parse(expectedLocal), LocalDateTime.ofInstant(Instant.parse(instant), zone),
                instant + " in " + zone);
    }

    // ---------------------------------------------------------------- weekly hours

    static final OpeningHours UTC_OFFICE = weekly(UTC, span(WEEKDAYS, "08:00", "17:00"),
            span(Set.of(SATURDAY), "09:00", "12:00"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // 2026-06-01 is a Monday
            "2026-06-01T07:59:59Z, CLOSED",
            "2026-06-01T08:00:00Z, OPEN", // opening minute included
            "2026-06-01T12:00:00Z, OPEN",
            "2026-06-01T16:59:59Z, OPEN",
            "2026-06-01T17:00:00Z, CLOSED", // closing minute excluded
            "2026-06-05T16:30:00Z, OPEN", // Friday
            "2026-06-06T08:30:00Z, CLOSED", // Saturday, before its own span
            "2026-06-06T11:59:00Z, OPEN",
            "2026-06-06T12:00:00Z, CLOSED",
            "2026-06-07T10:00:00Z, CLOSED", // Sunday
    })
    void weeklySpans(String instant, Status expected) {
        assertEquals(expected, at(UTC_OFFICE, instant));
    }

    @Test
    void spansAreReadInTheScheduleZoneNotInUtc() {
        OpeningHours paris = weekly(PARIS, span(WEEKDAYS, "08:00", "17:00"));
        // June: Paris is UTC+2
        assertEquals(CLOSED, at(paris, "2026-06-01T05:59:00Z"));
        assertEquals(OPEN, at(paris, "2026-06-01T06:00:00Z"));
        assertEquals(OPEN, at(paris, "2026-06-01T14:59:00Z"));
        assertEquals(CLOSED, at(paris, "2026-06-01T15:00:00Z"));
        // the local day decides the weekday: Saturday 00:30 in Paris is still Friday in UTC
        OpeningHours fridayOnly = weekly(PARIS, span(Set.of(FRIDAY), "00:00", "24:00"));
        assertEquals(CLOSED, at(fridayOnly, "2026-06-05T22:30:00Z"));
        assertEquals(OPEN, at(fridayOnly, "2026-06-05T21:59:00Z"));
    }

    @Test
    void wholeDaySpan() {
        OpeningHours allDay = weekly(UTC, span(Set.of(TUESDAY), "00:00", "24:00"));
        assertEquals(CLOSED, at(allDay, "2026-06-01T23:59:59Z")); // Monday
        assertEquals(OPEN, at(allDay, "2026-06-02T00:00:00Z"));
        assertEquals(OPEN, at(allDay, "2026-06-02T23:59:59Z"));
        assertEquals(CLOSED, at(allDay, "2026-06-03T00:00:00Z"));
    }

    // ---------------------------------------------------------------- midnight

    // 2026-06-05 is a Friday
    static final OpeningHours FRIDAY_NIGHTS = weekly(UTC, span(Set.of(FRIDAY), "22:00", "02:00"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-06-05T21:59:00Z, CLOSED",
            "2026-06-05T22:00:00Z, OPEN",
            "2026-06-05T23:59:59Z, OPEN",
            "2026-06-06T00:00:00Z, OPEN", // Saturday: the tail of Friday's span
            "2026-06-06T01:00:00Z, OPEN",
            "2026-06-06T01:59:59Z, OPEN",
            "2026-06-06T02:00:00Z, CLOSED",
            "2026-06-06T22:30:00Z, CLOSED", // the span is Friday's, not Saturday's
            "2026-06-05T01:00:00Z, CLOSED", // Friday early morning: Thursday has no span
            "2026-06-07T01:00:00Z, CLOSED", // Sunday early morning
    })
    void fridayNightSpan(String instant, Status expected) {
        assertEquals(expected, at(FRIDAY_NIGHTS, instant));
    }

    @Test
    void sundayNightSpanEndsOnMondayMorning() {
        OpeningHours sunday = weekly(UTC, span(Set.of(SUNDAY), "22:00", "02:00"));
        assertEquals(OPEN, at(sunday, "2026-06-07T23:00:00Z")); // Sunday
        assertEquals(OPEN, at(sunday, "2026-06-08T01:30:00Z")); // Monday
        assertEquals(CLOSED, at(sunday, "2026-06-08T02:00:00Z"));
        assertEquals(CLOSED, at(sunday, "2026-06-01T23:00:00Z")); // a Monday night
    }

    // ---------------------------------------------------------------- holidays and exceptions

    static final Span WEEKDAY_HOURS = span(WEEKDAYS, "08:00", "17:00");

    @Test
    void holidayByDateIsOnlyThatDate() {
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS),
                List.of(new Holiday("Christmas 2026", LocalDate.parse("2026-12-25"), null, "")), List.of());
        assertEquals(HOLIDAY, at(h, "2026-12-25T10:00:00Z")); // a Friday
        assertEquals(HOLIDAY, at(h, "2026-12-25T03:00:00Z"), "the whole day, also outside the hours");
        assertEquals(OPEN, at(h, "2026-12-24T10:00:00Z"));
        assertEquals(OPEN, at(h, "2026-12-28T10:00:00Z"));
        assertEquals(OPEN, at(h, "2025-12-25T10:00:00Z"), "a dated holiday does not come back");
    }

    @Test
    void yearlyHolidayComesBackEveryYear() {
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS),
                List.of(new Holiday("Christmas", null, MonthDay.of(12, 25), "")), List.of());
        assertEquals(HOLIDAY, at(h, "2025-12-25T10:00:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-12-25T10:00:00Z"));
        assertEquals(HOLIDAY, at(h, "2030-12-25T10:00:00Z"));
        assertEquals(OPEN, at(h, "2026-12-24T10:00:00Z"));
    }

    @Test
    void holidayFollowsTheLocalDate() {
        OpeningHours h = new OpeningHours(PARIS, List.of(span(EVERY_DAY, "00:00", "24:00")),
                List.of(new Holiday("Christmas", null, MonthDay.of(12, 25), "")), List.of());
        assertLocal("2026-12-25T00:30", PARIS, "2026-12-24T23:30:00Z");
        assertEquals(HOLIDAY, at(h, "2026-12-24T23:30:00Z"));
        assertEquals(OPEN, at(h, "2026-12-24T22:59:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-12-25T22:59:00Z"));
        assertEquals(OPEN, at(h, "2026-12-25T23:00:00Z"));
    }

    @Test
    void closedExceptionIsAHoliday() {
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS), List.of(), List.of(
                new DateException(LocalDate.parse("2026-07-14"), LocalDate.parse("2026-07-14"), true, List.of(), "")));
        assertEquals(HOLIDAY, at(h, "2026-07-14T10:00:00Z"));
        assertEquals(OPEN, at(h, "2026-07-13T10:00:00Z"));
        assertEquals(OPEN, at(h, "2026-07-15T10:00:00Z"));
    }

    @Test
    void reducedHoursExceptionIsOpenInsideAndClosedOutside() {
        // Thursday 2026-12-24: 09:00-12:00 only, although the weekly hours say 08:00-17:00
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS), List.of(), List.of(
                new DateException(LocalDate.parse("2026-12-24"), LocalDate.parse("2026-12-24"), false,
                        List.of(new TimeRange(minutes("09:00"), minutes("12:00"))), "")));
        assertEquals(CLOSED, at(h, "2026-12-24T08:30:00Z"));
        assertEquals(OPEN, at(h, "2026-12-24T09:00:00Z"));
        assertEquals(OPEN, at(h, "2026-12-24T11:59:00Z"));
        assertEquals(CLOSED, at(h, "2026-12-24T12:00:00Z"));
        assertEquals(CLOSED, at(h, "2026-12-24T15:00:00Z"), "not HOLIDAY: the day has hours, just fewer");
        assertEquals(OPEN, at(h, "2026-12-23T15:00:00Z"));
    }

    @Test
    void exceptionCanOpenADayTheWeekIsClosedAndBeatsAHoliday() {
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS),
                List.of(new Holiday("Sunday sale day", LocalDate.parse("2026-11-29"), null, "")),
                List.of(new DateException(LocalDate.parse("2026-11-29"), LocalDate.parse("2026-11-29"), false,
                        List.of(new TimeRange(minutes("10:00"), minutes("16:00"))), "")));
        assertEquals(OPEN, at(h, "2026-11-29T11:00:00Z")); // a Sunday
        assertEquals(CLOSED, at(h, "2026-11-29T17:00:00Z"));
    }

    @Test
    void untilRangeCoversEveryDayInclusive() {
        // summer closure Monday 2026-08-03 to Friday 2026-08-07
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS), List.of(), List.of(
                new DateException(LocalDate.parse("2026-08-03"), LocalDate.parse("2026-08-07"), true, List.of(), "")));
        assertEquals(OPEN, at(h, "2026-07-31T16:59:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-08-03T00:00:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-08-05T10:00:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-08-07T23:59:59Z"));
        assertEquals(CLOSED, at(h, "2026-08-08T10:00:00Z")); // Saturday: weekly hours again
        assertEquals(OPEN, at(h, "2026-08-10T08:00:00Z"));
    }

    @Test
    void untilRangeWithReducedHours() {
        OpeningHours h = new OpeningHours(UTC, List.of(WEEKDAY_HOURS), List.of(), List.of(
                new DateException(LocalDate.parse("2026-12-28"), LocalDate.parse("2026-12-30"), false,
                        List.of(new TimeRange(minutes("10:00"), minutes("14:00")),
                                new TimeRange(minutes("15:00"), minutes("24:00"))), "")));
        assertEquals(CLOSED, at(h, "2026-12-28T09:00:00Z"));
        assertEquals(OPEN, at(h, "2026-12-29T13:59:00Z"));
        assertEquals(CLOSED, at(h, "2026-12-29T14:30:00Z"));
        assertEquals(OPEN, at(h, "2026-12-30T23:59:00Z"), "a range may end at 24:00");
        assertEquals(CLOSED, at(h, "2026-12-31T23:59:00Z"));
        assertEquals(OPEN, at(h, "2026-12-31T09:00:00Z"));
    }

    @Test
    void holidayAppliesToTheEarlyMorningTailOfLastNightsSpan() {
        // Friday 22:00-02:00; Saturday 2026-06-06 is a holiday
        OpeningHours h = new OpeningHours(UTC, List.of(span(Set.of(FRIDAY), "22:00", "02:00")),
                List.of(new Holiday("", LocalDate.parse("2026-06-06"), null, "")), List.of());
        assertEquals(OPEN, at(h, "2026-06-05T23:30:00Z"), "Friday night itself is not the holiday");
        assertEquals(HOLIDAY, at(h, "2026-06-06T00:00:00Z"));
        assertEquals(HOLIDAY, at(h, "2026-06-06T01:00:00Z"), "the tail of Friday's span falls on the holiday");
    }

    @Test
    void holidayOnTheDayASpanStartsLeavesItsTailOnTheNextDayOpen() {
        // the same span, Friday 2026-06-05 is the holiday: the holiday is the calendar day, nothing more
        OpeningHours h = new OpeningHours(UTC, List.of(span(Set.of(FRIDAY), "22:00", "02:00")),
                List.of(new Holiday("", LocalDate.parse("2026-06-05"), null, "")), List.of());
        assertEquals(HOLIDAY, at(h, "2026-06-05T23:30:00Z"));
        assertEquals(OPEN, at(h, "2026-06-06T01:00:00Z"));
    }

    @Test
    void exceptionDecidesAloneAlsoForLastNightsTail() {
        OpeningHours h = new OpeningHours(UTC, List.of(span(Set.of(FRIDAY), "22:00", "02:00")), List.of(),
                List.of(new DateException(LocalDate.parse("2026-06-06"), LocalDate.parse("2026-06-06"), false,
                        List.of(new TimeRange(minutes("09:00"), minutes("12:00"))), "")));
        assertEquals(CLOSED, at(h, "2026-06-06T01:00:00Z"));
        assertEquals(OPEN, at(h, "2026-06-06T10:00:00Z"));
    }

    // ---------------------------------------------------------------- daylight saving time

    /** Spans are wall-clock times: on a switch day they open at the local hour, a different UTC instant. */
    static final OpeningHours NEW_YORK_OFFICE = weekly(NEW_YORK, span(EVERY_DAY, "08:00", "17:00"));

    @Test
    void newYorkSpringForwardOpensAndClosesAtLocalTime() {
        // Saturday 2026-03-07, EST (UTC-5): 08:00 local is 13:00Z
        assertLocal("2026-03-07T07:59", NEW_YORK, "2026-03-07T12:59:00Z");
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-03-07T12:59:00Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-03-07T13:00:00Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-03-07T21:59:00Z"));
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-03-07T22:00:00Z"));
        // Sunday 2026-03-08, the switch day, EDT (UTC-4) from 02:00 EST: 08:00 local is 12:00Z
        assertLocal("2026-03-08T08:00", NEW_YORK, "2026-03-08T12:00:00Z");
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-03-08T11:59:59Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-03-08T12:00:00Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-03-08T12:30:00Z"), "would still be closed on yesterday's offset");
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-03-08T20:59:00Z"));
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-03-08T21:00:00Z"));
    }

    @Test
    void newYorkSpringForwardGapAroundTheSwitch() {
        // 01:59:59 EST is 06:59:59Z; the next second is 03:00:00 EDT (02:00-03:00 does not exist)
        assertLocal("2026-03-08T01:59:59", NEW_YORK, "2026-03-08T06:59:59Z");
        assertLocal("2026-03-08T03:00", NEW_YORK, "2026-03-08T07:00:00Z");
        OpeningHours night = weekly(NEW_YORK, span(EVERY_DAY, "01:00", "04:00"));
        assertEquals(CLOSED, at(night, "2026-03-08T05:59:00Z")); // 00:59 EST
        assertEquals(OPEN, at(night, "2026-03-08T06:00:00Z")); // 01:00 EST
        assertEquals(OPEN, at(night, "2026-03-08T06:59:59Z"));
        assertEquals(OPEN, at(night, "2026-03-08T07:00:00Z")); // 03:00 EDT
        assertEquals(OPEN, at(night, "2026-03-08T07:59:00Z"));
        assertEquals(CLOSED, at(night, "2026-03-08T08:00:00Z"), "04:00 EDT: two real hours, not three");

        // a span that opens inside the gap opens at the switch
        OpeningHours fromGap = weekly(NEW_YORK, span(EVERY_DAY, "02:30", "05:00"));
        assertEquals(CLOSED, at(fromGap, "2026-03-08T06:59:59Z"));
        assertEquals(OPEN, at(fromGap, "2026-03-08T07:00:00Z"));
        // a span that lies wholly in the gap is never open that day
        OpeningHours inGap = weekly(NEW_YORK, span(EVERY_DAY, "02:00", "03:00"));
        assertEquals(CLOSED, at(inGap, "2026-03-08T06:59:59Z"));
        assertEquals(CLOSED, at(inGap, "2026-03-08T07:00:00Z"));
        assertEquals(OPEN, at(inGap, "2026-03-09T06:30:00Z"), "02:30 EDT the day after exists");
    }

    @Test
    void newYorkFallBackOpensAndClosesAtLocalTime() {
        // Saturday 2026-10-31, EDT (UTC-4): 08:00 local is 12:00Z
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-10-31T11:59:00Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-10-31T12:00:00Z"));
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-10-31T21:00:00Z"));
        // Sunday 2026-11-01, EST (UTC-5) since 02:00 EDT: 08:00 local is 13:00Z
        assertLocal("2026-11-01T07:59", NEW_YORK, "2026-11-01T12:59:00Z");
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-11-01T12:00:00Z"), "would be open on yesterday's offset");
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-11-01T12:59:59Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-11-01T13:00:00Z"));
        assertEquals(OPEN, at(NEW_YORK_OFFICE, "2026-11-01T21:59:00Z"));
        assertEquals(CLOSED, at(NEW_YORK_OFFICE, "2026-11-01T22:00:00Z"));
    }

    @Test
    void newYorkFallBackRepeatedHourCountsBothTimes() {
        // 01:30 happens twice: 05:30Z (EDT) and 06:30Z (EST)
        assertLocal("2026-11-01T01:30", NEW_YORK, "2026-11-01T05:30:00Z");
        assertLocal("2026-11-01T01:30", NEW_YORK, "2026-11-01T06:30:00Z");
        OpeningHours oneToTwo = weekly(NEW_YORK, span(EVERY_DAY, "01:00", "02:00"));
        assertEquals(CLOSED, at(oneToTwo, "2026-11-01T04:59:00Z")); // 00:59 EDT
        assertEquals(OPEN, at(oneToTwo, "2026-11-01T05:00:00Z")); // 01:00 EDT
        assertEquals(OPEN, at(oneToTwo, "2026-11-01T05:30:00Z")); // 01:30 EDT
        assertEquals(OPEN, at(oneToTwo, "2026-11-01T06:30:00Z")); // 01:30 EST
        assertEquals(OPEN, at(oneToTwo, "2026-11-01T06:59:00Z")); // 01:59 EST
        assertEquals(CLOSED, at(oneToTwo, "2026-11-01T07:00:00Z"), "02:00 EST: open two real hours");

        // a span that ends at 01:30 closes at the first 01:30 and is open again for the repeated 01:00-01:30
        OpeningHours untilHalfPast = weekly(NEW_YORK, span(EVERY_DAY, "00:00", "01:30"));
        assertEquals(OPEN, at(untilHalfPast, "2026-11-01T05:29:00Z"));
        assertEquals(CLOSED, at(untilHalfPast, "2026-11-01T05:30:00Z"));
        assertEquals(OPEN, at(untilHalfPast, "2026-11-01T06:00:00Z"));
        assertEquals(OPEN, at(untilHalfPast, "2026-11-01T06:29:00Z"));
        assertEquals(CLOSED, at(untilHalfPast, "2026-11-01T06:30:00Z"));
    }

    static final OpeningHours PARIS_OFFICE = weekly(PARIS, span(EVERY_DAY, "08:00", "17:00"));

    @Test
    void parisSpringForward() {
        // switch at 01:00Z on Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST
        assertLocal("2026-03-29T01:59:59", PARIS, "2026-03-29T00:59:59Z");
        assertLocal("2026-03-29T03:00", PARIS, "2026-03-29T01:00:00Z");
        // Saturday: CET, 08:00 is 07:00Z
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-03-28T06:59:00Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-03-28T07:00:00Z"));
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-03-28T16:00:00Z"));
        // Sunday: CEST, 08:00 is 06:00Z and 17:00 is 15:00Z
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-03-29T05:59:59Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-03-29T06:00:00Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-03-29T14:59:00Z"));
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-03-29T15:00:00Z"));

        // Saturday night span 23:00-02:30 ends at the switch: 02:00-02:30 never happens
        OpeningHours night = weekly(PARIS, span(Set.of(SATURDAY), "23:00", "02:30"));
        assertEquals(OPEN, at(night, "2026-03-29T00:59:59Z"));
        assertEquals(CLOSED, at(night, "2026-03-29T01:00:00Z"));
    }

    @Test
    void parisFallBack() {
        // switch at 01:00Z on Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice
        assertLocal("2026-10-25T02:30", PARIS, "2026-10-25T00:30:00Z");
        assertLocal("2026-10-25T02:30", PARIS, "2026-10-25T01:30:00Z");
        // Saturday: CEST, 08:00 is 06:00Z
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-10-24T05:59:00Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-10-24T06:00:00Z"));
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-10-24T15:00:00Z"));
        // Sunday: CET, 08:00 is 07:00Z and 17:00 is 16:00Z
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-10-25T06:00:00Z"));
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-10-25T06:59:59Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-10-25T07:00:00Z"));
        assertEquals(OPEN, at(PARIS_OFFICE, "2026-10-25T15:59:00Z"));
        assertEquals(CLOSED, at(PARIS_OFFICE, "2026-10-25T16:00:00Z"));

        OpeningHours repeated = weekly(PARIS, span(EVERY_DAY, "02:00", "03:00"));
        assertEquals(CLOSED, at(repeated, "2026-10-24T23:59:00Z")); // 01:59 CEST
        assertEquals(OPEN, at(repeated, "2026-10-25T00:00:00Z")); // 02:00 CEST
        assertEquals(OPEN, at(repeated, "2026-10-25T00:30:00Z")); // 02:30 CEST
        assertEquals(OPEN, at(repeated, "2026-10-25T01:30:00Z")); // 02:30 CET
        assertEquals(CLOSED, at(repeated, "2026-10-25T02:00:00Z")); // 03:00 CET
    }

    static final OpeningHours SYDNEY_OFFICE = weekly(SYDNEY, span(EVERY_DAY, "08:00", "17:00"));

    @Test
    void sydneyDaylightSavingEndsInApril() {
        // Sunday 2026-04-05 03:00 AEDT (UTC+11) becomes 02:00 AEST (UTC+10), at 16:00Z on the 4th
        assertLocal("2026-04-05T02:59:59", SYDNEY, "2026-04-04T15:59:59Z");
        assertLocal("2026-04-05T02:00", SYDNEY, "2026-04-04T16:00:00Z");
        // Saturday 2026-04-04, AEDT: 08:00 is 21:00Z on the 3rd, 17:00 is 06:00Z
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-04-03T20:59:00Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-04-03T21:00:00Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-04-04T05:59:00Z"));
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-04-04T06:00:00Z"));
        // Sunday 2026-04-05, AEST: 08:00 is 22:00Z on the 4th, 17:00 is 07:00Z
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-04-04T21:00:00Z"), "would be open on yesterday's offset");
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-04-04T21:59:59Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-04-04T22:00:00Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-04-05T06:59:00Z"));
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-04-05T07:00:00Z"));

        // 02:30 happens twice: both are inside a 02:00-03:00 span
        OpeningHours repeated = weekly(SYDNEY, span(EVERY_DAY, "02:00", "03:00"));
        assertEquals(OPEN, at(repeated, "2026-04-04T15:30:00Z")); // 02:30 AEDT
        assertEquals(OPEN, at(repeated, "2026-04-04T16:30:00Z")); // 02:30 AEST
        assertEquals(CLOSED, at(repeated, "2026-04-04T17:00:00Z")); // 03:00 AEST
    }

    @Test
    void sydneyDaylightSavingStartsInOctober() {
        // Sunday 2026-10-04 02:00 AEST (UTC+10) becomes 03:00 AEDT (UTC+11), at 16:00Z on the 3rd
        assertLocal("2026-10-04T01:59:59", SYDNEY, "2026-10-03T15:59:59Z");
        assertLocal("2026-10-04T03:00", SYDNEY, "2026-10-03T16:00:00Z");
        // Saturday 2026-10-03, AEST: 08:00 is 22:00Z on the 2nd
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-10-02T21:59:00Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-10-02T22:00:00Z"));
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-10-03T07:00:00Z"));
        // Sunday 2026-10-04, AEDT: 08:00 is 21:00Z on the 3rd, 17:00 is 06:00Z
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-10-03T20:59:59Z"));
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-10-03T21:00:00Z"), "would still be closed on yesterday's offset");
        assertEquals(OPEN, at(SYDNEY_OFFICE, "2026-10-04T05:59:00Z"));
        assertEquals(CLOSED, at(SYDNEY_OFFICE, "2026-10-04T06:00:00Z"));

        OpeningHours night = weekly(SYDNEY, span(EVERY_DAY, "01:00", "02:30"));
        assertEquals(OPEN, at(night, "2026-10-03T15:59:59Z")); // 01:59:59 AEST
        assertEquals(CLOSED, at(night, "2026-10-03T16:00:00Z"), "03:00 AEDT: the rest of the span never happens");
    }

    @Test
    void switchDaysReallyAreDifferentInstantsForTheSameLocalOpening() {
        // the premise of the DST tests: same local 08:00, different UTC instants on consecutive days
        assertNotEquals(
                LocalDateTime.parse("2026-03-07T08:00").atZone(NEW_YORK).toInstant().plusSeconds(86_400),
                LocalDateTime.parse("2026-03-08T08:00").atZone(NEW_YORK).toInstant());
        assertTrue(NEW_YORK.getRules().isDaylightSavings(Instant.parse("2026-03-08T12:00:00Z")));
        assertFalse(NEW_YORK.getRules().isDaylightSavings(Instant.parse("2026-03-08T06:00:00Z")));
        assertTrue(SYDNEY.getRules().isDaylightSavings(Instant.parse("2026-04-04T15:00:00Z")));
        assertFalse(SYDNEY.getRules().isDaylightSavings(Instant.parse("2026-04-04T17:00:00Z")));
    }

    // ---------------------------------------------------------------- as read from a flow file

    @Test
    void hoursReadFromAFlowEvaluateTheSameWay() {
        String json = """
                {
                  "ivrflow": 1, "id": "hours", "start": "check", "languages": ["en-US"],
                  "timezone": "UTC",
                  "nodes": {
                    "check": {
                      "type": "schedule",
                      "hours": {
                        "timezone": "America/New_York",
                        "weekly": [
                          {"days": ["mon-fri"], "from": "08:00", "to": "17:00"},
                          {"days": ["fri"], "from": "22:00", "to": "02:00"}
                        ],
                        "holidays": [{"name": "Independence Day", "yearly": "07-04"}, {"date": "2026-11-26"}],
                        "exceptions": [
                          {"date": "2026-12-24", "open": [{"from": "09:00", "to": "12:00"}]},
                          {"date": "2026-12-28", "until": "2026-12-31", "closed": true}
                        ]
                      },
                      "open": "bye", "closed": "bye"
                    },
                    "bye": {"type": "hangup", "prompt": "Goodbye."}
                  }
                }
                """;
        FlowLoader.Loaded loaded = new FlowLoader().load(Path.of("hours.json"), json.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), loaded.diagnostics());
        OpeningHours h = ((Node.Schedule) loaded.flow().node("check")).hours();
        assertEquals(NEW_YORK, h.zone(), "the schedule's own zone beats the flow's");
        assertEquals(EnumSet.of(MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY), h.weekly().get(0).days());
        assertTrue(h.weekly().get(1).crossesMidnight());
        assertEquals("/nodes/check/hours/weekly/1", h.weekly().get(1).pointer());

        assertEquals(OPEN, at(h, "2026-03-09T12:00:00Z")); // Monday after spring-forward: 08:00 EDT
        assertEquals(CLOSED, at(h, "2026-03-06T12:30:00Z")); // Friday before: 07:30 EST
        assertEquals(OPEN, at(h, "2026-03-07T06:59:00Z")); // Saturday 01:59 EST: Friday night's tail
        assertEquals(HOLIDAY, at(h, "2027-07-05T02:00:00Z")); // Sunday 2027-07-04 22:00 EDT
        assertEquals(HOLIDAY, at(h, "2026-11-26T15:00:00Z"));
        assertEquals(OPEN, at(h, "2026-12-24T14:30:00Z")); // 09:30 EST
        assertEquals(CLOSED, at(h, "2026-12-24T18:00:00Z")); // 13:00 EST
        assertEquals(HOLIDAY, at(h, "2026-12-31T20:00:00Z"));
        assertEquals(OPEN, at(h, "2027-01-04T20:00:00Z"));
        assertFalse(h.neverOpen());
    }
}
