package org.cardinaldm.fumo.agent.karaf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.cardinaldm.fumo.api.FumoResult;
import org.cardinaldm.fumo.api.spi.UpdateException;

/**
 * Unpacks the {@code repository/} part of a KAR (a zip) into a folder, without the {@code repository/} prefix, so
 * that the folder is a Maven repository as Karaf's {@code data/kar/<name>} folders are (pax-url reads each of them
 * as one, {@code kar.repository@multi}). The archive is treated as hostile:
 * <ul>
 * <li>entry names: at most {@value #MAX_NAME} characters, relative, {@code /}-separated, no {@code .} or
 * {@code ..} segment, no backslash, colon or control character, each name once (case-insensitively, so nothing
 * is overwritten on a case-folding file system);</li>
 * <li>only {@code repository/…} and {@code META-INF/…} entries: a KAR's {@code resources/} would be copied into
 * Karaf's home, outside the firmware set, and is refused; {@code META-INF/} is not unpacked;</li>
 * <li>bounded: at most {@link Limits#maxEntries} entries, {@link Limits#maxEntryBytes} per entry and
 * {@link Limits#maxTotalBytes} in all, counted while copying (the sizes a zip declares are not trusted);</li>
 * <li>files are created new (never through a link, never over an existing file).</li>
 * </ul>
 * A structural problem is {@link FumoResult#CORRUPTED_PACKAGE} (402); a limit is
 * {@link FumoResult#UPDATE_OUT_OF_MEMORY} (502).
 */
final class KarArchive {
    /** Longest entry name. */
    static final int MAX_NAME = 512;
    static final String REPOSITORY = "repository/";
    private static final String META_INF = "META-INF/";

    /**
     * Bounds of one KAR.
     *
     * @param maxEntries most entries
     * @param maxEntryBytes largest entry, unpacked
     * @param maxTotalBytes largest sum of unpacked entries
     */
    record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes) {
    }

    private KarArchive() {
    }

    /**
     * @param kar the KAR
     * @param target an empty folder to unpack into
     * @param limits the bounds
     * @return the unpacked files, relative to the folder, such as {@code org/acme/gw/2.0.0/gw-2.0.0.jar}
     * @throws UpdateException 402 for a malformed or hostile archive, 502 beyond a limit, 410 when writing fails
     */
    static List<String> unpack(Path kar, Path target, Limits limits) throws UpdateException {
        List<String> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        int count = 0;
        try (ZipFile zip = new ZipFile(kar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (++count > limits.maxEntries()) {
                    throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY,
                            "KAR has more than " + limits.maxEntries() + " entries");
                }
                String name = checkName(e.getName());
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw corrupt("KAR lists an entry twice: " + printable(name));
                }
                if (!name.startsWith(REPOSITORY) || e.isDirectory()) {
                    continue;
                }
                String relative = name.substring(REPOSITORY.length());
                Path out = target.resolve(relative).normalize();
                if (!out.startsWith(target) || out.equals(target)) {
                    throw corrupt("KAR entry leaves its folder: " + printable(name));
                }
                Files.createDirectories(out.getParent());
                total += copy(zip, e, out, limits.maxEntryBytes(), limits.maxTotalBytes() - total);
                files.add(relative);
            }
        } catch (ZipException e) {
            throw corrupt("Not a readable KAR (zip): " + e.getMessage());
        } catch (IOException e) {
            throw new UpdateException(FumoResult.UPDATE_FAILED, "Cannot unpack the KAR: " + e.getMessage(), e);
        }
        return files;
    }

    private static long copy(ZipFile zip, ZipEntry e, Path out, long maxEntry, long remaining)
            throws IOException, UpdateException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = zip.getInputStream(e);
                OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            for (int r; (r = in.read(buf)) > 0;) {
                n += r;
                if (n > maxEntry) {
                    throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY,
                            "KAR entry " + printable(e.getName()) + " is larger than " + maxEntry + " bytes");
                }
                if (n > remaining) {
                    throw new UpdateException(FumoResult.UPDATE_OUT_OF_MEMORY, "KAR unpacks to more than the limit");
                }
                os.write(buf, 0, r);
            }
        }
        return n;
    }

    /** @return the name when it is a safe relative name below repository/ or META-INF/ */
    static String checkName(String name) throws UpdateException {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw corrupt("KAR entry name is empty or longer than " + MAX_NAME + " characters");
        }
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf(':') >= 0
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw corrupt("KAR entry name is absolute or has a forbidden character: " + printable(name));
        }
        String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String seg : body.split("/", -1)) {
            if (seg.isEmpty() || ".".equals(seg) || "..".equals(seg)) {
                throw corrupt("KAR entry name has an empty, '.' or '..' segment: " + printable(name));
            }
        }
        if (!name.startsWith(REPOSITORY) && !name.startsWith(META_INF) && !REPOSITORY.equals(name + "/")
                && !META_INF.equals(name + "/")) {
            throw new UpdateException(FumoResult.PACKAGE_MISMATCH,
                    "KAR entry outside repository/ and META-INF/ (resources are not installed): " + printable(name));
        }
        return name;
    }

    private static UpdateException corrupt(String message) {
        return new UpdateException(FumoResult.CORRUPTED_PACKAGE, message);
    }

    /** @return the name cut to 120 characters with control characters shown as '?', for messages */
    static String printable(String s) {
        String t = s.length() > 120 ? s.substring(0, 120) + "…" : s;
        StringBuilder b = new StringBuilder(t.length());
        t.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b.toString();
    }
}
