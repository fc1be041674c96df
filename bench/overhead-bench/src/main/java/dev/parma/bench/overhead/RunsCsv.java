package dev.parma.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kept run, one CSV line each, appended as it is measured; the conditions of the run are {@code #} lines at
 * the top and the bottom. {@code --from-csv} rebuilds the report from such a file.
 */
final class RunsCsv {

    private final Path file;

    RunsCsv(Path file, List<String> conditions) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        var head = new StringBuilder();
        conditions.forEach(c -> head.append("# ").append(c).append('\n'));
        head.append(Run.CSV_HEADER).append('\n');
        Files.writeString(file, head, StandardCharsets.UTF_8);
    }

    void append(Run r) throws IOException {
        Files.writeString(file, r.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    void comment(String line) throws IOException {
        Files.writeString(file, "# " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The runs and the comment lines (conditions) of a CSV written by this class. */
    record Contents(List<Run> runs, List<String> conditions) {
    }

    static Contents read(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                conditions.add(line.substring(2));
            } else if (!line.isBlank() && !line.startsWith("workload,")) { // this header or an older one
                runs.add(Run.parseCsv(line));
            }
        }
        return new Contents(runs, conditions);
    }
}
