package org.cardinaldm.server.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.util.Base64;

import javax.ws.rs.WebApplicationException;

import org.cardinaldm.fumo.server.api.CampaignService;
import org.cardinaldm.fumo.server.api.CampaignSpec;
import org.cardinaldm.fumo.server.api.DeviceTags;
import org.cardinaldm.server.packages.api.PackageCatalog;
import org.cardinaldm.server.packages.api.PackageRejectedException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CampaignsResourceTest {
    private final CampaignService campaigns = mock(CampaignService.class);
    private final PackageCatalog catalog = mock(PackageCatalog.class);
    private final CampaignsResource resource = new CampaignsResource(campaigns, mock(DeviceTags.class), catalog);

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    private static int status(Throwable t) {
        return ((WebApplicationException) t).getResponse().getStatus();
    }

    @Test
    void a_campaign_with_an_unknown_field_or_a_bad_window_is_400_and_nothing_is_created() throws Exception {
        assertThatThrownBy(() -> resource.create(json("{\"name\":\"a\",\"package\":\"f\",\"evil\":1}"), null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400)).hasMessageContaining("unknown field campaign.evil");
        assertThatThrownBy(() -> resource.create(json("{\"name\":\"a\",\"package\":\"f\",\"window\":\"soon\"}"), null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400)).hasMessageContaining("maintenance window");
        assertThatThrownBy(() -> resource.create(json("{\"name\":\"a\",\"package\":\"f\",\"filter\":{\"cardPresent\":"
                + "\"yes\"}}"), null)).satisfies(t -> assertThat(status(t)).isEqualTo(400));
        verify(campaigns, never()).create(any(CampaignSpec.class));
    }

    @Test
    void an_action_in_the_wrong_state_is_409_and_an_unknown_campaign_404_or_400() {
        when(campaigns.pause(7)).thenThrow(new IllegalStateException("campaign 7 is created: only a running campaign "
                + "can be paused"));
        assertThatThrownBy(() -> resource.act("7", "pause", null)).satisfies(t -> assertThat(status(t)).isEqualTo(409));
        assertThatThrownBy(() -> resource.act("7", "explode", null)).satisfies(t -> assertThat(status(t)).isEqualTo(404));
        assertThatThrownBy(() -> resource.act("x", "start", null)).satisfies(t -> assertThat(status(t)).isEqualTo(400));
        assertThatThrownBy(() -> resource.get("8", 10)).satisfies(t -> assertThat(status(t)).isEqualTo(404));
    }

    @Test
    void an_upload_needs_a_bounded_base64_manifest_and_a_refusal_is_400() throws Exception {
        ByteArrayInputStream payload = new ByteArrayInputStream(new byte[] {1, 2});
        assertThatThrownBy(() -> resource.publish("fw.bin", null, false, payload, null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400));
        assertThatThrownBy(() -> resource.publish("fw.bin", "A".repeat(70_000), false, payload, null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400));
        assertThatThrownBy(() -> resource.publish("fw.bin", "not base64!", false, payload, null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400));
        when(catalog.publish(any(), any(), any(), any(Boolean.class))).thenThrow(
                new PackageRejectedException("untrusted signer"));
        String m = Base64.getEncoder().encodeToString(new byte[] {0x30, 0});
        assertThatThrownBy(() -> resource.publish("fw.bin", m, false, payload, null))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400)).hasMessageContaining("untrusted signer");
    }
}
