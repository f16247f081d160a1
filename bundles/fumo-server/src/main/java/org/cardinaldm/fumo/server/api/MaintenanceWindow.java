package org.cardinaldm.fumo.server.api;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When a campaign may start devices: on some days of the week, between two times of day, in a time zone.
 * Outside it no new device is started; devices already started go on. A window whose end is not after its
 * start crosses midnight (22:00-05:00 opened on Friday closes on Saturday at 05:00); equal times mean the whole
 * day.
 *
 * @param days the days the window opens, at least one
 * @param from when it opens
 * @param to when it closes
 * @param zone the time zone of {@code from} and {@code to}
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
    /** Checks and copies. */
    public MaintenanceWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("a maintenance window needs at least one day");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /**
     * @param now a time
     * @return whether the window is open then
     */
    public boolean isOpen(Instant now) {
        ZonedDateTime t = now.atZone(zone);
        LocalTime time = t.toLocalTime();
        DayOfWeek day = t.getDayOfWeek();
        if (from.equals(to)) {
            return days.contains(day);
        }
        if (from.isBefore(to)) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        }
        return days.contains(day) && !time.isBefore(from) || days.contains(day.minus(1)) && time.isBefore(to);
    }

    /**
     * Parses {@code <days> <from>-<to> <zone>}: days as {@code Mon-Fri}, {@code Sat,Sun}, {@code Mon,Wed-Fri} or
     * {@code *}; times as {@code HH:mm}; a zone id such as {@code Europe/Paris} or {@code UTC}.
     *
     * @param text e.g. {@code Mon-Fri 22:00-05:00 Europe/Paris}
     * @return the window
     * @throws IllegalArgumentException with what is wrong
     */
    public static MaintenanceWindow parse(String text) {
        if (text == null || text.length() > 200) {
            throw new IllegalArgumentException("a maintenance window is '<days> <HH:mm>-<HH:mm> <zone>' (at most 200 "
                    + "characters)");
        }
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a maintenance window is '<days> <HH:mm>-<HH:mm> <zone>', e.g. "
                    + "'Mon-Fri 22:00-05:00 Europe/Paris'");
        }
        Set<DayOfWeek> days = days(parts[0]);
        String[] times = parts[1].split("-");
        if (times.length != 2) {
            throw new IllegalArgumentException("the window's hours are <HH:mm>-<HH:mm>, e.g. 22:00-05:00");
        }
        try {
            return new MaintenanceWindow(days, LocalTime.parse(times[0]), LocalTime.parse(times[1]),
                    ZoneId.of(parts[2]));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the window's hours are <HH:mm>-<HH:mm>, e.g. 22:00-05:00");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone in the maintenance window (e.g. Europe/Paris, UTC)");
        }
    }

    private static Set<DayOfWeek> days(String text) {
        if (text.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",")) {
            String[] range = part.split("-");
            if (range.length == 1) {
                out.add(day(range[0]));
            } else if (range.length == 2) {
                DayOfWeek d = day(range[0]);
                DayOfWeek end = day(range[1]);
                out.add(d);
                while (d != end) {
                    d = d.plus(1);
                    out.add(d);
                }
            } else {
                throw new IllegalArgumentException("the window's days are like Mon-Fri, Sat,Sun or *");
            }
        }
        return out;
    }

    private static DayOfWeek day(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (t.length() >= 3 && d.name().startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown day in the maintenance window (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    /** @return the form {@link #parse} reads, e.g. {@code Mon,Tue 22:00-05:00 Europe/Paris} */
    @Override
    public String toString() {
        String d = days.size() == 7 ? "*" : EnumSet.copyOf(days).stream()
                .map(x -> x.name().charAt(0) + x.name().substring(1, 3).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(","));
        return d + " " + from + "-" + to + " " + zone.getId();
    }
}
