package dev.parma.bench.attestation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A cheap HTTP/1.1 load generator: the requests are precomputed bytes, one I/O thread drives every keep-alive
 * connection through a selector, and only the status line and framing of each answer are parsed. Open loop: a
 * scheduler thread releases request {@code i} at {@code start + i / rate} (parked, not spinning) whatever the answers
 * do, and latency counts from that scheduled time, so queueing anywhere — generator, kernel, service — is charged
 * (the generator's own lateness is reported separately). Closed loop: each connection sends its next request when
 * the previous answer arrives.
 */
final class RawHttpLoad implements AutoCloseable {

    /** What one run measured. */
    record Result(int completed, int failed, double seconds, long[] latencyNanos, long[] lateNanos, String firstError,
            List<long[]> slow) {
        double rate() {
            return completed / seconds;
        }
    }

    /** Requests slower than this are listed with their start time ({@link Result#slow()}), to match with GC logs. */
    static final long SLOW_NANOS = 2_000_000L;

    private final InetSocketAddress address;
    private final List<byte[]> requests;
    private final int maxConnections;
    private final Selector selector;
    private final List<Conn> all = new ArrayList<>();
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();

    RawHttpLoad(InetSocketAddress address, String path, List<String> bodies, int maxConnections) throws IOException {
        this.address = address;
        this.maxConnections = maxConnections;
        this.selector = Selector.open();
        List<byte[]> r = new ArrayList<>();
        for (String body : bodies) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] req = Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, req, h.length, b.length);
            r.add(req);
        }
        this.requests = List.copyOf(r);
    }

    /** Closed loop with {@code clients} connections for {@code seconds}. */
    Result closedLoop(int clients, double seconds) throws IOException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Stats stats = new Stats(1 << 20);
        long start = System.nanoTime();
        int next = 0;
        while (all.size() < clients) {
            open();
        }
        for (Conn c : all) {
            c.send(requests.get(next++ % requests.size()), System.nanoTime());
        }
        idle.clear();
        int inFlight = clients;
        while (inFlight > 0) {
            selector.select(100);
            long now = System.nanoTime();
            for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                int done = c.ready(k, stats, now);
                for (int i = 0; i < done; i++) {
                    if (now < end) {
                        c.send(requests.get(next++ % requests.size()), now);
                    } else {
                        inFlight--;
                        idle.add(c);
                    }
                }
            }
        }
        return stats.result((System.nanoTime() - start) / 1e9);
    }

    /** Open loop: {@code count} requests at {@code rate} per second. */
    Result openLoop(double rate, int count) throws IOException {
        Stats stats = new Stats(count);
        ConcurrentLinkedQueue<long[]> due = new ConcurrentLinkedQueue<>();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime() + 20_000_000L;
        Thread scheduler = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                long at = start + i * interval;
                long wait;
                while ((wait = at - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                due.add(new long[]{at, i, System.nanoTime() - at});
                selector.wakeup();
            }
        }, "load-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
        ArrayDeque<long[]> backlog = new ArrayDeque<>();
        while (stats.completed + stats.failed < count) {
            selector.select(100);
            long now = System.nanoTime();
            for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                int done = c.ready(k, stats, now);
                if (done > 0) {
                    if (!backlog.isEmpty()) {
                        long[] r = backlog.poll();
                        c.send(requests.get((int) (r[1] % requests.size())), r[0]);
                    } else {
                        idle.add(c);
                    }
                }
            }
            for (long[] r; (r = due.poll()) != null;) {
                stats.late(r[2]);
                Conn c = idle.poll();
                if (c == null && all.size() < maxConnections) {
                    c = open();
                }
                if (c == null) {
                    backlog.add(r);
                } else {
                    c.send(requests.get((int) (r[1] % requests.size())), r[0]);
                }
            }
        }
        return stats.result((System.nanoTime() - start) / 1e9);
    }

    private Conn open() throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.configureBlocking(false);
        Conn c = new Conn(ch);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        all.add(c);
        return c;
    }

    @Override
    public void close() throws IOException {
        for (Conn c : all) {
            c.ch.close();
        }
        selector.close();
    }

    /** Latencies and failures of one run, recorded on the I/O thread. */
    private static final class Stats {
        long[] latency;
        long[] late;
        int completed;
        int failed;
        int lateCount;
        String firstError;

        Stats(int capacity) {
            latency = new long[capacity];
            late = new long[capacity];
        }

        final List<long[]> slow = new ArrayList<>();

        void ok(long startedAt, long nanos) {
            if (completed == latency.length) {
                latency = Arrays.copyOf(latency, latency.length * 2);
            }
            latency[completed++] = nanos;
            if (nanos > SLOW_NANOS) {
                slow.add(new long[]{startedAt, nanos});
            }
        }

        void fail(String what) {
            failed++;
            if (firstError == null) {
                firstError = what;
            }
        }

        void late(long nanos) {
            if (lateCount == late.length) {
                late = Arrays.copyOf(late, late.length * 2);
            }
            late[lateCount++] = nanos;
        }

        Result result(double seconds) {
            long[] l = Arrays.copyOf(latency, completed);
            long[] g = Arrays.copyOf(late, lateCount);
            Arrays.sort(l);
            Arrays.sort(g);
            return new Result(completed, failed, seconds, l, g, firstError, slow);
        }
    }

    /** One keep-alive connection with at most one request in flight. */
    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        SelectionKey key;
        ByteBuffer out;
        long startedAt;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        void send(byte[] request, long scheduledAt) throws IOException {
            startedAt = scheduledAt;
            out = ByteBuffer.wrap(request);
            ch.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Handles readiness; returns 1 when an answer completed. */
        int ready(SelectionKey k, Stats stats, long now) throws IOException {
            if (k.isValid() && k.isWritable() && out != null) {
                ch.write(out);
                if (!out.hasRemaining()) {
                    k.interestOps(SelectionKey.OP_READ);
                }
            }
            if (!k.isValid() || !k.isReadable()) {
                return 0;
            }
            if (ch.read(in) < 0) {
                throw new IOException("the service closed a connection");
            }
            int status = complete();
            if (status == 0) {
                return 0;
            }
            if (status == 200) {
                stats.ok(startedAt, now - startedAt);
            } else {
                stats.fail("HTTP " + status);
            }
            return 1;
        }

        /** The status of the complete answer in the buffer (consumed), or 0 while it is incomplete. */
        private int complete() throws IOException {
            byte[] a = in.array();
            int n = in.position();
            int headEnd = -1;
            for (int i = 3; i < n; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    headEnd = i + 1;
                    break;
                }
            }
            if (headEnd < 0) {
                return 0;
            }
            String head = new String(a, 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            int cl = head.indexOf("\r\ncontent-length:");
            int total;
            if (cl >= 0) {
                int eol = head.indexOf("\r\n", cl + 2);
                total = headEnd + Integer.parseInt(head.substring(cl + 17, eol).trim());
            } else if (head.contains("\r\ntransfer-encoding: chunked")) {
                total = chunkedEnd(a, headEnd, n);
                if (total < 0) {
                    return 0;
                }
            } else {
                throw new IOException("an answer without Content-Length or chunked encoding");
            }
            if (n < total) {
                return 0;
            }
            System.arraycopy(a, total, a, 0, n - total);
            in.position(n - total);
            return status;
        }

        private static int chunkedEnd(byte[] a, int from, int n) {
            int i = from;
            while (true) {
                int eol = -1;
                for (int j = i; j + 1 < n; j++) {
                    if (a[j] == '\r' && a[j + 1] == '\n') {
                        eol = j;
                        break;
                    }
                }
                if (eol < 0) {
                    return -1;
                }
                String size = new String(a, i, eol - i, StandardCharsets.US_ASCII).split(";")[0].trim();
                int len = Integer.parseInt(size, 16);
                i = eol + 2 + len + 2;
                if (len == 0) {
                    return i <= n ? i : -1;
                }
                if (i > n) {
                    return -1;
                }
            }
        }
    }
}
