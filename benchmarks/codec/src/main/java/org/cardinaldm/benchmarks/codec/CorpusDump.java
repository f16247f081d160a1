package org.cardinaldm.benchmarks.codec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardinaldm.syncml.api.SyncML;
import org.cardinaldm.syncml.api.model.SyncMessage;

/**
 * Writes a corpus as {@code NNNN.xml} and {@code NNNN.wbxml} files for the libwbxml benchmark:
 * {@code java -cp benchmarks.jar org.cardinaldm.benchmarks.codec.CorpusDump vectors|realistic DIR}.
 */
public final class CorpusDump {
    private CorpusDump() {
    }

    /**
     * @param args corpus name and output directory
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        List<SyncMessage> corpus = "vectors".equals(args[0]) ? Corpus.vectors() : Corpus.realistic(50, 2026);
        Path dir = Files.createDirectories(Path.of(args[1]));
        for (int i = 0; i < corpus.size(); i++) {
            Files.write(dir.resolve(String.format("%04d.xml", i)), SyncML.xml().encode(corpus.get(i)));
            Files.write(dir.resolve(String.format("%04d.wbxml", i)), SyncML.wbxml().encode(corpus.get(i)));
        }
        System.out.println(corpus.size() + " messages written to " + dir);
    }
}
