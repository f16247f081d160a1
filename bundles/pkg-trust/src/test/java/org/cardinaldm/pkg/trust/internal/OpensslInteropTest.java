package org.cardinaldm.pkg.trust.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cardinaldm.pkg.trust.internal.tool.ToolRunner;
import org.cardinaldm.testing.RequiresTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's recipe of docs/signed-packages.md §6 with the real openssl: key and self-signed certificate
 * made by openssl, package signed by the tool, the SPKI SHA-256 computed by openssl equal to the tool's, and
 * openssl itself reading the CMS and its encapsulated manifest (interoperability of the format).
 */
@RequiresTool(name = "openssl", debianPackage = "openssl")
class OpensslInteropTest {
    @TempDir
    Path dir;

    private String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + "\n" + output).isZero();
        return output;
    }

    @Test
    void the_documented_openssl_recipe_works_with_the_tool() throws Exception {
        sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signer.key");
        sh("openssl req -new -x509 -key signer.key -subj '/O=Example/CN=Example package signer' -days 3650 -out signer.crt");
        Files.writeString(dir.resolve("hello.jar"), "a jar");
        String spki = sh("openssl x509 -in signer.crt -pubkey -noout | openssl pkey -pubin -outform DER"
                + " | openssl dgst -sha256 -r").split(" ")[0].strip();

        ToolRunner.Result signed = ToolRunner.run("sign", "--key", dir.resolve("signer.key").toString(), "--cert",
                dir.resolve("signer.crt").toString(), "--kind", "application", "--name", "org.example.hello",
                "--version", "1.0.0", "--device-class", "*", dir.resolve("hello.jar").toString());
        assertThat(signed.status()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("signer " + spki);

        ToolRunner.Result verified = ToolRunner.run("verify", "--manifest", dir.resolve("hello.jar.manifest.p7").toString(),
                "--trust", spki, "--kind", "application", "--device-class", "Cardinal/Gateway",
                dir.resolve("hello.jar").toString());
        assertThat(verified.status()).as(verified.out()).isZero();

        // openssl checks the signature (-noverify: no CA chain, as devices pin the key) and extracts the manifest
        sh("openssl cms -verify -inform DER -in hello.jar.manifest.p7 -noverify -binary -out manifest.der");
        assertThat(sh("openssl asn1parse -inform DER -in manifest.der")).contains("org.example.hello", "ENUMERATED");
        assertThat(sh("openssl cms -cmsout -print -inform DER -in hello.jar.manifest.p7"))
                .contains("2.25.82553779503469260178600950244353704171.2.1");
        List.of(dir.resolve("signer.key")).forEach(p -> assertThat(p).exists());
    }
}
