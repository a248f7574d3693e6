package io.github.jettyuwsgi.launcher.listeners;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files uWSGI's {@code https} key names (a certificate chain and an unencrypted private key, as OpenSSL
 * writes them) into an in-memory {@link KeyStore} for Jetty's {@code SslContextFactory}: the JDK reads PEM certificates
 * but not PEM keys. Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519), or OpenSSL's traditional
 * {@code BEGIN RSA PRIVATE KEY} and {@code BEGIN EC PRIVATE KEY}, which are wrapped into PKCS#8 here.
 */
public final class PemKeyStore
{
    /** The alias of the one entry, and so the certificate alias Jetty selects. */
    public static final String ALIAS = "https";

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    /** rsaEncryption, 1.2.840.113549.1.1.1, DER-encoded with its tag */
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte)0x86, 0x48, (byte)0x86, (byte)0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1, DER-encoded with its tag */
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte)0x86, 0x48, (byte)0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};

    private PemKeyStore()
    {
    }

    /**
     * @param certificate the PEM certificate file: the server's certificate first, then its chain
     * @param key the PEM private key file
     * @param password the password the entry is stored under
     * @return a PKCS#12 key store with the one entry {@value #ALIAS}
     * @throws IllegalArgumentException with a message "what: actual (expected: ...)" if a file cannot be used
     */
    public static KeyStore load(Path certificate, Path key, char[] password)
    {
        List<Certificate> chain = readCertificates(certificate);
        PrivateKey privateKey = readKey(key);
        try
        {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new Certificate[0]));
            return store;
        }
        catch (GeneralSecurityException | IOException x)
        {
            throw new IllegalArgumentException("https key " + key + ": does not fit certificate " + certificate + ": " + x.getMessage() + " (expected: the key of the first certificate)", x);
        }
    }

    private static List<Certificate> readCertificates(Path file)
    {
        List<Certificate> chain = new ArrayList<>();
        try
        {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file))
            {
                if (block.type().equals("CERTIFICATE"))
                    chain.add(factory.generateCertificate(new ByteArrayInputStream(block.der())));
            }
        }
        catch (GeneralSecurityException x)
        {
            throw new IllegalArgumentException("https certificate " + file + ": " + x.getMessage() + " (expected: PEM X.509 certificates)", x);
        }
        if (chain.isEmpty())
            throw new IllegalArgumentException("https certificate " + file + ": no '-----BEGIN CERTIFICATE-----' block (expected: a PEM certificate, then its chain)");
        return chain;
    }

    private static PrivateKey readKey(Path file)
    {
        for (Block block : blocks(file))
        {
            switch (block.type())
            {
                case "PRIVATE KEY":
                    return pkcs8(file, block.der(), "RSA", "EC", "Ed25519", "Ed448");
                case "RSA PRIVATE KEY":
                    return pkcs8(file, sequence(integerZero(), sequence(RSA_OID, DER_NULL), octetString(block.der())), "RSA");
                case "EC PRIVATE KEY":
                    return pkcs8(file, sequence(integerZero(), sequence(EC_OID, curveOf(file, block.der())), octetString(block.der())), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new IllegalArgumentException("https key " + file + ": encrypted (expected: an unencrypted key; decrypt it with 'openssl pkey -in KEY -out KEY.plain')");
                default:
                    // e.g. "EC PARAMETERS" before an EC key, as openssl ecparam -genkey writes
            }
        }
        throw new IllegalArgumentException("https key " + file + ": no private key block (expected: '-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY')");
    }

    private static PrivateKey pkcs8(Path file, byte[] der, String... algorithms)
    {
        for (String algorithm : algorithms)
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (GeneralSecurityException x)
            {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("https key " + file + ": not a readable " + String.join("/", algorithms) + " private key (expected: PKCS#8 or OpenSSL's traditional RSA or EC form)");
    }

    /**
     * @return the named-curve OID of a SEC1 {@code ECPrivateKey}, from its {@code [0] parameters} field
     */
    private static byte[] curveOf(Path file, byte[] sec1)
    {
        // SEQUENCE { INTEGER 1, OCTET STRING key, [0] { OID curve }, [1] publicKey OPTIONAL }
        int i = skipHeader(sec1, 0);
        i = next(sec1, i); // version
        i = next(sec1, i); // private key
        if (i < sec1.length && (sec1[i] & 0xFF) == 0xA0)
        {
            int oid = skipHeader(sec1, i);
            if ((sec1[oid] & 0xFF) == 0x06)
                return java.util.Arrays.copyOfRange(sec1, oid, next(sec1, oid));
        }
        throw new IllegalArgumentException("https key " + file + ": EC key without a named curve (expected: 'openssl ecparam -name prime256v1 -genkey' or a PKCS#8 key)");
    }

    private static int skipHeader(byte[] der, int offset)
    {
        int lengthByte = der[offset + 1] & 0xFF;
        return offset + 2 + (lengthByte < 0x80 ? 0 : lengthByte & 0x7F);
    }

    private static int next(byte[] der, int offset)
    {
        int lengthByte = der[offset + 1] & 0xFF;
        int length = lengthByte;
        int header = 2;
        if (lengthByte >= 0x80)
        {
            length = 0;
            for (int k = 0; k < (lengthByte & 0x7F); k++)
                length = (length << 8) | (der[offset + 2 + k] & 0xFF);
            header += lengthByte & 0x7F;
        }
        return offset + header + length;
    }

    private static byte[] integerZero()
    {
        return new byte[]{0x02, 0x01, 0x00};
    }

    private static byte[] sequence(byte[]... items)
    {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] item : items)
            content.writeBytes(item);
        return tagged(0x30, content.toByteArray());
    }

    private static byte[] octetString(byte[] bytes)
    {
        return tagged(0x04, bytes);
    }

    private static byte[] tagged(int tag, byte[] content)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80)
        {
            out.write(length);
        }
        else
        {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int k = bytes - 1; k >= 0; k--)
                out.write(length >>> (8 * k));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private record Block(String type, byte[] der)
    {
    }

    private static List<Block> blocks(Path file)
    {
        String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException x)
        {
            throw new UncheckedIOException("https: cannot read " + file, x);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find())
        {
            try
            {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            }
            catch (IllegalArgumentException x)
            {
                throw new IllegalArgumentException("https: " + file + ": a " + matcher.group(1) + " block is not base64 (expected: PEM)", x);
            }
        }
        return blocks;
    }
}
