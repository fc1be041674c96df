package dev.parma.policy.verity;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.parma.policy.Require;

/**
 * dm-verity root hash of a layer image, identical to
 * {@code veritysetup format --no-superblock --hash=sha256 --data-block-size=4096 --hash-block-size=4096
 * --salt=<64 zeros>}: every 4096-byte block is hashed as SHA-256(salt ‖ block); digests are packed 128 to a block,
 * zero-padded, and hashed again level by level until one block remains; the root is the hash of that block.
 *
 * <p>
 * Streaming: memory is one read buffer per thread plus one 4 KiB block per tree level, whatever the image size. The
 * data level is hashed in parallel in 512 KiB segments (one level-1 block each) and folded in order.
 */
public final class VerityHash {

    public static final int BLOCK_SIZE = 4096;
    public static final int SALT_SIZE = 32;
    static final int DIGEST = 32;
    static final int FANOUT = BLOCK_SIZE / DIGEST;
    /** Data bytes covered by one level-1 hash block. */
    static final int SEGMENT = FANOUT * BLOCK_SIZE;
    /** Segments per task: 8 MiB reads keep the disk sequential and the task overhead small. */
    static final int SEGMENTS_PER_TASK = 16;

    private static final byte[] SALT = new byte[SALT_SIZE];

    private VerityHash() {
    }

    /** Root hash of a file, hashed with all available processors. */
    public static String rootHash(Path image) throws IOException {
        return rootHash(image, Runtime.getRuntime().availableProcessors());
    }

