package org.cardinaldm.server.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, read once from this bundle (the resource folder {@code console/}) into memory:
 * a fixed list of names, nothing else can be asked for. The page {@code index.html} gets the REST API's
 * base path written into its {@code <meta name="cardinal-api">} (HTML-escaped). Each file has a strong
 * ETag (SHA-256 of its bytes). No file is fetched from anywhere else at run time.
 */
final class ConsoleAssets {
    /** The resource folder the files are read from. */
    static final String FOLDER = "console/";
    /** The page served at the console's root. */
    static final String INDEX = "index.html";
    /** The placeholder in index.html that becomes the API's base path. */
    static final String API_PLACEHOLDER = "@API_BASE@";

    /** Every file the console has, with its content type. */
    static final Map<String, String> FILES = files();

    /**
     * A file of the console.
     *
     * @param name its name
     * @param contentType its content type
     * @param body its bytes
     * @param etag its strong entity tag, quoted
     */
    record Asset(String name, String contentType, byte[] body, String etag) {
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    private static Map<String, String> files() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(INDEX, "text/html; charset=utf-8");
        m.put("console.css", "text/css; charset=utf-8");
        for (String js : List.of("app.js", "api.js", "dom.js", "charts.js", "login.js", "fleet.js", "device.js",
                "tree.js", "jobs.js", "firmware.js", "audit.js")) {
            m.put(js, "text/javascript; charset=utf-8");
        }
        m.put("favicon.svg", "image/svg+xml");
        return Map.copyOf(m);
    }

    /**
     * @param loader the class loader of the bundle that holds the files
     * @param apiBase the REST API's base path ({@code /cardinal/api/v1})
     * @return the files, in memory
     * @throws IOException when a file is missing or unreadable (a broken build)
     */
    static ConsoleAssets load(ClassLoader loader, String apiBase) throws IOException {
        String base = checkedBase(apiBase);
        Map<String, Asset> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            byte[] body;
            try (InputStream in = loader.getResourceAsStream(FOLDER + f.getKey())) {
                if (in == null) {
                    throw new IOException("the console file " + f.getKey() + " is missing from the bundle");
                }
                body = in.readAllBytes();
            }
            if (f.getKey().equals(INDEX)) {
                body = new String(body, StandardCharsets.UTF_8).replace(API_PLACEHOLDER, escape(base))
                        .getBytes(StandardCharsets.UTF_8);
            }
            m.put(f.getKey(), new Asset(f.getKey(), f.getValue(), body, etag(body)));
        }
        return new ConsoleAssets(Map.copyOf(m));
    }

    /**
     * @param apiBase a configured base path
     * @return it without a trailing slash
     * @throws IllegalArgumentException when it is not an absolute path of plain characters
     */
    static String checkedBase(String apiBase) {
        String b = apiBase == null ? "" : apiBase.trim();
        if (!b.matches("/[A-Za-z0-9/._~-]{0,200}") || b.contains("//") || b.contains("/../")) {
            throw new IllegalArgumentException("api.base must be an absolute path such as /cardinal/api/v1");
        }
        return b.length() > 1 && b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /**
     * @param name the file name asked for (the path below the console, without the leading slash)
     * @return the file, or empty when the console has no such file
     */
    Optional<Asset> get(String name) {
        return Optional.ofNullable(name == null ? null : assets.get(name));
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
