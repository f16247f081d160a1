package org.cardinaldm.mo.scomo.internal;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureState;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Karaf's {@link FeaturesService} as far as SCOMO uses it, on a real Felix: repositories are read from the file
 * SCOMO wrote, a feature's bundles are installed from their {@code file:} URLs (and started unless
 * NoAutoStartBundles), never refreshing anything. Records every call's options, and the features the platform
 * has installed (as Karaf would list them).
 */
final class FakeFeaturesService {
    final List<EnumSet<FeaturesService.Option>> options = new CopyOnWriteArrayList<>();
    final List<URI> repositories = new CopyOnWriteArrayList<>();
    final Map<String, List<Bundle>> installed = new LinkedHashMap<>();
    final List<String> platformFeatures = new CopyOnWriteArrayList<>();
    private final BundleContext context;

    FakeFeaturesService(BundleContext context) {
        this.context = context;
    }

    FeaturesService service() {
        return (FeaturesService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FeaturesService.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "addRepository":
                            repositories.add((URI) args[0]);
                            return null;
                        case "removeRepository":
                            repositories.remove((URI) args[0]);
                            return null;
                        case "listInstalledFeatures":
                            return installedFeatures();
                        case "installFeatures":
                            options.add(copy(args[1]));
                            for (Object id : (Set<?>) args[0]) {
                                install((String) id, !((EnumSet<?>) args[1]).contains(
                                        FeaturesService.Option.NoAutoStartBundles));
                            }
                            return null;
                        case "uninstallFeatures":
                            options.add(copy(args[1]));
                            for (Object id : (Set<?>) args[0]) {
                                for (Bundle b : installed.remove((String) id)) {
                                    b.uninstall();
                                }
                            }
                            return null;
                        case "updateFeaturesState":
                            options.add(copy(args[1]));
                            Map<?, ?> region = (Map<?, ?>) ((Map<?, ?>) args[0]).get(FeaturesService.ROOT_REGION);
                            for (Map.Entry<?, ?> e : region.entrySet()) {
                                for (Bundle b : installed.get((String) e.getKey())) {
                                    if (e.getValue() == FeatureState.Started) {
                                        b.start();
                                    } else {
                                        b.stop();
                                    }
                                }
                            }
                            return null;
                        case "getState":
                            List<Bundle> bundles = installed.get((String) args[0]);
                            return bundles == null ? null : bundles.stream().allMatch(b -> b.getState() == Bundle.ACTIVE)
                                    ? FeatureState.Started : FeatureState.Resolved;
                        case "toString":
                            return "FakeFeaturesService";
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static EnumSet<FeaturesService.Option> copy(Object o) {
        return EnumSet.copyOf((EnumSet<FeaturesService.Option>) o);
    }

    private Feature[] installedFeatures() {
        List<Feature> out = new ArrayList<>();
        List<String> names = new ArrayList<>(platformFeatures);
        installed.keySet().forEach(id -> names.add(id));
        for (String id : names) {
            String[] nv = id.split("/");
            out.add((Feature) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Feature.class},
                    (p, m, a) -> m.getName().equals("getName") ? nv[0]
                            : m.getName().equals("getVersion") ? (nv.length > 1 ? nv[1] : "0.0.0") : null));
        }
        return out.toArray(new Feature[0]);
    }

    /** Installs the bundles of feature {@code id} from the repositories added; a failure undoes it and throws. */
    private void install(String id, boolean start) throws Exception {
        List<Bundle> bundles = new ArrayList<>();
        try {
            for (String location : bundlesOf(id)) {
                Bundle b = context.installBundle(location);
                bundles.add(b);
                if (start) {
                    b.start();
                }
            }
        } catch (Exception e) {
            for (Bundle b : bundles) {
                b.uninstall();
            }
            throw new Exception("Unable to resolve " + id + ": " + e.getMessage(), e);
        }
        installed.put(id, bundles);
    }

    private List<String> bundlesOf(String id) throws Exception {
        for (URI repo : repositories) {
            Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of(repo).toFile())
                    .getDocumentElement();
            NodeList features = root.getElementsByTagName("feature");
            for (int i = 0; i < features.getLength(); i++) {
                Element f = (Element) features.item(i);
                if (f.getParentNode() == root && id.equals(f.getAttribute("name") + "/" + f.getAttribute("version"))) {
                    List<String> out = new ArrayList<>();
                    NodeList b = f.getElementsByTagName("bundle");
                    for (int j = 0; j < b.getLength(); j++) {
                        out.add(b.item(j).getTextContent().strip());
                    }
                    return out;
                }
            }
        }
        throw new Exception("No feature " + id);
    }
}
