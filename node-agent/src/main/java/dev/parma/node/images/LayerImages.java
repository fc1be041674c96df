package dev.parma.node.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Layer images: an uncompressed layer tar zero-padded to whole 4 KiB blocks (tar ignores trailing zero blocks).
 * Its dm-verity root hash ({@code VerityHash.rootHash}, identical to veritysetup's) is the layer hash a policy
 * lists, and the guest computes it itself before unpacking.
 */
public final class LayerImages {

    private LayerImages() {
    }

    public static void pad(Path tar) throws IOException {
        try (var ch = FileChannel.open(tar, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long padded = Math.max(4096, (size + 4095) / 4096 * 4096);
            if (padded > size) {
                ch.write(ByteBuffer.allocate((int) (padded - size)), size);
            }
        }
    }
}
