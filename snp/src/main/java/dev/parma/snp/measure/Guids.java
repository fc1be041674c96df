package dev.parma.snp.measure;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** GUIDs as OVMF and QEMU store them: the little-endian "bytes_le" form (first three groups byte-swapped). */
final class Guids {
    static final UUID OVMF_TABLE_FOOTER = UUID.fromString("96b582de-1fb2-45f7-baea-a366c55a082d");
    static final UUID SEV_METADATA = UUID.fromString("dc886566-984a-4798-a75e-5585a7bf67cc");
    static final UUID SEV_ES_RESET_BLOCK = UUID.fromString("00f771de-1a7e-4fcb-890e-68c77e2fb44e");
    static final UUID SEV_HASH_TABLE_RV = UUID.fromString("7255371f-3a3b-4b04-927b-1da6efa8d454");
    static final UUID SEV_HASH_TABLE_HEADER = UUID.fromString("9438d606-4f22-4cc9-b479-a793d411fd21");
    static final UUID SEV_CMDLINE_ENTRY = UUID.fromString("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");
    static final UUID SEV_INITRD_ENTRY = UUID.fromString("44baf731-3a2f-4bd7-9af1-41e29169781d");
    static final UUID SEV_KERNEL_ENTRY = UUID.fromString("4de79437-abd2-427f-b835-d5b172d2045b");

    private Guids() {
    }

    static byte[] bytesLe(UUID u) {
        ByteBuffer b = ByteBuffer.allocate(16);
        long msb = u.getMostSignificantBits();
        b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (msb >>> 32)).putShort((short) (msb >>> 16)).putShort(
                (short) msb);
        b.order(ByteOrder.BIG_ENDIAN).putLong(u.getLeastSignificantBits());
        return b.array();
    }

    static UUID fromBytesLe(byte[] b, int off) {
        ByteBuffer bb = ByteBuffer.wrap(b, off, 16);
        bb.order(ByteOrder.LITTLE_ENDIAN);
        long a = bb.getInt() & 0xFFFFFFFFL;
        long m = bb.getShort() & 0xFFFFL;
        long c = bb.getShort() & 0xFFFFL;
        bb.order(ByteOrder.BIG_ENDIAN);
        return new UUID(a << 32 | m << 16 | c, bb.getLong());
    }
}
