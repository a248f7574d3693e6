package io.github.jettyuwsgi.launcher.listeners;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;

import io.github.jettyuwsgi.launcher.options.HttpsSocketSpec;
import io.github.jettyuwsgi.uwsgi.trust.FrontendAllowList;
import io.github.jettyuwsgi.uwsgi.trust.FrontendTrust;
import org.eclipse.jetty.fcgi.server.ServerFCGIConnectionFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol stacks of the listeners a uWSGI operator configures besides the uwsgi {@code socket}: what each connector
 * of the launcher speaks, before it is bound to an address. {@code http} and {@code http-socket} are Jetty's HTTP/1.1;
 * {@code https} and {@code https-socket} are TLS (Jetty's {@link SslContextFactory} with uWSGI's PEM files) then
 * HTTP/1.1; {@code fastcgi-socket} is Jetty's own FastCGI server, for frontends that speak only FastCGI (nginx
 * {@code fastcgi_pass}, for one in a Kubernetes ingress-nginx, which has no uwsgi module).
 */
public final class ListenerFactories
{
    private static final Logger LOG = LoggerFactory.getLogger(ListenerFactories.class);

    private ListenerFactories()
    {
    }

    /**
     * @param configuration the launcher's HTTP configuration, shared by every listener
     * @return plain HTTP/1.1, as uWSGI's {@code http-socket} and, for this launcher, its {@code http} router key
     */
    public static ConnectionFactory[] http(HttpConfiguration configuration)
    {
        return new ConnectionFactory[]{new HttpConnectionFactory(configuration)};
    }

    /**
     * @param configuration the launcher's HTTP configuration; a copy gets the customizer that marks requests secure
     * @param spec the certificate, key and ciphers
     * @return TLS, then HTTP/1.1
     * @throws IllegalArgumentException if the PEM files cannot be used
     */
    public static ConnectionFactory[] https(HttpConfiguration configuration, HttpsSocketSpec spec)
    {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        KeyStore keyStore = PemKeyStore.load(spec.certificate(), spec.key(), password.toCharArray());
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(password);
        tls.setCertAlias(PemKeyStore.ALIAS);
        if (!spec.ciphers().isEmpty())
        {
            if (spec.ciphers().stream().allMatch(name -> name.startsWith("TLS_") || name.startsWith("SSL_")))
            {
                tls.setIncludeCipherSuites(spec.ciphers().toArray(new String[0]));
            }
            else
            {
                // uWSGI takes an OpenSSL cipher string ("HIGH:!aNULL:!MD5"), which has no JSSE equivalent.
                LOG.warn("https {}: cipher list '{}' is OpenSSL's syntax, ignored; Jetty's defaults apply (which exclude weak ciphers). Give JSSE names (TLS_AES_128_GCM_SHA256:...) to choose",
                    spec.address(), String.join(":", spec.ciphers()));
            }
        }
        HttpConfiguration secure = new HttpConfiguration(configuration);
        // As uWSGI: any Host header is served whatever names the certificate carries.
        SecureRequestCustomizer customizer = new SecureRequestCustomizer(false, false, -1, false);
        secure.addCustomizer(customizer);
        return new ConnectionFactory[]{new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(secure)};
    }

    /**
     * @param configuration the launcher's HTTP configuration; a copy gets the customizer that answers the client's
     * address from the frontend's {@code REMOTE_ADDR} and {@code REMOTE_PORT} params ({@link FastCgiClientAddress})
     * @param allowList the addresses frontends may connect from ({@code allow-frontend}), or null for any
     * @return Jetty's FastCGI server, which keeps the connection open when the frontend asks
     * ({@code fastcgi_keep_conn on})
     */
    public static ConnectionFactory[] fastcgi(HttpConfiguration configuration, FrontendAllowList allowList)
    {
        HttpConfiguration fastcgi = new HttpConfiguration(configuration);
        fastcgi.addCustomizer(new FastCgiClientAddress());
        if (allowList == null)
            return new ConnectionFactory[]{new ServerFCGIConnectionFactory(fastcgi)};
        return new ConnectionFactory[]{new TrustedFastCgiConnectionFactory(fastcgi, FrontendTrust.addressesOnly(allowList, "fastcgi"))};
    }
}
