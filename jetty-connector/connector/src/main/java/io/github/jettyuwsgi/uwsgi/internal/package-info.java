/**
 * The connection behind {@code UwsgiConnectionFactory}: reading a packet with the codec, handing the mapped request to
 * Jetty's {@code HttpChannel}, and writing the response back as plain HTTP/1.x bytes.
 *
 * <p>Not API: nothing outside the connector may import it. Uses the codec and the root package's settings and request
 * mapping.</p>
 */
package io.github.jettyuwsgi.uwsgi.internal;
