package org.cardinaldm.fumo.agent.karaf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.FeaturesService.Option;
import org.apache.karaf.features.Repository;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The two adapters against mocks of Karaf's FeaturesService, the framework and SCR. */
class KarafAdaptersTest {
    final FeaturesService fs = mock(FeaturesService.class);
    final KarafFeatureRuntime runtime = new KarafFeatureRuntime(fs);

    static Feature feature(String name, String version, String... bundles) {
        Feature f = mock(Feature.class);
        when(f.getName()).thenReturn(name);
        when(f.getVersion()).thenReturn(version);
        List<BundleInfo> infos = java.util.Arrays.stream(bundles).map(l -> {
            BundleInfo b = mock(BundleInfo.class);
            when(b.getLocation()).thenReturn(l);
            return b;
        }).toList();
        when(f.getBundles()).thenReturn(infos);
        return f;
    }

    @Test
    void switching_installs_with_upgrade_and_never_refreshes_bundles() throws Exception {
        runtime.switchTo("gw", "2.0.0");
        verify(fs).installFeature("gw", "2.0.0", EnumSet.of(Option.NoAutoRefreshBundles, Option.Upgrade));
        runtime.uninstall("gw", "2.0.0");
        verify(fs).uninstallFeature("gw", "2.0.0", EnumSet.of(Option.NoAutoRefreshBundles));
    }

    @Test
    void repositories_are_added_without_installing_anything() throws Exception {
        URI uri = URI.create("file:/data/kar/x/features.xml");
        runtime.addRepository(uri);
        verify(fs).addRepository(uri, false);
    }

    @Test
    void a_repository_with_an_installed_feature_is_kept() throws Exception {
        URI uri = URI.create("file:/data/kar/x/features.xml");
        Repository r = mock(Repository.class);
        Feature f = feature("gw", "1.0.0");
        when(r.getFeatures()).thenReturn(new Feature[] {f});
        when(fs.getRepository(uri)).thenReturn(r);
        when(fs.isInstalled(f)).thenReturn(true);
        assertThat(runtime.removeRepositoryIfUnused(uri)).isFalse();
        verify(fs, never()).removeRepository(any(URI.class), anyBoolean());
        when(fs.isInstalled(f)).thenReturn(false);
        assertThat(runtime.removeRepositoryIfUnused(uri)).isTrue();
        verify(fs).removeRepository(uri, false);
        when(fs.getRepository(uri)).thenReturn(null);
        assertThat(runtime.removeRepositoryIfUnused(uri)).isTrue();
    }

    @Test
    void the_installed_version_is_the_highest_installed_one_of_that_name() throws Exception {
        Feature[] installed = {feature("gw", "1.10.0"), feature("gw", "1.9.0"), feature("scr", "4.4.10")};
        when(fs.listInstalledFeatures()).thenReturn(installed);
        assertThat(runtime.installedVersion("gw")).contains("1.10.0");
        assertThat(runtime.installedVersion("none")).isEmpty();
        assertThat(runtime.isInstalled("scr", "[4,5)")).isTrue();
        assertThat(runtime.isInstalled("scr", "[5,6)")).isFalse();
    }

    @Test
    void bundle_locations_and_the_defining_repository_come_from_karaf() throws Exception {
        Feature f = feature("gw", "2.0.0", "mvn:a/b/1", "mvn:a/c/1");
        when(fs.getFeature("gw", "2.0.0")).thenReturn(f);
        assertThat(runtime.bundleLocations("gw", "2.0.0")).containsExactly("mvn:a/b/1", "mvn:a/c/1");
        assertThat(runtime.bundleLocations("gw", "3.0.0")).isEmpty();
        assertThat(runtime.isAvailable("gw", "2.0.0")).isTrue();
        Repository r = mock(Repository.class);
        when(r.getFeatures()).thenReturn(new Feature[] {f});
        when(r.getURI()).thenReturn(URI.create("file:/r.xml"));
        when(fs.listRepositories()).thenReturn(new Repository[] {r});
        assertThat(runtime.repositoryOf("gw", "2.0.0")).contains(URI.create("file:/r.xml"));
        assertThat(runtime.repositoryOf("gw", "9.0.0")).isEmpty();
    }

    // ---- BundleHealth ----

    final BundleContext context = mock(BundleContext.class);
    final ServiceComponentRuntime scr = mock(ServiceComponentRuntime.class);
    final BundleHealth health = new BundleHealth(context, scr);

    Bundle bundle(String location, String bsn, int state, boolean fragment) {
        Bundle b = mock(Bundle.class);
        when(b.getSymbolicName()).thenReturn(bsn);
        when(b.getState()).thenReturn(state);
        Hashtable<String, String> headers = new Hashtable<>();
        if (fragment) {
            headers.put(Constants.FRAGMENT_HOST, "host");
        }
        when(b.getHeaders("")).thenReturn(headers);
        when(context.getBundle(location)).thenReturn(b);
        return b;
    }

    ComponentDescriptionDTO component(Bundle b, String name, boolean enabled, int... states) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = name;
        when(scr.getComponentDescriptionDTOs(b)).thenReturn(List.of(d));
        when(scr.isComponentEnabled(d)).thenReturn(enabled);
        List<ComponentConfigurationDTO> cs = java.util.Arrays.stream(states).mapToObj(s -> {
            ComponentConfigurationDTO c = new ComponentConfigurationDTO();
            c.state = s;
            c.failure = "password=hunter2";
            return c;
        }).toList();
        when(scr.getComponentConfigurationDTOs(d)).thenReturn(cs);
        return d;
    }

    @Test
    void active_bundles_with_satisfied_components_are_healthy() {
        Bundle b = bundle("mvn:a/b/1", "a.b", Bundle.ACTIVE, false);
        component(b, "a.b.Service", true, ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED,
                ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION);
        bundle("mvn:a/f/1", "a.f", Bundle.RESOLVED, true);
        assertThat(health.problems(List.of("mvn:a/b/1", "mvn:a/f/1"))).isEmpty();
    }

    @Test
    void missing_or_stopped_bundles_and_broken_components_are_named_without_their_failure_text() {
        bundle("mvn:a/stopped/1", "a.stopped", Bundle.RESOLVED, false);
        Bundle u = bundle("mvn:a/u/1", "a.u", Bundle.ACTIVE, false);
        component(u, "a.u.Needy", true, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        Bundle f = bundle("mvn:a/f/1", "a.f", Bundle.ACTIVE, false);
        component(f, "a.f.Broken", true, ComponentConfigurationDTO.FAILED_ACTIVATION);
        Bundle d = bundle("mvn:a/d/1", "a.d", Bundle.ACTIVE, false);
        component(d, "a.d.Off", false, ComponentConfigurationDTO.FAILED_ACTIVATION);
        List<String> p = health.problems(List.of("mvn:a/missing/1", "mvn:a/stopped/1", "mvn:a/u/1", "mvn:a/f/1",
                "mvn:a/d/1"));
        assertThat(p).containsExactly("mvn:a/missing/1 is not installed", "a.stopped is RESOLVED (not started)",
                "component a.u.Needy of a.u lacks a mandatory service", "component a.f.Broken of a.f failed to activate");
        assertThat(String.join(" ", p)).doesNotContain("hunter2");
    }
}