    /** Root hash of a file using {@code threads} hashing threads (1 = on the calling thread). */
    public static String rootHash(Path image, int threads) throws IOException {
        Require.nonNull(image, "image");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = ch.size();
            long blocks = dataBlocks(size, image.toString());
            if (blocks == 1) {
                byte[] block = new byte[BLOCK_SIZE];
                readFully(ch, ByteBuffer.wrap(block), 0);
                return hex(hashBlock(sha256(), block, 0));
            }
            Tree tree = new Tree(blocks);
            long segments = (blocks + FANOUT - 1) / FANOUT;
            long tasks = (segments + SEGMENTS_PER_TASK - 1) / SEGMENTS_PER_TASK;
            if (threads == 1 || tasks == 1) {
                Worker w = new Worker();
                for (long t = 0; t < tasks; t++) {
                    tree.addLevel1(w.hashTask(ch, t, blocks));
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread th = new Thread(r, "verity-hash");
                    th.setDaemon(true);
                    return th;
                });
                ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);
                try {
                    Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
                    long next = 0;
                    int window = threads * 2;
                    while (next < tasks || !inFlight.isEmpty()) {
                        while (next < tasks && inFlight.size() < window) {
                            long t = next++;
                            inFlight.add(pool.submit(() -> workers.get().hashTask(ch, t, blocks)));
                        }
                        tree.addLevel1(inFlight.removeFirst().get());
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("verity hashing failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while hashing " + image, e);
                } finally {
                    pool.shutdownNow();
                }
            }
            return hex(tree.finish());
        }
    }

    /** Root hash of {@code length} bytes read from a stream (single-threaded). */
    public static String rootHash(InputStream in, long length) throws IOException {
        Require.nonNull(in, "in");
        long blocks = dataBlocks(length, "stream");
        MessageDigest md = sha256();
        byte[] block = new byte[BLOCK_SIZE];
        if (blocks == 1) {
            in.readNBytes(block, 0, BLOCK_SIZE);
            return hex(hashBlock(md, block, 0));
        }
        Tree tree = new Tree(blocks);
        byte[] level1 = new byte[BLOCK_SIZE];
        int fill = 0;
        for (long b = 0; b < blocks; b++) {
            if (in.readNBytes(block, 0, BLOCK_SIZE) != BLOCK_SIZE) {
                throw new EOFException("stream ended before " + length + " bytes");
            }
            System.arraycopy(hashBlock(md, block, 0), 0, level1, fill, DIGEST);
            fill += DIGEST;
            if (fill == BLOCK_SIZE || b == blocks - 1) {
                java.util.Arrays.fill(level1, fill, BLOCK_SIZE, (byte) 0);
                tree.addLevel1(hashBlock(md, level1, 0));
                fill = 0;
            }
        }
        return hex(tree.finish());
    }

    static long dataBlocks(long size, String what) {
        if (size <= 0 || size % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException(
                    what + ": size " + size + " is not a positive multiple of " + BLOCK_SIZE + " bytes");
        }
        return size / BLOCK_SIZE;
    }

    /** Hashes data blocks of one task (up to 16 segments) into level-1 digests, concatenated. */
    private static final class Worker {
        final MessageDigest md = sha256();
        final byte[] buf = new byte[SEGMENT * SEGMENTS_PER_TASK];
        final byte[] level1 = new byte[BLOCK_SIZE];

        byte[] hashTask(FileChannel ch, long task, long totalBlocks) throws IOException {
            long firstBlock = task * SEGMENTS_PER_TASK * FANOUT;
            long nBlocks = Math.min((long) SEGMENTS_PER_TASK * FANOUT, totalBlocks - firstBlock);
            int bytes = (int) (nBlocks * BLOCK_SIZE);
            readFully(ch, ByteBuffer.wrap(buf, 0, bytes), firstBlock * BLOCK_SIZE);
            int segments = (int) ((nBlocks + FANOUT - 1) / FANOUT);
            byte[] out = new byte[segments * DIGEST];
            for (int s = 0; s < segments; s++) {
                int from = s * FANOUT;
                int to = (int) Math.min(nBlocks, from + FANOUT);
                int fill = 0;
                for (int b = from; b < to; b++) {
                    md.update(SALT);
                    md.update(buf, b * BLOCK_SIZE, BLOCK_SIZE);
                    try {
                        md.digest(level1, fill, DIGEST);
                    } catch (java.security.DigestException e) {
                        throw new IllegalStateException(e);
                    }
                    fill += DIGEST;
                }
                java.util.Arrays.fill(level1, fill, BLOCK_SIZE, (byte) 0);
                System.arraycopy(hashBlock(md, level1, 0), 0, out, s * DIGEST, DIGEST);
            }
            return out;
        }
    }

    /**
     * The hash levels above level 1, one 4 KiB block each. Level sizes are known from the data size, so the root is
     * the digest of the single block of the top level.
     */
    private static final class Tree {
        final MessageDigest md = sha256();
        final long[] levelBlocks;
        final byte[][] buf;
        final int[] fill;
        final long[] emitted;
        byte[] root;

        Tree(long dataBlocks) {
            int levels = 0;
            long n = dataBlocks;
            while (n > 1) {
                n = (n + FANOUT - 1) / FANOUT;
                levels++;
            }
            // levelBlocks[i] = number of hash blocks at level i+1 (i = 0 is level 1)
            levelBlocks = new long[levels];
            n = dataBlocks;
            for (int i = 0; i < levels; i++) {
                n = (n + FANOUT - 1) / FANOUT;
                levelBlocks[i] = n;
            }
            buf = new byte[levels][BLOCK_SIZE];
            fill = new int[levels];
            emitted = new long[levels];
        }

        /** Digests of level-1 blocks, in order (a task may deliver several). */
        void addLevel1(byte[] digests) {
            for (int off = 0; off < digests.length; off += DIGEST) {
                emit(0, digests, off);
            }
        }

        /** A digest of a block at level {@code level + 1}. */
        private void emit(int level, byte[] d, int off) {
            emitted[level]++;
            if (level == levelBlocks.length - 1) {
                root = java.util.Arrays.copyOfRange(d, off, off + DIGEST);
                return;
            }
            int next = level + 1;
            System.arraycopy(d, off, buf[next], fill[next], DIGEST);
            fill[next] += DIGEST;
            boolean lastOfLevel = emitted[level] == levelBlocks[level];
            if (fill[next] == BLOCK_SIZE || lastOfLevel) {
                java.util.Arrays.fill(buf[next], fill[next], BLOCK_SIZE, (byte) 0);
                fill[next] = 0;
                emit(next, hashBlock(md, buf[next], 0), 0);
            }
        }

        byte[] finish() {
            if (root == null) {
                throw new IllegalStateException("hash tree incomplete: " + emitted[0] + " of " + levelBlocks[0]
                        + " level-1 blocks");
            }
            return root;
        }
    }

    static byte[] hashBlock(MessageDigest md, byte[] block, int off) {
        md.update(SALT);
        md.update(block, off, BLOCK_SIZE);
        return md.digest();
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new EOFException("file shrank while hashing at offset " + pos);
            }
            pos += n;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Whether a file has a size this class accepts. */
    public static boolean hashable(Path p) throws IOException {
        long s = Files.size(p);
        return s > 0 && s % BLOCK_SIZE == 0;
    }
}
