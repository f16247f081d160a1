package org.cardinaldm.server.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ConsoleAssetsTest {
    private static final Path SOURCES = Path.of("src/main/resources/console");

    private static String text(ConsoleAssets assets, String name) {
        return new String(assets.get(name).orElseThrow().body(), StandardCharsets.UTF_8);
    }

    @Test
    void every_listed_file_is_in_the_bundle_and_every_file_of_the_folder_is_listed() throws IOException {
        ConsoleAssets assets = ConsoleAssets.load(getClass().getClassLoader(), "/cardinal/api/v1");
        for (String name : ConsoleAssets.FILES.keySet()) {
            assertThat(assets.get(name)).as(name).hasValueSatisfying(a -> assertThat(a.body()).isNotEmpty());
        }
        try (Stream<Path> files = Files.list(SOURCES)) {
            Set<String> present = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertThat(present).isEqualTo(ConsoleAssets.FILES.keySet());
        }
    }

    @Test
    void nothing_but_the_listed_names_is_served() throws IOException {
        ConsoleAssets assets = ConsoleAssets.load(getClass().getClassLoader(), "/cardinal/api/v1");
        for (String name : new String[] {null, "", "/", "../console.css", "console/app.js", "App.js", "app.js/",
            "org/cardinaldm/server/console/internal/ConsoleServlet.class", "META-INF/MANIFEST.MF", "%2e%2e/app.js"}) {
            assertThat(assets.get(name)).as(String.valueOf(name)).isEmpty();
        }
    }

    @Test
    void the_page_gets_the_api_base_and_a_hostile_base_is_refused() throws IOException {
        ConsoleAssets assets = ConsoleAssets.load(getClass().getClassLoader(), "/ops/api/");
        assertThat(text(assets, "index.html")).contains("<meta name=\"cardinal-api\" content=\"/ops/api\">")
                .doesNotContain(ConsoleAssets.API_PLACEHOLDER);
        for (String bad : new String[] {null, "", "api", "https://evil.example/api", "//evil.example", "/a\"><script>",
            "/a/../b", "/a b", "/" + "x".repeat(300)}) {
            assertThatThrownBy(() -> ConsoleAssets.load(getClass().getClassLoader(), bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_missing_file_is_an_error_naming_it() {
        ClassLoader empty = new ClassLoader(null) {
            @Override
            public InputStream getResourceAsStream(String name) {
                return name.endsWith("fleet.js") ? null : new java.io.ByteArrayInputStream(new byte[] {1});
            }

            @Override
            protected Enumeration<URL> findResources(String name) {
                return java.util.Collections.emptyEnumeration();
            }
        };
        assertThatThrownBy(() -> ConsoleAssets.load(empty, "/api")).isInstanceOf(IOException.class).hasMessageContaining("fleet.js");
    }

    @Test
    void entity_tags_differ_between_files_and_are_quoted() throws IOException {
        ConsoleAssets assets = ConsoleAssets.load(getClass().getClassLoader(), "/cardinal/api/v1");
        List<String> tags = ConsoleAssets.FILES.keySet().stream().map(n -> assets.get(n).orElseThrow().etag()).toList();
        assertThat(tags).doesNotHaveDuplicates().allMatch(t -> t.matches("\"[0-9a-f]{32}\""));
    }

    /** Everything is in the bundle: no URL of another origin, no protocol-relative URL. */
    @Test
    void no_asset_refers_to_another_origin() throws IOException {
        Pattern external = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}|(src|href)\\s*=\\s*\"//");
        for (String name : ConsoleAssets.FILES.keySet()) {
            String body = Files.readString(SOURCES.resolve(name), StandardCharsets.UTF_8);
            Matcher m = external.matcher(body);
            while (m.find()) {
                assertThat(m.group()).as(name).isEqualTo("http://www.w3.org/2000/svg".substring(0, m.group().length()));
            }
        }
    }

    /** The page's policy forbids inline script and style: the HTML must not need them. */
    @Test
    void the_page_has_no_inline_script_style_or_event_handler() throws IOException {
        String html = Files.readString(SOURCES.resolve("index.html"), StandardCharsets.UTF_8);
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).contains("src=");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(count).isEqualTo(1);
        assertThat(html).doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainPattern("(?i)\\sstyle\\s*=")
                .doesNotContain("<style");
    }

    /** Data reaches the page only as text: no HTML parsing of strings, no code from strings. */
    @Test
    void the_scripts_never_parse_strings_as_html_or_code() throws IOException {
        for (String name : ConsoleAssets.FILES.keySet()) {
            if (!name.endsWith(".js")) {
                continue;
            }
            String js = Files.readString(SOURCES.resolve(name), StandardCharsets.UTF_8);
            assertThat(js).as(name).doesNotContain("innerHTML").doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(")
                    .doesNotContain("new Function").doesNotContainPattern("setTimeout\\(\\s*['\"`]")
                    .doesNotContain("javascript:");
        }
    }
}
