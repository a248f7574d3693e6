/**
 * The uwsgi protocol for Jetty, the part users embed: {@link io.github.jettyuwsgi.uwsgi.UwsgiConnectionFactory} on a
 * connector, {@link io.github.jettyuwsgi.uwsgi.UwsgiConfiguration} for its limits,
 * {@link io.github.jettyuwsgi.uwsgi.UwsgiUnixDomainConnector} for a Unix socket, and the one mapping from vars to the
 * HTTP request the frontend received ({@link io.github.jettyuwsgi.uwsgi.UwsgiRequestMapping}, yielding a
 * {@link io.github.jettyuwsgi.uwsgi.UwsgiRequest}), which the in-process gateway host reuses.
 *
 * <p>Builds on {@code io.github.jettyuwsgi.uwsgi.codec} (the wire format, which never looks up here). The factory makes
 * the connections of {@code io.github.jettyuwsgi.uwsgi.internal}, which read their settings and the mapping back from
 * this package: the two are one unit, and only this side is API.</p>
 */
package io.github.jettyuwsgi.uwsgi;
