package dev.parma.bench.attestation;

import dev.parma.snp.verify.EcdsaP384;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The in-JVM floor a token cannot beat: one P-384 report-signature verification (the fastest implementation we have,
 * chosen by measuring both) plus one RS256 signature with an RSA-2048 key, looped on every core at once.
 */
final class Floor {

    /** Single-thread and all-core rates, operations per second. */
    record Result(double bcVerify, double sunEcVerify, double rs256Sign, String fastestVerify, double perCore,
            double allCores, int cores) {
    }

    private final byte[] message = new byte[0x2A0];
    private final KeyPair ec;
    private final ECPublicKeyParameters bcKey;
    private final byte[] p1363;
    private final BigInteger r;
    private final BigInteger s;
    private final KeyPair rsa;

    Floor() throws GeneralSecurityException {
        Arrays.fill(message, (byte) 0x5A);
        var eg = KeyPairGenerator.getInstance("EC");
        eg.initialize(new ECGenParameterSpec("secp384r1"));
        ec = eg.generateKeyPair();
        Signature sig = Signature.getInstance("SHA384withECDSAinP1363Format");
        sig.initSign(ec.getPrivate());
        sig.update(message);
        p1363 = sig.sign();
        r = new BigInteger(1, Arrays.copyOfRange(p1363, 0, 48));
        s = new BigInteger(1, Arrays.copyOfRange(p1363, 48, 96));
        bcKey = EcdsaP384.publicKey(ec.getPublic());
        var rg = KeyPairGenerator.getInstance("RSA");
        rg.initialize(2048);
        rsa = rg.generateKeyPair();
    }

    boolean bcVerify() {
        return EcdsaP384.verifyDigest(bcKey, EcdsaP384.sha384(message, message.length), r, s);
    }

    boolean sunEcVerify() throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA384withECDSAinP1363Format");
        v.initVerify(ec.getPublic());
        v.update(message);
        return v.verify(p1363);
    }

    byte[] rs256() throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initSign(rsa.getPrivate());
        v.update(message);
        return v.sign();
    }

    interface Op {
        void run() throws Exception;
    }

    /** One floor unit of work: a verify with the faster implementation, then an RS256 signature. */
    Op token(Result r) {
        boolean bc = r.bcVerify() >= r.sunEcVerify();
        return () -> {
            if (bc) {
                bcVerify();
            } else {
                sunEcVerify();
            }
            rs256();
        };
    }

    Result measure(double seconds, int cores) throws Exception {
        rate(this::bcVerify, 1, 1.0);
        rate(this::sunEcVerify, 1, 1.0);
        rate(this::rs256, 1, 1.0);
        double bc = rate(this::bcVerify, 1, seconds);
        double sun = rate(this::sunEcVerify, 1, seconds);
        double sign = rate(this::rs256, 1, seconds);
        boolean bcFaster = bc >= sun;
        Op verify = bcFaster ? this::bcVerify : this::sunEcVerify;
        Op token = () -> {
            verify.run();
            rs256();
        };
        double perCore = rate(token, 1, seconds);
        double all = rate(token, cores, seconds);
        return new Result(bc, sun, sign, bcFaster ? "BouncyCastle (snp EcdsaP384)" : "SunEC", perCore, all, cores);
    }

    /** Wall-clock rate, and the CPU time the measuring threads spent per operation (immune to time slicing). */
    record Rate(double perSecond, double cpuMsPerOp) {
    }

    static double rate(Op op, int threads, double seconds) throws Exception {
        return measureRate(op, threads, seconds).perSecond();
    }

    static Rate measureRate(Op op, int threads, double seconds) throws Exception {
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        LongAdder cpuNanos = new LongAdder();
        LongAdder count = new LongAdder();
        CountDownLatch done = new CountDownLatch(threads);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Exception[] failure = new Exception[1];
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                long cpu0 = cpu.getCurrentThreadCpuTime();
                try {
                    while (System.nanoTime() < end) {
                        op.run();
                        count.increment();
                    }
                } catch (Exception e) {
                    failure[0] = e;
                } finally {
                    cpuNanos.add(cpu.getCurrentThreadCpuTime() - cpu0);
                    done.countDown();
                }
            }, "floor-" + t);
            th.start();
        }
        long start = System.nanoTime();
        done.await();
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Rate(count.sum() / ((System.nanoTime() - start) / 1e9), cpuNanos.sum() / 1e6 / count.sum());
    }
}
