package io.github.jettyuwsgi.uwsgi;

import java.net.InetSocketAddress;

import io.github.jettyuwsgi.uwsgi.codec.BodyFraming;
import io.github.jettyuwsgi.uwsgi.codec.UwsgiVars;
import org.eclipse.jetty.http.MetaData;

/**
 * One uwsgi packet's vars, read as the HTTP request the frontend received: the output of {@link UwsgiRequestMapping}.
 *
 * <p>The connection hands {@link #metaData()} to Jetty's {@code HttpChannel} and answers Jetty's connection questions
 * (remote address, secure, protocol) from the other fields; the in-process gateway bridge uses the same record, so both
 * paths see one request the same way.</p>
 *
 * @param metaData method, URI (with scheme and authority), version, headers and content length for Jetty
 * @param protocol the request protocol as the client spoke it ({@code SERVER_PROTOCOL}, e.g. {@code HTTP/2.0}); what
 * {@code ServletRequest.getProtocol()} returns
 * @param secure whether the client's connection to the frontend was HTTPS
 * @param remoteAddress the client address ({@code REMOTE_ADDR}/{@code REMOTE_PORT}), or null when the frontend sent none
 * @param localAddress the address the client connected to ({@code SERVER_ADDR}/{@code SERVER_PORT}), or null when unknown
 * @param framing how the body after the vars is delimited
 * @param vars the vars themselves, for the read-only request attribute
 */
public record UwsgiRequest(
    MetaData.Request metaData,
    String protocol,
    boolean secure,
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    BodyFraming framing,
    UwsgiVars vars)
{
}
