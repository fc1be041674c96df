package dev.parma.node.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the end of a log file: at most the last 4 MB, then the last {@code tail} lines. */
final class LogTail {

    static final int CAP = 4 * 1024 * 1024;

    private LogTail() {
    }

    static String read(Path log, int tail) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        String text;
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - CAP);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            text = new String(buf, StandardCharsets.UTF_8);
            if (from > 0) {
                int nl = text.indexOf('\n');
                text = nl >= 0 ? text.substring(nl + 1) : text;
            }
        }
        if (tail <= 0) {
            return text;
        }
        String[] lines = text.split("\n", -1);
        int n = lines.length - (text.endsWith("\n") ? 1 : 0);
        var sb = new StringBuilder();
        for (int i = Math.max(0, n - tail); i < n; i++) {
            sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }
}
