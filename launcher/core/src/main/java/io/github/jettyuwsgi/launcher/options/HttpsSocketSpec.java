package io.github.jettyuwsgi.launcher.options;

import java.nio.file.Path;
import java.util.List;

/**
 * The value of uWSGI's {@code https} and {@code https-socket} keys, {@code ADDR,CERT,KEY[,CIPHERS]}: where to listen,
 * the PEM certificate chain and the PEM private key, and an optional cipher list. Parsed here from the ini value and
 * turned into a TLS connector by {@code listeners.ListenerFactories#https}.
 *
 * @param address where to listen, as for {@code http-socket}
 * @param certificate the PEM file with the server certificate, then its chain
 * @param key the PEM file with the unencrypted private key (PKCS#8, or OpenSSL's traditional RSA or EC form)
 * @param ciphers the cipher suites to enable, or an empty list for Jetty's defaults
 */
public record HttpsSocketSpec(ListenAddress address, Path certificate, Path key, List<String> ciphers)
{
    /**
     * @param value {@code ADDR,CERT,KEY[,CIPHERS]}, e.g. {@code :8443,foobar.crt,foobar.key} or
     * {@code 127.0.0.1:8443,site.pem,site.key,TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384}
     * @return the parsed value
     * @throws IllegalArgumentException with a message "what: actual (expected: ...)" if the value is malformed
     */
    public static HttpsSocketSpec parse(String value)
    {
        String[] parts = value.split(",", -1);
        if (parts.length < 3)
            throw new IllegalArgumentException("https: '" + value + "' (expected: ADDR,CERT,KEY[,CIPHERS], e.g. :8443,site.crt,site.key)");
        if (parts.length > 4)
            throw new IllegalArgumentException("https: '" + value + "' has " + parts.length + " fields (expected: ADDR,CERT,KEY[,CIPHERS]; a client CA as a 5th field is not supported)");
        for (int i = 0; i < 3; i++)
        {
            if (parts[i].isBlank())
                throw new IllegalArgumentException("https: '" + value + "' has an empty " + List.of("address", "certificate", "key").get(i) + " (expected: ADDR,CERT,KEY[,CIPHERS])");
        }
        ListenAddress address = ListenAddress.parse(parts[0].strip());
        List<String> ciphers = parts.length == 4 && !parts[3].isBlank() ? List.of(parts[3].strip().split(":")) : List.of();
        return new HttpsSocketSpec(address, Path.of(parts[1].strip()), Path.of(parts[2].strip()), ciphers);
    }

    /**
     * @param directory the directory relative files are read from ({@code chdir})
     * @return this value with the certificate and key resolved against it
     */
    public HttpsSocketSpec resolve(Path directory)
    {
        return new HttpsSocketSpec(address, directory.resolve(certificate), directory.resolve(key), ciphers);
    }
}
