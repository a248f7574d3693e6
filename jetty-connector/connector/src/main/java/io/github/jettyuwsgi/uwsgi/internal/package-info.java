/**
 * The connection behind {@code UwsgiConnectionFactory}: reading a packet with the codec, handing the mapped request to
 * Jetty's {@code HttpChannel}, and writing the response back as plain HTTP/1.x bytes.
 *
 * <p>Not API: the connector's {@code module-info} does not export it, and {@code scripts/check-repository.sh} fails when
 * code outside the connector imports it (the rest of this repository runs on the class path, where the module does not
 * hide it). Uses the codec and the root package's settings and request mapping.</p>
 */
package io.github.jettyuwsgi.uwsgi.internal;
