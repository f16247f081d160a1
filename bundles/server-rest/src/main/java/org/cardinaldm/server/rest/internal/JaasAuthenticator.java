package org.cardinaldm.server.rest.internal;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to a JAAS realm (Karaf's {@code karaf} realm by default: {@code etc/users.properties}, or
 * whatever login modules the operator configured for it) and returns the roles of the subject: the names
 * of its principals whose class is named {@code RolePrincipal} (Karaf's
 * {@code org.apache.karaf.jaas.boot.principal.RolePrincipal}; groups are already expanded to their roles).
 */
final class JaasAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);

    private final String realm;

    JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> authenticate(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Karaf's ProxyLoginModule is boot-delegated (org.apache.karaf.jaas.boot): any bundle loader finds it
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback c : callbacks) {
                    if (c instanceof NameCallback n) {
                        n.setName(user);
                    } else if (c instanceof PasswordCallback p) {
                        p.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(c);
                    }
                }
            });
            context.login();
            Set<String> roles = new TreeSet<>();
            for (Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("RolePrincipal")) {
                    roles.add(p.getName());
                }
            }
            try {
                context.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout failed: {}", e.getMessage());
            }
            return Optional.of(roles);
        } catch (LoginException e) {
            LOG.debug("JAAS login to realm {} refused for {}", realm, user);
            return Optional.empty();
        } catch (SecurityException e) {
            LOG.warn("JAAS realm {} is not available: {}", realm, e.getMessage());
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
