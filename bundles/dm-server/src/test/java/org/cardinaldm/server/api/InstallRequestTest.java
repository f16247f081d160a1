package org.cardinaldm.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cardinaldm.syncml.api.model.UiAlertKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstallRequestTest {

    @Test
    void the_job_is_one_sequence_confirmation_download_descriptor_then_download_install() {
        InstallRequest r = new InstallRequest("Hello App", "https://apps.example.org/hello.jar", "1.2.0", false, null, 0);
        Operation seq = r.operation();
        assertThat(seq.kind()).isEqualTo(OperationKind.SEQUENCE);
        assertThat(seq.children()).extracting(Operation::kind).containsExactly(OperationKind.ALERT, OperationKind.ADD,
                OperationKind.ADD, OperationKind.ADD, OperationKind.ADD, OperationKind.EXEC);
        UserAlert q = seq.children().get(0).userAlert().orElseThrow();
        assertThat(q.kind()).isEqualTo(UiAlertKind.CONFIRM);
        assertThat(q.text()).isEqualTo("Install and start Hello App 1.2.0?");
        assertThat(q.maxDisplaySeconds()).isEqualTo(120);
        assertThat(q.defaultResponse()).isNull();
        assertThat(seq.children().subList(1, 6)).extracting(Operation::target).containsExactly(
                "./SCOMO/Download/Hello_App", "./SCOMO/Download/Hello_App/PkgID", "./SCOMO/Download/Hello_App/Name",
                "./SCOMO/Download/Hello_App/PkgURL", "./SCOMO/Download/Hello_App/Operations/DownloadInstall");
        assertThat(seq.children().get(1).format()).isEqualTo("node");
        assertThat(seq.children().subList(2, 5)).extracting(Operation::data)
                .containsExactly("Hello App@1.2.0", "Hello App", "https://apps.example.org/hello.jar");
        assertThat(r.description()).isEqualTo("help desk: install Hello App");
    }

    @Test
    void inactive_uses_download_install_inactive_and_an_own_question_and_maxdt() {
        InstallRequest r = new InstallRequest("x", "http://h/x.kar", null, true, "Put x on the box?", 30);
        Operation seq = r.operation();
        assertThat(seq.children().get(5).target()).isEqualTo("./SCOMO/Download/x/Operations/DownloadInstallInactive");
        assertThat(seq.children().get(2).data()).isEqualTo("x");
        assertThat(seq.children().get(0).userAlert().orElseThrow().options()).isEqualTo("MAXDT=30");
        assertThat(InstallRequest.defaultQuestion("x", null, true)).isEqualTo("Install x?");
    }

    @Test
    void node_names_are_made_safe() {
        assertThat(req("../../DMAcc").nodeName()).isEqualTo(".._.._DMAcc");
        assertThat(req("..").nodeName()).isEqualTo("__");
        assertThat(req("a/b?c=d#e").nodeName()).isEqualTo("a_b_c_d_e");
        assertThat(req("héllo wörld").nodeName()).isEqualTo("h_llo_w_rld");
        assertThat(req("org.example-app_1").nodeName()).isEqualTo("org.example-app_1");
    }

    private static InstallRequest req(String name) {
        return new InstallRequest(name, "https://h/p", null, false, null, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://h/p.jar", "file:///etc/passwd", "javascript:alert(1)", "/relative/p.jar",
        "https:///nohost", "https://user:pw@h/p.jar", "https://h/a b.jar", "https://h/\u0000", "not a url", ""})
    void urls_other_than_plain_https_or_http_are_refused(String url) {
        assertThatThrownBy(() -> new InstallRequest("x", url, null, false, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("package URL");
    }

    @Test
    void lengths_and_times_are_bounded() {
        String longUrl = "https://h/" + "p".repeat(InstallRequest.MAX_URL);
        assertThatThrownBy(() -> new InstallRequest("x", longUrl, null, false, null, 0)).hasMessageContaining("2048");
        assertThatThrownBy(() -> req(" ")).hasMessageContaining("application name");
        assertThatThrownBy(() -> req("n".repeat(129))).hasMessageContaining("application name");
        assertThatThrownBy(() -> req("a\nb")).hasMessageContaining("application name");
        assertThatThrownBy(() -> new InstallRequest("x", "https://h/p", "v".repeat(65), false, null, 0))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new InstallRequest("x", "https://h/p", null, false, null, -1))
                .hasMessageContaining("MAXDT");
        assertThatThrownBy(() -> new InstallRequest("x", "https://h/p", null, false, null, 86_401))
                .hasMessageContaining("MAXDT");
        assertThatThrownBy(() -> new InstallRequest("x", "https://h/p", null, false, "q".repeat(1001), 10))
                .hasMessageContaining("more than 1000");
        assertThat(new InstallRequest("x", "HTTPS://h/p", null, false, null, 86_400).maxDisplaySeconds())
                .isEqualTo(86_400);
    }
}
