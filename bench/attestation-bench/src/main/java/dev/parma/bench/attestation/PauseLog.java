package dev.parma.bench.attestation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's stop-the-world pauses, read from its {@code -Xlog:safepoint:file=…:time} log (every GC pause is a
 * safepoint, and so are deoptimisations and other VM operations), to tell which slow requests waited for one.
 */
final class PauseLog {
    /** One pause, wall clock in epoch microseconds. */
    record Pause(long startMicros, long endMicros, String operation) {
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[([^\\]]+)\\] Safepoint \"([^\"]+)\".* Total: (\\d+) ns");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private PauseLog() {
    }

    static List<Pause> read(Path file) throws IOException {
        List<Pause> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                var t = OffsetDateTime.parse(m.group(1), TIME).toInstant();
                long end = t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
                out.add(new Pause(end - Long.parseLong(m.group(3)) / 1000, end, m.group(2)));
            }
        }
        return out;
    }

    /** Pauses that overlap [from, to]. */
    static List<Pause> within(List<Pause> pauses, long fromMicros, long toMicros) {
        return pauses.stream().filter(p -> p.endMicros() >= fromMicros && p.startMicros() <= toMicros).toList();
    }

    /** How many of {@code requests} ({start µs, latency µs}) overlapped at least one pause. */
    static int overlapping(List<Pause> pauses, List<long[]> requests) {
        int n = 0;
        for (long[] r : requests) {
            for (Pause p : pauses) {
                if (p.startMicros() < r[0] + r[1] && p.endMicros() > r[0]) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
